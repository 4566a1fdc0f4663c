// ECR's limits on a lifecycle policy: every number, once, with the sentence of the AWS documentation that sets it.
// The checks that enforce them are in document-validator.ts; the helpers, the CDK rules and the JSON all go through it.

/**
 * `lifecyclePolicyText`: "Length Constraints: Minimum length of 100. Maximum length of 30720."
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html
 */
export const MIN_POLICY_TEXT_LENGTH = 100;
/** @see MIN_POLICY_TEXT_LENGTH (which refuses a policy without rules: `{"rules":[]}` is 12 characters) */
export const MAX_POLICY_TEXT_LENGTH = 30_720;

/**
 * Service quotas: "Rules per lifecycle policy: 50", not adjustable.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
 */
export const MAX_RULES_PER_POLICY = 50;

/**
 * `tagPatternList`: "There is a maximum limit of four wildcards (*) per string."
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export const MAX_WILDCARDS_PER_PATTERN = 4;

/**
 * "Images must be in archive storage for a minimum of 90 days before deletion."
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html
 */
export const MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE = 90;

/**
 * `rulePriority` ("A lifecycle policy rule with a priority of 1 will be applied first") and `countNumber`
 * (a count of images or of days) are whole numbers from 1.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export const MIN_WHOLE_NUMBER = 1;
