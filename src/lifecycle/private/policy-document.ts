// The JSON shape of an ECR lifecycle policy (LifecyclePolicyText), exactly as ECR documents it.
// Internal: the public API speaks in CDK rule structs; this is what they render to and what ECR reads.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html

/** `selection` of one rule. */
export interface PolicySelectionJson {
  readonly tagStatus: string;
  readonly tagPrefixList?: string[];
  readonly tagPatternList?: string[];
  readonly storageClass?: string;
  readonly countType: string;
  readonly countUnit?: string;
  readonly countNumber: number;
}

/** `action` of one rule. */
export interface PolicyActionJson {
  readonly type: string;
  readonly targetStorageClass?: string;
}

/** One rule of the `rules` array. */
export interface PolicyRuleJson {
  readonly rulePriority: number;
  readonly description?: string;
  readonly selection: PolicySelectionJson;
  readonly action: PolicyActionJson;
}

/** The whole LifecyclePolicyText document. */
export interface PolicyDocumentJson {
  readonly rules: PolicyRuleJson[];
}
