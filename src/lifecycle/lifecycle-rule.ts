// The lifecycle rule struct the library takes: aws-ecr's LifecycleRule plus ECR's archive tier
// (transition to archive, days since last pull, days in archive), which aws-ecr can't express yet
// (aws-cdk issue #36824). A plain aws-ecr LifecycleRule is a valid EcrLifecycleRule.
import { Duration, aws_ecr as ecr } from 'aws-cdk-lib';
import { ImageStorageClass } from './image';

/**
 * What a lifecycle rule does to the images it selects.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html#lp_action
 */
export enum LifecycleAction {
  /** Delete the images (`expire`). */
  EXPIRE = 'expire',
  /** Move the images to the archive storage class (`transition` to `archive`); they can be restored later. */
  TRANSITION = 'transition',
}

/**
 * A lifecycle rule: everything `aws-ecr`'s `LifecycleRule` has, plus ECR's archive tier.
 *
 * Set exactly one of `maxImageCount`, `maxImageAge`, `maxAgeSinceLastPull` and `maxAgeSinceArchived`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export interface EcrLifecycleRule extends ecr.LifecycleRule {
  /**
   * What to do with the selected images.
   *
   * @default LifecycleAction.EXPIRE
   */
  readonly action?: LifecycleAction;

  /**
   * The storage class whose images the rule selects (`selection.storageClass`).
   *
   * @default ImageStorageClass.STANDARD
   */
  readonly storageClass?: ImageStorageClass;

  /**
   * Select images not pulled for this long, in whole days (`sinceImagePulled`); an image never pulled counts
   * from its push. ECR allows it only with `action: LifecycleAction.TRANSITION`.
   *
   * @default - not selected by time since last pull
   */
  readonly maxAgeSinceLastPull?: Duration;

  /**
   * Select archived images that have been in archive this long, in whole days (`sinceImageTransitioned`).
   * ECR allows it only with `storageClass: ImageStorageClass.ARCHIVE` and the expire action, and at least 90 days.
   *
   * @default - not selected by time in archive
   */
  readonly maxAgeSinceArchived?: Duration;
}
