// EcrRepository: an ECR repository with secure, explicit defaults, validated lifecycle rules and presets
// for development and production. It wraps aws-ecr's Repository, exposed as `repository`.
import {
  Annotations, Lazy, RemovalPolicy, Token, aws_ecr as ecr, aws_iam as iam, aws_kms as kms,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EcrLifecycleRule } from './lifecycle/lifecycle-rule';
import { LifecyclePolicy } from './lifecycle/policy';
import { LifecycleRuleCheck } from './lifecycle/rule-check';
import { LifecycleSafety } from './lifecycle/safety';
import { EcrLifecycleRules } from './lifecycle-rules';

/**
 * Properties of an `EcrRepository`. Every default is the secure one and is written into the template.
 */
export interface EcrRepositoryProps {
  /**
   * Name of the repository.
   *
   * 2 to 256 characters: lowercase letters, digits and `.`, `_`, `-` separators, with `/` for namespaces
   * (e.g. `team/service`). Checked at construction unless it is a token.
   *
   * @default - CloudFormation generates a unique name
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
   */
  readonly repositoryName?: string;

  /**
   * Scan every image for vulnerabilities when it is pushed.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
   */
  readonly imageScanOnPush?: boolean;

  /**
   * Whether a tag can be moved to another image.
   *
   * @default TagMutability.MUTABLE
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
   */
  readonly imageTagMutability?: ecr.TagMutability;

  /**
   * Tags that are exempt from `imageTagMutability`, with `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION`.
   *
   * @default - no exclusions
   */
  readonly imageTagMutabilityExclusionFilters?: ecr.ImageTagMutabilityExclusionFilter[];

  /**
   * Encryption at rest.
   *
   * @default - RepositoryEncryption.KMS when `encryptionKey` is set, otherwise RepositoryEncryption.AES_256
   */
  readonly encryption?: ecr.RepositoryEncryption;

  /**
   * Customer-managed KMS key to encrypt images with. Implies `RepositoryEncryption.KMS`.
   *
   * @default - no customer key (AES-256, or the AWS managed key with `RepositoryEncryption.KMS`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the repository when it leaves the stack or the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Delete every image when the repository is deleted, so that deletion succeeds.
   *
   * Destroys data: needs `removalPolicy: RemovalPolicy.DESTROY`, and warns.
   *
   * @default false
   */
  readonly emptyOnDelete?: boolean;

  /**
   * Lifecycle rules, numbered 1, 2, 3... in the order given, with the `TagStatus.ANY` rule last.
   *
   * Use `EcrLifecycleRules` to build them, or write `EcrLifecycleRule` structs (a plain `aws-ecr` LifecycleRule is one).
   *
   * @default - no lifecycle policy
   */
  readonly lifecycleRules?: EcrLifecycleRule[];
}

/**
 * An Amazon ECR repository that is secure and tidy by default.
 *
 * Defaults (all explicit in the template): scan on push, MUTABLE tags, AES-256 encryption, RETAIN, no
 * empty-on-delete. `forDevelopment` and `forProduction` are presets for the two usual cases.
 *
 * @example
 * const repo = new EcrRepository(this, 'Repo', {
 *   repositoryName: 'my-app',
 *   lifecycleRules: EcrLifecycleRules.standardProd(),
 * });
 */
export class EcrRepository extends Construct {
  /**
   * A repository for development: MUTABLE tags, the standard development rules (untagged 7 days, keep 10),
   * removed with the stack together with its images (DESTROY + emptyOnDelete), scan on push.
   *
   * Props you pass override the preset's values.
   *
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props settings that override the preset's.
   */
  public static forDevelopment(scope: Construct, id: string, props: EcrRepositoryProps = {}): EcrRepository {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    return new EcrRepository(scope, id, {
      imageTagMutability: ecr.TagMutability.MUTABLE,
      lifecycleRules: EcrLifecycleRules.standardDev(),
      imageScanOnPush: true,
      ...props,
      removalPolicy,
      emptyOnDelete: props.emptyOnDelete ?? removalPolicy === RemovalPolicy.DESTROY,
    });
  }

  /**
   * A repository for production: IMMUTABLE tags, the standard production rules (untagged 14 days, keep 30),
   * RETAIN, scan on push.
   *
   * Props you pass override the preset's values.
   *
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props settings that override the preset's.
   */
  public static forProduction(scope: Construct, id: string, props: EcrRepositoryProps = {}): EcrRepository {
    return new EcrRepository(scope, id, {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      lifecycleRules: EcrLifecycleRules.standardProd(),
      removalPolicy: RemovalPolicy.RETAIN,
      imageScanOnPush: true,
      ...props,
    });
  }

  /**
   * The wrapped `aws-ecr` Repository: the escape hatch for resource policies, events and anything else.
   *
   * Its `addLifecycleRule` is routed to `EcrRepository.addLifecycleRule`, so those rules are checked and ordered too.
   */
  public readonly repository: ecr.Repository;

  /** The name of the repository. */
  public readonly repositoryName: string;

  /** The ARN of the repository. */
  public readonly repositoryArn: string;

  /** The URI of the repository, for `docker push` and `docker pull` (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`). */
  public readonly repositoryUri: string;

  private readonly lifecycleRules: EcrLifecycleRule[] = [];
  private cachedPolicy?: LifecyclePolicy;
  private readonly imageTagMutability: ecr.TagMutability;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props settings; every one is optional and defaults to the secure choice.
   */
  public constructor(scope: Construct, id: string, props: EcrRepositoryProps = {}) {
    super(scope, id);
    validateProps(this, props);

    const encryption = props.encryption ?? (props.encryptionKey ? ecr.RepositoryEncryption.KMS : ecr.RepositoryEncryption.AES_256);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.imageTagMutability = props.imageTagMutability ?? ecr.TagMutability.MUTABLE;
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: props.imageScanOnPush ?? true,
      imageTagMutability: this.imageTagMutability,
      imageTagMutabilityExclusionFilters: props.imageTagMutabilityExclusionFilters,
      encryption,
      encryptionKey: props.encryptionKey,
      removalPolicy,
      emptyOnDelete: props.emptyOnDelete,
    });
    this.repositoryName = this.repository.repositoryName;
    this.repositoryArn = this.repository.repositoryArn;
    this.repositoryUri = this.repository.repositoryUri;

    const cfnRepository = this.repository.node.defaultChild as ecr.CfnRepository;
    if (encryption === ecr.RepositoryEncryption.AES_256) {
      // aws-ecr leaves AES-256 implicit; scanners and reviewers should see it in the template.
      cfnRepository.encryptionConfiguration = { encryptionType: encryption.value };
    }
    this.takeOverLifecyclePolicy(cfnRepository);

    // Already checked with the other props, all at once.
    for (const rule of props.lifecycleRules ?? []) this.pushLifecycleRule(rule);

    if (props.emptyOnDelete) {
      Annotations.of(this).addWarningV2('cdk-secure-ecr:emptyOnDelete',
        'emptyOnDelete is on: deleting this repository (or its stack) permanently deletes every image in it. Acknowledge this warning if that is intended.');
    }
  }

  /**
   * Add a lifecycle rule. It takes the next priority after the rules already added (an ANY rule stays last).
   *
   * @param rule an `EcrLifecycleRules` helper's rule or a plain `aws-ecr` LifecycleRule.
   * @throws if the rule is invalid on its own (e.g. `maxImageCount: 0`), naming this construct and the fix.
   */
  public addLifecycleRule(rule: EcrLifecycleRule): void {
    const problems = LifecycleRuleCheck.problems(rule, this.lifecycleRules.length);
    if (problems.length > 0) {
      throw new Error(`${this.node.path}: invalid lifecycle rule:\n${problems.map(p => `  - ${p}`).join('\n')}`);
    }
    this.pushLifecycleRule(rule);
  }

  /**
   * Grant pull (read image) permissions on this repository, and `ecr:GetAuthorizationToken`.
   *
   * @param grantee the role, user or other grantable that gets the permissions.
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPull(grantee);
  }

  /**
   * Grant push (write image) permissions on this repository, and `ecr:GetAuthorizationToken`.
   *
   * @param grantee the role, user or other grantable that gets the permissions.
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPush(grantee);
  }

  /**
   * Grant pull and push permissions on this repository, and `ecr:GetAuthorizationToken`.
   *
   * @param grantee the role, user or other grantable that gets the permissions.
   */
  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPullPush(grantee);
  }

  private pushLifecycleRule(rule: EcrLifecycleRule): void {
    this.lifecycleRules.push(rule);
    this.cachedPolicy = undefined;
    if (LifecycleSafety.mayTakePartInWarning(rule)) this.warnAboutRiskyRules();
  }

  // The rendered policy, computed once per set of rules (the template renders it twice, validation once).
  private get policy(): LifecyclePolicy {
    this.cachedPolicy ??= LifecyclePolicy.fromRules(this.lifecycleRules);
    return this.cachedPolicy;
  }

  // Checked after every added rule: the relative priority of rules already added never changes, and
  // Annotations drops a message it already holds.
  private warnAboutRiskyRules(): void {
    const policy = this.policy;
    if (policy.validate().length > 0) return;
    const immutableTags = this.imageTagMutability === ecr.TagMutability.IMMUTABLE
      || this.imageTagMutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION;
    for (const warning of LifecycleSafety.warnings(JSON.parse(policy.toJson()), immutableTags)) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
  }

  // The lifecycle policy is rendered by LifecyclePolicy (ordering and checks aws-ecr doesn't do), so this
  // construct replaces aws-ecr's, and rules added through the escape hatch are routed here too.
  private takeOverLifecyclePolicy(cfnRepository: ecr.CfnRepository): void {
    this.repository.addLifecycleRule = (rule: ecr.LifecycleRule) => this.addLifecycleRule(rule);
    cfnRepository.lifecyclePolicy = Lazy.any({
      produce: () => {
        // An invalid policy renders nothing: the validation below fails synthesis and lists its problems.
        const render = this.lifecycleRules.length > 0 && this.policy.validate().length === 0;
        return render ? { lifecyclePolicyText: this.policy.toJson() } : undefined;
      },
    });
    this.node.addValidation({ validate: () => this.policy.validate() });
  }
}

// ECR's repository name rule, from the CreateRepository API reference.
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function validateProps(scope: Construct, props: EcrRepositoryProps): void {
  const problems: string[] = [];
  const name = props.repositoryName;
  if (name !== undefined && !Token.isUnresolved(name)) {
    if (name.length < 2 || name.length > 256) {
      problems.push(`repositoryName must be 2 to 256 characters long, got ${name.length} ('${name}')`);
    }
    if (!REPOSITORY_NAME.test(name)) {
      problems.push(`repositoryName '${name}' is not a valid ECR name: use lowercase letters and digits, separated by single '.', '_' or '-', with '/' between namespaces (e.g. 'team/my-app')`);
    }
  }
  if (props.emptyOnDelete && (props.removalPolicy ?? RemovalPolicy.RETAIN) !== RemovalPolicy.DESTROY) {
    problems.push(`emptyOnDelete deletes every image, so it needs removalPolicy: RemovalPolicy.DESTROY, got ${props.removalPolicy ?? 'RETAIN (the default)'}; set removalPolicy: RemovalPolicy.DESTROY or remove emptyOnDelete`);
  }
  if (props.encryptionKey && props.encryption && props.encryption !== ecr.RepositoryEncryption.KMS) {
    problems.push(`encryptionKey needs encryption: RepositoryEncryption.KMS, got ${props.encryption.value}; remove encryption or set it to KMS`);
  }
  const withExclusion = props.imageTagMutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION
    || props.imageTagMutability === ecr.TagMutability.MUTABLE_WITH_EXCLUSION;
  const filters = props.imageTagMutabilityExclusionFilters;
  if (filters !== undefined && !withExclusion) {
    problems.push(`imageTagMutabilityExclusionFilters need imageTagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, got ${props.imageTagMutability ?? 'MUTABLE (the default)'}`);
  }
  if (withExclusion && (filters === undefined || filters.length === 0)) {
    problems.push(`imageTagMutability ${props.imageTagMutability} needs 1 to 5 imageTagMutabilityExclusionFilters, e.g. [ImageTagMutabilityExclusionFilter.wildcard('latest')]`);
  }
  if (filters !== undefined && filters.length > 5) {
    problems.push(`imageTagMutabilityExclusionFilters allows at most 5 filters, got ${filters.length}`);
  }
  props.lifecycleRules?.forEach((rule, index) => problems.push(...LifecycleRuleCheck.problems(rule, index)));
  if (problems.length > 0) {
    throw new Error(`${scope.node.path}: invalid EcrRepository props:\n${problems.map(p => `  - ${p}`).join('\n')}`);
  }
}
