// Ready-made lifecycle rules: the common clean-up strategies, each with a human description.
// They are EcrLifecycleRule structs, which extend aws-ecr's LifecycleRule, so aws-ecr's own `addLifecycleRule`
// accepts them too (all but the archive-tier ones, whose archive fields aws-ecr does not know).
import { Duration, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { ImageStorageClass } from './image';
import { EcrLifecycleRule, LifecycleAction } from './lifecycle-rule';
import * as ruleCheck from './private/rule-check';
import { throwIfProblems } from '../private/errors';
import { plural } from '../private/text';

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
    return checked('deleteUntaggedAfterDays', DAYS, days, (n) => ({
      description: `Expire untagged images ${plural(n, 'day')} after push`,
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageAge: Duration.days(n),
    }));
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
    return checked('keepLastNImages', { 'selection.countNumber': 'count' }, count, (n) => ({
      description: `Keep only the ${plural(n, 'most recent image')}`,
      tagStatus: ecr.TagStatus.ANY,
      maxImageCount: n,
    }));
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
    return checked('deleteTaggedAfterDays', { ...DAYS, 'selection.tagPrefixList[]': 'tagPrefix' }, days, (n) => ({
      description: `Expire images tagged '${tagPrefix}*' ${plural(n, 'day')} after push`,
      tagStatus: ecr.TagStatus.TAGGED,
      tagPrefixList: [tagPrefix],
      maxImageAge: Duration.days(n),
    }));
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
    return checked('archiveAfterDaysSinceLastPull', DAYS, days, (n) => ({
      description: `Archive images not pulled for ${plural(n, 'day')}`,
      tagStatus: ecr.TagStatus.ANY,
      action: LifecycleAction.TRANSITION,
      maxAgeSinceLastPull: Duration.days(n),
    }));
  }

  /**
   * Delete archived images `days` days after they were archived.
   *
   * ECR keeps archived images at least 90 days, so `days` must be 90 or more.
   *
   * @param days whole number of days, at least 90.
   */
  public static deleteFromArchiveAfterDays(days: number): EcrLifecycleRule {
    return checked('deleteFromArchiveAfterDays', DAYS, days, (n) => ({
      description: `Delete archived images ${plural(n, 'day')} after archiving`,
      tagStatus: ecr.TagStatus.ANY,
      storageClass: ImageStorageClass.ARCHIVE,
      maxAgeSinceArchived: Duration.days(n),
    }));
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

// The helpers' arguments are checked by ECR's constraints on the rule they build, named after the argument.
const DAYS = { 'selection.countNumber': 'days' } as const;

// Duration refuses a negative amount with a message of its own, so the rule is checked first, built with a
// count Duration takes and checked with the count as given.
function checked(
  helper: string, args: Parameters<typeof ruleCheck.helperProblems>[2], count: number, build: (count: number) => EcrLifecycleRule,
): EcrLifecycleRule {
  const probe = build(Token.isUnresolved(count) || !(count < 0) ? count : 0);
  throwIfProblems('Invalid EcrLifecycleRules arguments', ruleCheck.helperProblems(helper, probe, args, count));
  return build(count);
}
