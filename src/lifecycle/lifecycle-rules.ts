// Ready-made lifecycle rules: the common clean-up strategies, each with a human description.
// They are EcrLifecycleRule structs, which extend aws-ecr's LifecycleRule, so aws-ecr's own `addLifecycleRule`
// accepts them too (all but the archive-tier ones, whose archive fields aws-ecr does not know).
import { Duration, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { ImageStorageClass } from './image';
import { EcrLifecycleRule, LifecycleAction } from './lifecycle-rule';
import { MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE } from './private/document-validator';

/**
 * Builds the lifecycle rules platform teams use most.
 *
 * Rules keep the order you list them in: `EcrRepository` numbers them 1, 2, 3... in that order,
 * and always evaluates the `TagStatus.ANY` rule (such as `keepLastNImages`) last, as ECR requires.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 */
export class EcrLifecycleRules {
  /**
   * Expire untagged images `days` days after they were pushed.
   *
   * Untagged images are usually layers orphaned by a re-pushed tag; nothing refers to them.
   *
   * @param days whole number of days, at least 1.
   */
  public static deleteUntaggedAfterDays(days: number): EcrLifecycleRule {
    requireWholeNumber('deleteUntaggedAfterDays', 'days', days);
    return {
      description: `Expire untagged images ${plural(days, 'day')} after push`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageAge: Duration.days(days),
    };
  }

  /**
   * Keep only the `count` most recently pushed images, expiring the older ones.
   *
   * Selects every image (`TagStatus.ANY`), so it is always evaluated after the other rules; images that a
   * higher-priority rule selects are still counted.
   *
   * @param count whole number of images to keep, at least 1.
   */
  public static keepLastNImages(count: number): EcrLifecycleRule {
    requireWholeNumber('keepLastNImages', 'count', count);
    return {
      description: `Keep only the ${plural(count, 'most recent image')}`,
      tagStatus: ecr.TagStatus.ANY,
      maxImageCount: count,
    };
  }

  /**
   * Expire images that carry a tag starting with `tagPrefix`, `days` days after they were pushed.
   *
   * For short-lived builds: `deleteTaggedAfterDays('pr-', 3)`, `deleteTaggedAfterDays('feature-', 7)`.
   *
   * @param tagPrefix the tag prefix to match (starts-with), not empty.
   * @param days whole number of days, at least 1.
   */
  public static deleteTaggedAfterDays(tagPrefix: string, days: number): EcrLifecycleRule {
    if (!Token.isUnresolved(tagPrefix) && tagPrefix.trim().length === 0) {
      throw new Error(`deleteTaggedAfterDays: tagPrefix must be a non-empty tag prefix such as 'feature-', got '${tagPrefix}'`);
    }
    requireWholeNumber('deleteTaggedAfterDays', 'days', days);
    return {
      description: `Expire images tagged '${tagPrefix}*' ${plural(days, 'day')} after push`,
      tagStatus: ecr.TagStatus.TAGGED,
      tagPrefixList: [tagPrefix],
      maxImageAge: Duration.days(days),
    };
  }

  /**
   * Move images that have not been pulled for `days` days to the archive storage class (cheaper; restorable).
   *
   * Selects every image in standard storage (`TagStatus.ANY`), so it is the last rule for standard storage:
   * use it instead of `keepLastNImages`, not with it. An image never pulled counts from its push.
   *
   * @param days whole number of days, at least 1.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/archive-images.html
   */
  public static archiveAfterDaysSinceLastPull(days: number): EcrLifecycleRule {
    requireWholeNumber('archiveAfterDaysSinceLastPull', 'days', days);
    return {
      description: `Archive images not pulled for ${plural(days, 'day')}`,
      tagStatus: ecr.TagStatus.ANY,
      action: LifecycleAction.TRANSITION,
      maxAgeSinceLastPull: Duration.days(days),
    };
  }

  /**
   * Delete archived images `days` days after they were archived.
   *
   * ECR keeps archived images at least 90 days, so `days` must be 90 or more.
   *
   * @param days whole number of days, at least 90.
   */
  public static deleteFromArchiveAfterDays(days: number): EcrLifecycleRule {
    requireWholeNumber('deleteFromArchiveAfterDays', 'days', days);
    if (!Token.isUnresolved(days) && days < MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE) {
      throw new Error(`deleteFromArchiveAfterDays: days must be at least ${MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE} (ECR keeps archived images ${MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE} days before they can be deleted), got ${days}`);
    }
    return {
      description: `Delete archived images ${plural(days, 'day')} after archiving`,
      tagStatus: ecr.TagStatus.ANY,
      storageClass: ImageStorageClass.ARCHIVE,
      maxAgeSinceArchived: Duration.days(days),
    };
  }

  /**
   * The standard development set: expire untagged images after 7 days, keep the last 10 images.
   */
  public static standardDev(): EcrLifecycleRule[] {
    return [EcrLifecycleRules.deleteUntaggedAfterDays(7), EcrLifecycleRules.keepLastNImages(10)];
  }

  /**
   * The standard production set: expire untagged images after 14 days, keep the last 30 images.
   */
  public static standardProd(): EcrLifecycleRule[] {
    return [EcrLifecycleRules.deleteUntaggedAfterDays(14), EcrLifecycleRules.keepLastNImages(30)];
  }

  private constructor() {}
}

function requireWholeNumber(helper: string, argument: string, value: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${helper}: ${argument} must be a whole number >= 1, got ${value}`);
  }
}

function plural(count: number, noun: string): string {
  return count === 1 ? `${count} ${noun}` : `${count} ${noun}s`;
}
