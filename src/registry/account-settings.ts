// EcrAccountSettings: the private registry's account settings that ECR manages only through its
// PutAccountSetting API (no CloudFormation resource): REGISTRY_POLICY_SCOPE and BLOB_MOUNTING, set with
// aws-cdk-lib's AwsCustomResource, and put back on delete to the value read when they were first set.
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutAccountSetting.html
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAccountSetting.html
import { aws_iam as iam, custom_resources as cr, CustomResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { throwIfProblems } from '../private/errors';
import { boolean, checkProps, oneOf } from '../private/prop-types';
import { claimOncePerStack } from '../private/singleton';

/**
 * Which requests ECR checks against the registry policy (the account setting `REGISTRY_POLICY_SCOPE`).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export enum RegistryPolicyScope {
  /**
   * The original scope: ECR enforces only `ecr:ReplicateImage`, `ecr:BatchImportUpstreamImage` and
   * `ecr:CreateRepository` at the registry level. AWS does not recommend going back to it.
   */
  V1 = 'V1',
  /**
   * The extended scope: every ECR action may appear in the registry policy, and ECR enforces the registry
   * policy on every ECR request. The default of registries created since V2 was introduced.
   */
  V2 = 'V2',
}

/**
 * Properties of an `EcrAccountSettings`. Set at least one; a setting left out is not touched.
 */
export interface EcrAccountSettingsProps {
  /**
   * The registry policy scope (`REGISTRY_POLICY_SCOPE`). `EcrRegistryPolicy`'s pull through cache and
   * repository creation statements are meant for `V2`.
   *
   * @default - not managed: the account keeps its current scope
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-account-settings.html
   */
  readonly registryPolicyScope?: RegistryPolicyScope;

  /**
   * Whether ECR mounts layers that already exist in another repository of the registry instead of storing them
   * again (`BLOB_MOUNTING`, `ENABLED` or `DISABLED`).
   *
   * Layers are shared only between repositories with the same encryption type and key: repositories that each
   * have their own KMS key (`EcrRepository`'s default for `KMS`) share nothing and gain nothing from it, while
   * AES-256 repositories, or KMS repositories that share one key, do.
   *
   * @default - not managed: the account keeps its current setting
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutAccountSetting.html
   */
  readonly blobMounting?: boolean;
}

/** One account setting: its name and the value to put. */
interface Setting {
  readonly id: string;
  readonly name: string;
  readonly value: string;
}

/**
 * The private registry's account settings for one account and region: the registry policy scope and blob
 * mounting, which ECR manages only through `PutAccountSetting` (there is no CloudFormation resource).
 *
 * Each setting is two `AwsCustomResource`s: the first reads the setting's value once, when it is created
 * (`GetAccountSetting`), and keeps it as its physical resource id; the second puts the new value on create and
 * update (`PutAccountSetting`), and on delete puts back the value the first one read. So removing a setting from the props, or removing this construct
 * or its stack, restores what the account had before this construct managed it. The Lambda function of
 * `AwsCustomResource` may call only `ecr:GetAccountSetting` and `ecr:PutAccountSetting` (neither supports a
 * resource, so both are on `*`).
 *
 * The account settings exist once per account and region: a second `EcrAccountSettings` in the same stack is an
 * error; two stacks that both manage the same setting in one account and region overwrite each other, and the
 * second to be deleted restores the value the first one set.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-settings.html
 */
export class EcrAccountSettings extends Construct {
  /** The registry policy scope this construct sets, if any. */
  public readonly registryPolicyScope?: RegistryPolicyScope;

  /** The blob mounting setting this construct sets, if any. */
  public readonly blobMounting?: boolean;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the settings to manage; at least one.
   */
  public constructor(scope: Construct, id: string, props: EcrAccountSettingsProps) {
    super(scope, id);
    props = checkProps(this, 'EcrAccountSettings', props, {
      registryPolicyScope: oneOf('RegistryPolicyScope', Object.values(RegistryPolicyScope)),
      blobMounting: boolean,
    });
    throwIfProblems(`${this.node.path}: invalid EcrAccountSettings props`, propsProblems(props));
    claimOncePerStack(this, 'EcrAccountSettings', first =>
      `only one EcrAccountSettings is allowed per stack, and '${first}' already is one. `
      + 'The account settings are one per account and region: set every setting in one EcrAccountSettings.');
    this.registryPolicyScope = props.registryPolicyScope;
    this.blobMounting = props.blobMounting;

    const settings: Setting[] = [];
    if (props.registryPolicyScope !== undefined) {
      settings.push({ id: 'RegistryPolicyScope', name: 'REGISTRY_POLICY_SCOPE', value: props.registryPolicyScope });
    }
    if (props.blobMounting !== undefined) {
      settings.push({ id: 'BlobMounting', name: 'BLOB_MOUNTING', value: props.blobMounting ? 'ENABLED' : 'DISABLED' });
    }
    for (const setting of settings) this.manage(setting);
  }

  private manage(setting: Setting): void {
    // Read once, at create, into the physical resource id: an update of this resource (no onUpdate) keeps its
    // physical id, where response data would be lost, so `Ref` is the value from before for the resource's life.
    const before = new cr.AwsCustomResource(this, `${setting.id}Before`, {
      onCreate: {
        service: 'ECR',
        action: 'GetAccountSetting',
        parameters: { name: setting.name },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('value'),
        outputPaths: ['value'],
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ecr:GetAccountSetting'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    const valueBefore = (before.node.defaultChild as CustomResource).ref;
    const put = (value: string): cr.AwsSdkCall => ({
      service: 'ECR',
      action: 'PutAccountSetting',
      parameters: { name: setting.name, value },
      physicalResourceId: cr.PhysicalResourceId.of(setting.name),
    });
    new cr.AwsCustomResource(this, setting.id, {
      onCreate: put(setting.value),
      onUpdate: put(setting.value),
      // CloudFormation resolves the Ref when it creates this resource and hands the resolved properties to the
      // delete: the value read before this construct set anything. The Ref also makes this resource depend on the
      // read, so a stack deletion deletes (restores) this one first.
      onDelete: put(valueBefore),
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ecr:PutAccountSetting'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
  }
}

/**
 * PutAccountSetting: "Valid values for registry policy scope: V1 or V2. Valid values for blob mounting: ENABLED
 * or DISABLED." JavaScript callers may pass anything, so the values are checked here.
 */
function propsProblems(props: EcrAccountSettingsProps): string[] {
  const problems: string[] = [];
  if (props.registryPolicyScope === undefined && props.blobMounting === undefined) {
    problems.push('set registryPolicyScope or blobMounting (or both): an EcrAccountSettings without a setting does nothing');
  }
  return problems;
}
