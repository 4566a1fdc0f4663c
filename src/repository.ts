// EcrRepository: an ECR repository with secure, explicit defaults, validated lifecycle rules and presets for
// development, production and compliance. It is an ecr.IRepository (extends RepositoryBase) and wraps aws-ecr's
// Repository, exposed as `repository`.
import {
  Annotations, Lazy, RemovalPolicy, Stack, Tags, Token, TokenComparison, aws_ecr as ecr, aws_events as events, aws_iam as iam, aws_kms as kms,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as repositoryPolicy from './access/private/repository-policy';
import * as scanFindingsRules from './alerts/private/scan-findings-rules';
import { ScanFindingsNotificationOptions } from './alerts/scan-findings';
import { EcrLifecycleRule } from './lifecycle/lifecycle-rule';
import { EcrLifecycleRules } from './lifecycle/lifecycle-rules';
import { EcrLifecyclePolicy } from './lifecycle/policy';
import * as deployedTags from './lifecycle/private/deployed-tags';
import * as ruleCheck from './lifecycle/private/rule-check';
import { LIFECYCLE_RULE, LIFECYCLE_RULES } from './lifecycle/private/rule-types';
import * as safety from './lifecycle/private/safety';
import * as signatureRules from './lifecycle/private/signature-rules';
import { REPOSITORY_NAME } from './private/aws-ids';
import { enumProblems } from './private/enums';
import { throwIfProblems } from './private/errors';
import * as finalTemplate from './private/final-template';
import { boolean, checkProps, Schema, string, valueProblems, withoutNulls } from './private/prop-types';
import { resolveEncryption, SETTINGS_TYPES, settingsProblems } from './private/repository-settings';
import { RoutedRepository } from './private/routed-repository';
import { tagProblems } from './private/tags';
import { isObject } from './private/text';
import { RepositorySettingsProps } from './repository-settings-props';

/**
 * Properties of an `EcrRepository`. Every default is the secure one and is written into the template.
 */
export interface EcrRepositoryProps extends RepositorySettingsProps {
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
   * What happens to the repository (and the key it creates) when it leaves the stack or the stack is deleted.
   *
   * `RemovalPolicy.SNAPSHOT` is refused: neither a repository nor a KMS key can be snapshotted.
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
}

/**
 * An Amazon ECR repository that is secure and tidy by default.
 *
 * It is an `ecr.IRepository`: pass it wherever aws-cdk-lib takes a repository
 * (`ecs.ContainerImage.fromEcrRepository(repo)`, `lambda.DockerImageCode.fromEcr(repo)`, ...); every grant on
 * those paths goes through this construct's `grantPull`/`addToResourcePolicy`, with their key grants and checks.
 *
 * Defaults, written into the template: scan on push, MUTABLE tags, AES-256 encryption, RETAIN; and no
 * empty-on-delete (`EmptyOnDelete` is left out, which is off). `forDevelopment`, `forProduction` and
 * `forCompliance` (AWS Control Tower's ECR and KMS controls) are presets for the usual cases.
 *
 * Its guarantees hold on the final template: at synthesis the `CfnRepository` (`node.defaultChild`) is checked as
 * CloudFormation will get it, after overrides, L1 setters, Aspects and mixins: the repository policy's principal
 * rules, and the immutability, scan on push, encryption key and EmptyOnDelete its props promise.
 *
 * @example
 * const repo = new EcrRepository(this, 'Repo', {
 *   repositoryName: 'my-app',
 *   lifecycleRules: EcrLifecycleRules.standardProd(),
 * });
 */
export class EcrRepository extends ecr.RepositoryBase {
  /**
   * A repository for development: MUTABLE tags, the standard development rules (untagged 7 days, keep 10),
   * removed with the stack together with its images (DESTROY + emptyOnDelete), scan on push.
   *
   * Each prop you set overrides the preset's value; a prop you leave undefined keeps it.
   *
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props settings that override the preset's.
   */
  public static forDevelopment(scope: Construct, id: string, props: EcrRepositoryProps = {}): EcrRepository {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    return new EcrRepository(scope, id, withPreset(props, {
      imageTagMutability: ecr.TagMutability.MUTABLE,
      lifecycleRules: EcrLifecycleRules.standardDev(),
      imageScanOnPush: true,
      removalPolicy,
      emptyOnDelete: removalPolicy === RemovalPolicy.DESTROY,
    }));
  }

  /**
   * A repository for production: IMMUTABLE tags, the standard production rules (untagged 14 days, keep 30),
   * RETAIN, scan on push.
   *
   * Each prop you set overrides the preset's value; a prop you leave undefined keeps it.
   *
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props settings that override the preset's.
   */
  public static forProduction(scope: Construct, id: string, props: EcrRepositoryProps = {}): EcrRepository {
    return new EcrRepository(scope, id, withPreset(props, {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      lifecycleRules: EcrLifecycleRules.standardProd(),
      removalPolicy: RemovalPolicy.RETAIN,
      imageScanOnPush: true,
    }, 'forProduction'));
  }

  /**
   * A repository that passes AWS Control Tower's ECR and KMS proactive controls (CT.ECR.PR.1 to PR.3,
   * CT.KMS.PR.1 to PR.3) and Security Hub's ECR.1 to ECR.3 and ECR.5: IMMUTABLE tags, scan on push, a created
   * rotating customer-managed KMS key (or your `encryptionKey`), the standard production rules (untagged 14 days,
   * keep 30), RETAIN.
   *
   * Each prop you set overrides the preset's value; a prop you leave undefined keeps it. Overriding
   * `imageTagMutability`, `imageScanOnPush`, `encryption` or `lifecycleRules` can fail a control again.
   *
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props settings that override the preset's.
   * @see https://docs.aws.amazon.com/controltower/latest/controlreference/ecr-rules.html
   */
  public static forCompliance(scope: Construct, id: string, props: EcrRepositoryProps = {}): EcrRepository {
    return new EcrRepository(scope, id, withPreset(props, {
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      lifecycleRules: EcrLifecycleRules.standardProd(),
      removalPolicy: RemovalPolicy.RETAIN,
    }, 'forCompliance'));
  }

  /**
   * The wrapped `aws-ecr` Repository: the escape hatch for anything this construct does not expose.
   *
   * Statements added with its `addToResourcePolicy` are checked at synthesis. A rule added with its
   * `addLifecycleRule` goes to `EcrRepository.addLifecycleRule` (this construct renders the lifecycle policy),
   * checked and numbered with the others, from every language. The `CfnRepository` is `node.defaultChild` of both.
   */
  public readonly repository: ecr.Repository;

  /** The name of the repository. */
  public get repositoryName(): string {
    // Read through, not copied at construction: newer aws-cdk-lib builds these tokens on first use.
    return this.repository.repositoryName;
  }

  /** The ARN of the repository. */
  public get repositoryArn(): string {
    return this.repository.repositoryArn;
  }

  /**
   * The customer-managed KMS key that encrypts the images: `encryptionKey`, or the key created for
   * `encryption: RepositoryEncryption.KMS`.
   *
   * @default - none (AES-256 encryption)
   */
  public readonly encryptionKey?: kms.IKey;

  private readonly lifecycleRules: EcrLifecycleRule[] = [];
  private cachedPolicy?: EcrLifecyclePolicy;
  private readonly imageTagMutability: ecr.TagMutability;
  private readonly createdKey?: kms.Key;
  private readonly publicPullAllowed: boolean;
  /** Every image URI `repositoryUriForTag` returned, with its tag: how workloads that deploy a tag are found. */
  private readonly taggedUris = new Map<string, string>();

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props settings; every one is optional and defaults to the secure choice.
   */
  public constructor(scope: Construct, id: string, props: EcrRepositoryProps = {}) {
    super(scope, id);
    const immutableBy = IMMUTABLE_PRESETS.get(props);
    props = checkProps(this, 'EcrRepository', props, PROPS_TYPES);
    validateProps(this, props);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.imageTagMutability = props.imageTagMutability ?? ecr.TagMutability.MUTABLE;
    this.publicPullAllowed = props.dangerouslyAllowPullFromAnyAwsAccount === true;
    const resolved = resolveEncryption(this, props, `Encrypts the images of the ECR repository ${this.node.path}`, removalPolicy);
    const { encryption, withKey } = resolved;
    this.createdKey = resolved.createdKey;
    this.encryptionKey = resolved.key;
    // Rules added through the escape hatch (repo.repository.addLifecycleRule) come here, to be checked and ordered.
    this.repository = new RoutedRepository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageScanOnPush: props.imageScanOnPush ?? true,
      imageTagMutability: this.imageTagMutability,
      imageTagMutabilityExclusionFilters: props.imageTagMutabilityExclusionFilters,
      // aws-ecr renders KMS only; KMS_DSSE is set on the CfnRepository below.
      encryption: withKey ? ecr.RepositoryEncryption.KMS : encryption,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      emptyOnDelete: props.emptyOnDelete,
    }, (rule) => this.addLifecycleRule(rule));

    const cfnRepository = this.repository.node.defaultChild as ecr.CfnRepository;
    // The escape hatch of every aws-cdk-lib construct: (repo.node.defaultChild as CfnRepository).addPropertyOverride(...).
    this.node.defaultChild = cfnRepository;
    if (!withKey || encryption.value === ecr.RepositoryEncryption.KMS_DSSE.value) {
      // aws-ecr leaves AES-256 implicit (scanners and reviewers should see it in the template) and refuses KMS_DSSE.
      cfnRepository.encryptionConfiguration = { encryptionType: encryption.value, kmsKey: this.encryptionKey?.keyArn };
    }
    this.takeOverLifecyclePolicy(cfnRepository);
    signatureRules.warnWhenSigned(this, cfnRepository);

    // Already checked with the other props, all at once.
    for (const rule of props.lifecycleRules ?? []) this.pushLifecycleRule(rule);

    for (const statement of repositoryPolicy.accessStatements(Stack.of(this), props)) this.repository.addToResourcePolicy(statement);
    if (props.dangerouslyAllowPullFromAnyAwsAccount) {
      Annotations.of(this).addWarningV2('cdk-secure-ecr:publicPull',
        'dangerouslyAllowPullFromAnyAwsAccount is on: every AWS account in the world can pull the images of this repository, and you pay for the transfer. Use Amazon ECR Public for public images, or acknowledge this warning.');
    }
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
    // Tags.of(repo).add(...) after construction too: tags are rendered by synthesis time.
    this.node.addValidation({
      validate: () => tagProblems(cfnRepository.tags.tagValues()),
    });

    if (props.emptyOnDelete) {
      Annotations.of(this).addWarningV2('cdk-secure-ecr:emptyOnDelete',
        'emptyOnDelete is on: deleting this repository (or its stack) permanently deletes every image in it. Acknowledge this warning if that is intended.');
    }

    // Every guarantee, once more on what the template finally says: after overrides, L1 setters, Aspects,
    // mixins and statements added or changed later (repo.repository.addToResourcePolicy, st.addAnyPrincipal()).
    const promises: Promises = {
      mutability: this.imageTagMutability,
      scanOnPush: props.imageScanOnPush ?? true,
      encryption: encryption.value,
      keyArn: this.encryptionKey?.keyArn,
      emptyOnDelete: props.emptyOnDelete === true,
      publicPull: this.publicPullAllowed,
      immutableBy,
    };
    const written = writtenSettings(cfnRepository);
    this.node.addValidation({ validate: () => finalTemplateProblems(this, cfnRepository, written, promises) });
  }

  /**
   * Add a statement to the repository policy, after the same checks as the access props.
   *
   * Every grant of the base class (`grantPull`, `grant`, aws-cdk-lib's `DockerImageCode.fromEcr`) comes here. A
   * statement for service principals without `aws:SourceAccount`/`aws:SourceArn` gets `aws:SourceAccount` of
   * this stack, so that the service acts only for this account (the confused deputy problem).
   *
   * @param statement the statement; it must have no `Resource` (ECR refuses one in a repository policy).
   * @throws if the statement would let in someone the access props refuse (e.g. `Principal: "*"` without a
   * condition that restricts who, `NotPrincipal`, or push for anyone), naming this construct and the fix.
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    const confined = repositoryPolicy.confineServices(Stack.of(this), statement);
    throwIfProblems(`${this.node.path}: invalid repository policy statement`,
      repositoryPolicy.policyProblems(Stack.of(this), { Statement: [confined.toStatementJson()] }, this.publicPullAllowed));
    return this.repository.addToResourcePolicy(confined);
  }

  /**
   * Apply a removal policy to the repository and to the KMS key this construct created for it.
   *
   * A key passed as `encryptionKey` is left as it is: it belongs to whoever created it.
   *
   * @param policy what happens to the repository (and its created key) when it leaves the stack.
   * @throws for `RemovalPolicy.SNAPSHOT`, which neither a repository nor a key supports.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    throwIfProblems(`${this.node.path}: invalid removal policy`, removalPolicyProblems(policy));
    this.repository.applyRemovalPolicy(policy);
    this.createdKey?.applyRemovalPolicy(policy);
  }

  /**
   * Add a lifecycle rule. It takes the next priority after the rules already added (an ANY rule stays last).
   *
   * @param rule an `EcrLifecycleRules` helper's rule or a plain `aws-ecr` LifecycleRule.
   * @throws if the rule is invalid on its own (e.g. `maxImageCount: 0`), naming this construct and the fix.
   */
  public addLifecycleRule(rule: EcrLifecycleRule): void {
    const types = valueProblems(LIFECYCLE_RULE, rule, 'rule');
    throwIfProblems(`${this.node.path}: invalid lifecycle rule`, types.length > 0 ? types : ruleCheck.ruleProblems(rule, this.lifecycleRules.length));
    this.pushLifecycleRule(rule);
  }

  /**
   * Add several lifecycle rules, in order, e.g. `addLifecycleRules(EcrLifecycleRules.standardProd())`.
   *
   * The form to use from Python, where `add_lifecycle_rule` takes the rule's fields as keyword arguments
   * and so cannot take a helper's result.
   *
   * @param rules the rules, numbered after the rules already added in the order given.
   * @throws if a rule is invalid on its own, listing every problem; then none of them is added.
   */
  public addLifecycleRules(rules: EcrLifecycleRule[]): void {
    const first = this.lifecycleRules.length;
    const types = valueProblems(LIFECYCLE_RULES, rules, 'rules');
    throwIfProblems(`${this.node.path}: invalid lifecycle rules`,
      types.length > 0 ? types : rules.flatMap((rule, index) => ruleCheck.ruleProblems(rule, first + index)));
    rules.forEach(rule => this.pushLifecycleRule(rule));
  }

  /**
   * Grant pull (read image) permissions on this repository, and `ecr:GetAuthorizationToken`; with a customer
   * key, a grantee of this account also gets `kms:Decrypt` on it through ECR only (`kms:ViaService`), in its
   * identity policy. The key policy is never changed: ECR decrypts through the KMS grant it holds for the
   * repository, so a grantee of another account needs the repository policy only.
   *
   * @param grantee the role, user or other grantable that gets the permissions.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    this.grantKey(grantee, ['kms:Decrypt']);
    return super.grantPull(grantee);
  }

  /**
   * The URI of the image with `tag`, as `RepositoryBase` builds it (`ACCOUNT.dkr.ecr.REGION.URLSUFFIX/NAME:TAG`).
   *
   * aws-cdk-lib deploys an image of this repository by tag through this method
   * (`ecs.ContainerImage.fromEcrRepository`, `lambda.DockerImageCode.fromEcr`, `codebuild.LinuxBuildImage.fromEcrRepository`):
   * at synthesis, a workload of the app that deploys a tag one of this repository's lifecycle rules expires or
   * archives by age (`sinceImagePushed`, `sinceImagePulled`) gets the acknowledgeable warning
   * `cdk-secure-ecr:deployedTagExpires`.
   *
   * @param tag the image tag; without one the URI names no tag, which Docker and the services read as `latest`.
   */
  public repositoryUriForTag(tag?: string): string {
    const uri = super.repositoryUriForTag(tag);
    if (tag === undefined || tag.length === 0 || !Token.isUnresolved(tag)) this.taggedUris.set(uri, tag || 'latest');
    return uri;
  }

  /**
   * Grant push (write image) permissions on this repository, and `ecr:GetAuthorizationToken`; with a customer
   * key, a grantee of this account also gets `kms:GenerateDataKey` and `kms:Decrypt` on it through ECR only
   * (`kms:ViaService`), in its identity policy. The key policy is never changed.
   *
   * @param grantee the role, user or other grantable that gets the permissions.
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey']);
    return super.grantPush(grantee);
  }

  /**
   * Grant pull and push permissions on this repository (and its customer key), and `ecr:GetAuthorizationToken`.
   *
   * @param grantee the role, user or other grantable that gets the permissions.
   */
  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    this.grantKey(grantee, ['kms:Decrypt', 'kms:GenerateDataKey']);
    return super.grantPullPush(grantee);
  }

  private pushLifecycleRule(rule: EcrLifecycleRule): void {
    this.lifecycleRules.push(rule);
    this.cachedPolicy = undefined;
  }

  // The rendered policy, computed once per set of rules (the template renders it twice, validation once).
  private get policy(): EcrLifecyclePolicy {
    this.cachedPolicy ??= EcrLifecyclePolicy.fromRules(this.lifecycleRules);
    return this.cachedPolicy;
  }

  /**
   * Notify an SNS topic when an image scan of this repository finds vulnerabilities of `minimumSeverity` or worse.
   *
   * Creates an EventBridge rule on the repository's "ECR Image Scan" events, and with `enhancedScanning` a second
   * one on its "Inspector2 Finding" events.
   *
   * @param id the construct id of the rule (the Inspector rule gets `${id}Inspector`).
   * @param options the topic, the minimum severity and whether to include enhanced scanning findings.
   * @returns the rules created: the "ECR Image Scan" rule first
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
   */
  public notifyOnScanFindings(id: string, options: ScanFindingsNotificationOptions): events.Rule[] {
    return scanFindingsRules.create(this, id, this.repositoryName, options);
  }

  /**
   * An EventBridge rule for each successful image push to this repository (ECR's own "ECR Image Action" event,
   * which needs no CloudTrail trail, unlike `repository.onCloudTrailImagePushed`).
   *
   * @param id the construct id of the rule.
   * @param options the rule's target, description and extra event pattern (e.g. `detail: { 'image-tag': ['latest'] }`).
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
   */
  public onImagePushed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onEvent(id, {
      ...options,
      eventPattern: {
        ...options.eventPattern,
        source: ['aws.ecr'],
        detailType: ['ECR Image Action'],
        detail: { ...options.eventPattern?.detail, 'action-type': ['PUSH'], 'result': ['SUCCESS'], 'repository-name': [this.repositoryName] },
      },
    });
  }

  // ECR encrypts and decrypts image layers with the KMS grant it creates on the key for the repository when the
  // repository is created; pullers and pushers need the repository policy (or IAM) only. A grantee of this
  // account also gets the key's use through ECR in its identity policy, for key policies that delegate to IAM.
  // Nothing goes into the key policy: another account's grantee could not use an identity statement on this
  // key anyway, and a key-policy statement naming the key's own ARN makes a dependency cycle (Key -> Key).
  // @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
  private grantKey(grantee: iam.IGrantable, actions: string[]): void {
    const account = grantee.grantPrincipal.principalAccount;
    const comparison = account === undefined ? TokenComparison.SAME : Token.compareStrings(account, Stack.of(this).account);
    if (this.encryptionKey !== undefined && (comparison === TokenComparison.SAME || comparison === TokenComparison.BOTH_UNRESOLVED)) {
      iam.Grant.addToPrincipal({
        grantee,
        actions,
        resourceArns: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `ecr.${Stack.of(this).region}.amazonaws.com` } },
      });
    }
  }

  // The lifecycle policy is rendered by EcrLifecyclePolicy (ordering and checks aws-ecr doesn't do), so this
  // construct replaces aws-ecr's; rules added through the escape hatch are routed here by RoutedRepository.
  private takeOverLifecyclePolicy(cfnRepository: ecr.CfnRepository): void {
    cfnRepository.lifecyclePolicy = Lazy.any({
      produce: () => {
        // An invalid policy renders nothing: the validation below fails synthesis and lists its problems.
        const render = this.lifecycleRules.length > 0 && this.policy.validate().length === 0;
        return render ? { lifecyclePolicyText: this.policy.toJson() } : undefined;
      },
    });
    // No rules is no lifecycle policy at all (a policy needs at least one rule).
    this.node.addValidation({ validate: () => this.lifecycleRules.length > 0 ? this.policy.validate() : [] });
    // At synthesis, from the final rules and workloads: warn where a workload deploys a tag a rule expires by age.
    this.node.addValidation({
      validate: () => {
        if (this.taggedUris.size > 0 && this.lifecycleRules.length > 0 && this.policy.validate().length === 0) {
          deployedTags.reportWarnings(this, this.taggedUris, JSON.parse(this.policy.toJson()).rules);
        }
        return [];
      },
    });
    safety.reportAtSynthesis(cfnRepository, () => this.lifecycleRules, () => this.policy, this.imageTagMutability);
  }
}

/** The types of every prop (their values are checked by `validateProps`). */
const PROPS_TYPES: Schema = {
  ...repositoryPolicy.ACCESS_TYPES,
  ...SETTINGS_TYPES,
  repositoryName: string,
  imageScanOnPush: boolean,
  emptyOnDelete: boolean,
  lifecycleRules: LIFECYCLE_RULES,
};

/** The props that presets promising IMMUTABLE tags made, with the preset's name: the constructor holds them to it. */
const IMMUTABLE_PRESETS = new WeakMap<EcrRepositoryProps, string>();

/** What an EcrRepository's template must still say at synthesis, from its props (after a preset's values). */
interface Promises extends finalTemplate.PromisedSettings {
  readonly scanOnPush: boolean;
  readonly emptyOnDelete: boolean;
  readonly publicPull: boolean;
}

/** The L1 properties a guarantee is about, as the construct wrote them (to tell a setter from an override). */
function writtenSettings(cfn: ecr.CfnRepository): Record<string, unknown> {
  return {
    RepositoryPolicyText: cfn.repositoryPolicyText,
    ImageTagMutability: cfn.imageTagMutability,
    ImageScanningConfiguration: cfn.imageScanningConfiguration,
    EncryptionConfiguration: cfn.encryptionConfiguration,
    EmptyOnDelete: cfn.emptyOnDelete,
  };
}

/**
 * Every guarantee of the repository checked on its final template: the principal rules on the repository policy,
 * and the settings the props (and a preset) promise: tag immutability, scan on push, the encryption and its
 * key, and EmptyOnDelete only with its opt-in and a DeletionPolicy of Delete.
 */
function finalTemplateProblems(scope: Construct, cfn: ecr.CfnRepository, written: Record<string, unknown>, promises: Promises): string[] {
  const stack = Stack.of(cfn);
  const { properties, deletionPolicy } = finalTemplate.rendered(cfn);
  const l1Values = writtenSettings(cfn);
  const why = (name: string): string => `[${finalTemplate.changedBy(cfn, name, l1Values[name], written[name], properties[name])}]`;
  const problems = repositoryPolicy.policyProblems(stack, properties.RepositoryPolicyText, promises.publicPull, scope)
    .map(problem => `${problem} ${why('RepositoryPolicyText')}`);

  problems.push(...finalTemplate.promisedSettingsProblems(cfn, properties, promises, 'EcrRepository', why));
  const scanning = properties.ImageScanningConfiguration;
  const scanOnPush = isObject(scanning) ? scanning.ScanOnPush : undefined;
  if (promises.scanOnPush && scanOnPush !== true && scanOnPush !== 'true') {
    problems.push(`ImageScanningConfiguration.ScanOnPush is ${JSON.stringify(scanOnPush ?? false)} in the final template, but this repository `
      + `was made to scan on push ${why('ImageScanningConfiguration')}; set imageScanOnPush: false on the EcrRepository instead`);
  }
  const emptyOnDelete = properties.EmptyOnDelete === true || properties.EmptyOnDelete === 'true';
  if (emptyOnDelete && !promises.emptyOnDelete) {
    problems.push('EmptyOnDelete is true in the final template: deleting the repository deletes every image in it, and this repository did not opt in '
      + `${why('EmptyOnDelete')}; set emptyOnDelete: true and removalPolicy: RemovalPolicy.DESTROY on the EcrRepository to opt in`);
  }
  if (emptyOnDelete && deletionPolicy !== undefined && deletionPolicy !== 'Delete') {
    problems.push(`EmptyOnDelete is true in the final template, with DeletionPolicy ${deletionPolicy}: emptying the repository needs removalPolicy: `
      + 'RemovalPolicy.DESTROY, and a retained repository must keep its images; remove EmptyOnDelete or apply RemovalPolicy.DESTROY');
  }
  return problems;
}

/**
 * The preset's values, each overridden by the prop of the same name when that prop is set: an explicit
 * `undefined` or `null` (`lifecycleRules: maybeRules`, Python's `None`) keeps the preset's value instead of
 * wiping it. Props that are not an object go to the constructor as they are, which refuses them.
 *
 * @param immutableBy the preset's name when it promises IMMUTABLE tags
 */
function withPreset(props: EcrRepositoryProps, preset: EcrRepositoryProps, immutableBy?: string): EcrRepositoryProps {
  if (!isObject(props)) {
    return props;
  }
  const merged = { ...preset, ...withoutNulls(props) };
  if (immutableBy !== undefined) IMMUTABLE_PRESETS.set(merged, immutableBy);
  return merged;
}

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
  problems.push(...settingsProblems(props));
  problems.push(...removalPolicyProblems(props.removalPolicy));
  props.lifecycleRules?.forEach((rule, index) => problems.push(...ruleCheck.ruleProblems(rule, index)));
  problems.push(...repositoryPolicy.accessPropsProblems(Stack.of(scope), props));
  throwIfProblems(`${scope.node.path}: invalid EcrRepository props`, problems);
}

/** A repository and a KMS key can be destroyed or retained, not snapshotted. */
function removalPolicyProblems(policy: RemovalPolicy | undefined): string[] {
  const supported = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];
  return enumProblems('removalPolicy', policy, 'removal policy for a repository or a KMS key (SNAPSHOT is not supported)', supported);
}
