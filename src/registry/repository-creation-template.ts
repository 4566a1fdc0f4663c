// EcrRepositoryCreationTemplate: the settings ECR gives the repositories it creates by itself (on push, for a
// pull through cache rule, for replication), with EcrRepository's secure defaults, as
// AWS::ECR::RepositoryCreationTemplate. One per repository prefix and registry.
import { Annotations, aws_ecr as ecr, aws_iam as iam, aws_kms as kms, RemovalPolicy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as repositoryPolicy from '../access/private/repository-policy';
import { EcrLifecyclePolicy } from '../lifecycle/policy';
import { LIFECYCLE_RULES } from '../lifecycle/private/rule-types';
import * as safety from '../lifecycle/private/safety';
import { repositoriesUnder, TEMPLATE_PREFIX } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import { renderExclusionFilters } from '../private/exclusion-filters';
import * as finalTemplate from '../private/final-template';
import { checkProps, IAM_ROLE, listOf, oneOf, required, Schema, string } from '../private/prop-types';
import { resolveEncryption, SETTINGS_TYPES, settingsProblems } from '../private/repository-settings';
import { claimOncePerStack } from '../private/singleton';
import { RepositorySettingsProps } from '../repository-settings-props';

/**
 * Which repositories ECR creates with a template.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RepositoryCreationTemplate.html
 */
export enum RepositoryCreationTemplateAppliedFor {
  /** Repositories created by the first push of an image to a repository that does not exist yet. */
  CREATE_ON_PUSH = 'CREATE_ON_PUSH',
  /** Repositories created by a pull through cache rule on the first pull of an upstream image. */
  PULL_THROUGH_CACHE = 'PULL_THROUGH_CACHE',
  /** Repositories created in this registry by replication from another region or account. */
  REPLICATION = 'REPLICATION',
}

/**
 * The settings of the repositories a template creates: `EcrRepository`'s settings, with the same defaults, where
 * ECR's template supports them.
 *
 * Scan on push is not a template setting: use `EcrRegistryScanning` for the whole registry.
 */
export interface RepositoryCreationTemplateOptions extends RepositorySettingsProps {
  /**
   * What the template is for, shown in the ECR console. At most 256 characters.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * The IAM role ECR assumes to create repositories with a KMS key or resource tags (ECR needs one then).
   * It must be in this account (a role of another account is refused); it gets `kms:CreateGrant` (for grants to
   * AWS resources only), `kms:RetireGrant` and `kms:DescribeKey` on the key.
   *
   * @default - with a KMS key or tags, a role that ECR can assume, allowed to create and tag the repositories of
   * this prefix and to use the key; otherwise none (ECR uses its service-linked role)
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create.html
   */
  readonly customRole?: iam.IRole;
}

/**
 * Properties of an `EcrRepositoryCreationTemplate`.
 */
export interface EcrRepositoryCreationTemplateProps extends RepositoryCreationTemplateOptions {
  /**
   * The repository name prefix the template applies to: `prod` applies to `prod/...` (ECR adds the `/`);
   * `ROOT` to every repository that no other template matches. For a pull through cache rule, its prefix.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html
   */
  readonly prefix: string;

  /** Which repositories ECR creates with this template: one to three of the kinds, each once. */
  readonly appliedFor: RepositoryCreationTemplateAppliedFor[];
}

/** The types of the options (`checkProps` refuses a wrong one before their values are checked). */
export const OPTIONS_TYPES: Schema = {
  ...repositoryPolicy.ACCESS_TYPES,
  ...SETTINGS_TYPES,
  description: string,
  lifecycleRules: LIFECYCLE_RULES,
  customRole: IAM_ROLE,
};

const PROPS_TYPES: Schema = {
  ...OPTIONS_TYPES,
  prefix: required(string, "the repository name prefix, e.g. 'prod', or 'ROOT'"),
  appliedFor: required(listOf(oneOf('RepositoryCreationTemplateAppliedFor', Object.values(RepositoryCreationTemplateAppliedFor))),
    'the kinds of repositories, e.g. [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH]'),
};

const MAX_PREFIX_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 256;
/**
 * What ECR's role needs on the key to create encrypted repositories (repository-creation-templates-custom.html):
 * `kms:CreateGrant` (only for grants to AWS resources, the grant ECR makes for the repository), then these.
 */
const KEY_ACTIONS = ['kms:RetireGrant', 'kms:DescribeKey'];
/** The condition on the role's `kms:CreateGrant`: a grant for an AWS resource, as ECR's grant for a repository is. */
const CREATE_GRANT_CONDITION = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };

/**
 * A repository creation template: the settings ECR gives the repositories it creates by itself, on push, for a
 * pull through cache rule or for replication, which would otherwise get none of `EcrRepository`'s defaults.
 *
 * Defaults, both written into the template: MUTABLE tags, AES-256 encryption. With a KMS key or tags ECR needs a
 * role to create the repositories; one is created unless you pass `customRole`. A template is per registry
 * (account and region) and prefix: two with the same prefix in one stack are an error.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */
export class EcrRepositoryCreationTemplate extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnRepositoryCreationTemplate;

  /** The repository name prefix the template applies to. */
  public readonly prefix: string;

  /**
   * The customer-managed KMS key of the created repositories: `encryptionKey`, or the key created for
   * `encryption: RepositoryEncryption.KMS`.
   *
   * @default - none (AES-256 encryption)
   */
  public readonly encryptionKey?: kms.IKey;

  /**
   * The role ECR assumes to create repositories: `customRole`, or the one created for a KMS key or tags.
   *
   * @default - none (ECR's service-linked role)
   */
  public readonly role?: iam.IRole;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the prefix, what the template applies to and the settings of the created repositories.
   */
  public constructor(scope: Construct, id: string, props: EcrRepositoryCreationTemplateProps) {
    super(scope, id);
    props = checkProps(this, 'EcrRepositoryCreationTemplate', props, PROPS_TYPES);
    this.prefix = props.prefix;
    const stack = Stack.of(this);
    const rules = props.lifecycleRules ?? [];
    const policy = EcrLifecyclePolicy.fromRules(rules);
    const problems = [
      ...checkPrefixAndKinds(props),
      ...settingsProblems(props),
      ...repositoryPolicy.accessPropsProblems(stack, props),
      ...(rules.length > 0 ? policy.validate() : []),
    ];
    const roleAccount = props.customRole?.env.account;
    if (roleAccount !== undefined && Token.compareStrings(roleAccount, stack.account) === TokenComparison.DIFFERENT) {
      problems.push(`customRole: '${props.customRole?.roleArn}' is a role of the account ${roleAccount}; ECR assumes a role of this registry's account `
        + `(${stack.account}) to create its repositories, and a foreign role would be written into the key's grants; use a role of this account`);
    }
    if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > MAX_DESCRIPTION_LENGTH) {
      problems.push(`description: at most ${MAX_DESCRIPTION_LENGTH} characters, got ${props.description.length}`);
    }
    throwIfProblems(`${this.node.path}: invalid EcrRepositoryCreationTemplate props`, problems);
    claimOncePerStack(this, `EcrRepositoryCreationTemplate:${this.prefix}`, first =>
      `prefix '${this.prefix}' already has the repository creation template '${first}'; give each template its own prefix, `
      + 'and put every kind it applies to in appliedFor');

    const mutability = props.imageTagMutability ?? ecr.TagMutability.MUTABLE;

    if (props.dangerouslyAllowPullFromAnyAwsAccount) {
      Annotations.of(this).addWarningV2('cdk-secure-ecr:publicPull',
        'dangerouslyAllowPullFromAnyAwsAccount is on: every AWS account in the world can pull the images of every repository this template creates, and you pay for the transfer. Acknowledge this warning if that is intended.');
    }

    // Retained: the images of the repositories the template created need the key after the template is gone.
    const resolved = resolveEncryption(this, props,
      `Encrypts the images of the ECR repositories created by the template ${this.node.path}`, RemovalPolicy.RETAIN);
    const encryption = resolved.encryption;
    this.encryptionKey = resolved.key;
    const tags = Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value }));
    const needsRole = props.customRole === undefined && (this.encryptionKey !== undefined || tags.length > 0);
    const created = needsRole ? this.createRole(stack, tags.length > 0) : undefined;
    this.role = props.customRole ?? created?.role;
    if (props.customRole !== undefined && this.encryptionKey !== undefined) {
      const key = this.encryptionKey;
      iam.Grant.addToPrincipalOrResource({
        grantee: props.customRole, actions: ['kms:CreateGrant'], resourceArns: [key.keyArn], resource: key, conditions: CREATE_GRANT_CONDITION,
      });
      key.grant(props.customRole, ...KEY_ACTIONS);
    }

    const statements = repositoryPolicy.accessStatements(stack, props);
    const policyText = statements.length > 0 ? stack.toJsonString(new iam.PolicyDocument({ statements })) : undefined;

    this.resource = new ecr.CfnRepositoryCreationTemplate(this, 'Resource', {
      prefix: this.prefix,
      appliedFor: props.appliedFor,
      description: props.description,
      imageTagMutability: mutability,
      imageTagMutabilityExclusionFilters: props.imageTagMutabilityExclusionFilters === undefined
        ? undefined : renderExclusionFilters(this, props.imageTagMutabilityExclusionFilters),
      encryptionConfiguration: { encryptionType: encryption.value, kmsKey: this.encryptionKey?.keyArn },
      lifecyclePolicy: rules.length > 0 ? policy.toJson() : undefined,
      repositoryPolicy: policyText,
      resourceTags: tags.length > 0 ? tags : undefined,
      customRoleArn: this.role?.roleArn,
    });
    const resource = this.resource;
    safety.reportAtSynthesis(resource, () => rules, () => policy, mutability);
    // ECR uses the role as soon as the template exists: its permissions must be attached by then.
    if (created !== undefined) this.resource.node.addDependency(created.policy);

    // The policy and the settings once more on what the template finally says (after overrides, L1 setters, Aspects).
    const written = writtenSettings(this.resource);
    const promises = { mutability, encryption: encryption.value, keyArn: this.encryptionKey?.keyArn };
    this.node.addValidation({
      validate: () => finalTemplateProblems(this, written, promises, props.dangerouslyAllowPullFromAnyAwsAccount === true),
    });
  }

  // ECR's documented custom role, scoped to the repositories of this prefix, with a managed policy (compliance
  // packs flag inline policies).
  // Its trust is confined to ECR acting for this account (aws:SourceAccount), against the confused deputy problem.
  // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
  private createRole(stack: Stack, tagged: boolean): { role: iam.Role; policy: iam.ManagedPolicy } {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ecr.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
      description: `ECR creates the repositories of the template ${this.node.path} with this role`,
    });
    const repositories = stack.formatArn({
      service: 'ecr', resource: 'repository', resourceName: repositoriesUnder(this.prefix),
    });
    const statements = [new iam.PolicyStatement({
      actions: ['ecr:CreateRepository', 'ecr:ReplicateImage', ...(tagged ? ['ecr:TagResource'] : [])],
      resources: [repositories],
    })];
    if (this.encryptionKey !== undefined) {
      statements.push(
        new iam.PolicyStatement({ actions: ['kms:CreateGrant'], resources: [this.encryptionKey.keyArn], conditions: CREATE_GRANT_CONDITION }),
        new iam.PolicyStatement({ actions: KEY_ACTIONS, resources: [this.encryptionKey.keyArn] }),
      );
    }
    const policy = new iam.ManagedPolicy(this, 'RolePolicy', { statements, roles: [role] });
    return { role, policy };
  }
}

/**
 * The repository policy of a template checked on the final template with the principal rules, and the
 * immutability and customer key its props asked for, each naming what changed it.
 */
/** The L1 properties a guarantee is about, as the construct wrote them (to tell a setter from an override). */
function writtenSettings(cfn: ecr.CfnRepositoryCreationTemplate): Record<string, unknown> {
  return {
    RepositoryPolicy: cfn.repositoryPolicy,
    ImageTagMutability: cfn.imageTagMutability,
    EncryptionConfiguration: cfn.encryptionConfiguration,
  };
}

function finalTemplateProblems(
  template: EcrRepositoryCreationTemplate, written: Record<string, unknown>, promises: finalTemplate.PromisedSettings, publicPull: boolean,
): string[] {
  const cfn = template.resource;
  const stack = Stack.of(cfn);
  const { properties } = finalTemplate.rendered(cfn);
  const l1Values = writtenSettings(cfn);
  const why = (name: string): string => `[${finalTemplate.changedBy(cfn, name, l1Values[name], written[name], properties[name])}]`;
  const problems = repositoryPolicy.policyProblems(stack, properties.RepositoryPolicy, publicPull, template)
    .map(problem => `${problem} ${why('RepositoryPolicy')}`);
  problems.push(...finalTemplate.promisedSettingsProblems(cfn, properties, promises, 'EcrRepositoryCreationTemplate', why));
  return problems;
}

function checkPrefixAndKinds(props: EcrRepositoryCreationTemplateProps): string[] {
  const problems: string[] = [];
  const prefix = props.prefix;
  if (!Token.isUnresolved(prefix) && (prefix.length > MAX_PREFIX_LENGTH || !TEMPLATE_PREFIX.test(prefix))) {
    problems.push(`prefix: '${prefix}' is not a repository prefix; use up to ${MAX_PREFIX_LENGTH} lower-case letters and digits, `
      + "separated by '.', '_', '__' or '-', with '/' between namespaces (e.g. 'prod' or 'docker-hub'), or 'ROOT' for every repository");
  }
  const kinds = props.appliedFor ?? [];
  if (kinds.length === 0) {
    problems.push('appliedFor: give at least one of CREATE_ON_PUSH, PULL_THROUGH_CACHE, REPLICATION');
  }
  kinds.forEach((kind, i) => {
    if (kinds.indexOf(kind) !== i) {
      problems.push(`appliedFor[${i}]: ${kind} is listed twice; list it once`);
    }
  });
  return problems;
}
