// The runtime types of an EcrLifecycleRule's fields, for the props and methods that take rules: a JavaScript
// `maxImageAge: 30` (a number, not a Duration) or `tagPrefixList: 'v'` is refused with the field's name instead
// of failing with a TypeError or rendering a rule that ECR rejects. Values are checked by rule-check.ts.
import { Duration } from 'aws-cdk-lib';
import { instanceOf, listOf, number, Schema, string, struct } from '../../private/prop-types';

const duration = instanceOf('Duration', Duration, 'use Duration.days(n)');

/** The fields of an `EcrLifecycleRule` (and of aws-ecr's `LifecycleRule`) whose type the rule checks do not check. */
const RULE_FIELDS: Schema = {
  rulePriority: number,
  description: string,
  tagPrefixList: listOf(string),
  tagPatternList: listOf(string),
  maxImageCount: number,
  maxImageAge: duration,
  maxAgeSinceLastPull: duration,
  maxAgeSinceArchived: duration,
};

/** One lifecycle rule: an object with fields of the right types. */
export const LIFECYCLE_RULE = struct('an EcrLifecycleRule', RULE_FIELDS);

/** The `lifecycleRules` prop of EcrRepository and of creation templates. */
export const LIFECYCLE_RULES = listOf(LIFECYCLE_RULE);
