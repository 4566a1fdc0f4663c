import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EcrAccountSettings, RegistryPolicyScope } from '../../src/registry/account-settings';
import { newStack } from '../util';

const CUSTOM = 'Custom::AWS';

function sdkCall(action: string, parameters: Record<string, string>, id: string): string {
  return JSON.stringify({ service: 'ECR', action, parameters, physicalResourceId: { id } });
}

/** The GetAccountSetting call whose response's value becomes the physical resource id. */
function readCall(name: string): string {
  return JSON.stringify({ service: 'ECR', action: 'GetAccountSetting', parameters: { name }, physicalResourceId: { responsePath: 'value' }, outputPaths: ['value'] });
}

/** The custom resources of the stack, by logical id. */
function customResources(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources(CUSTOM);
}

describe('EcrAccountSettings', () => {
  // PutAccountSetting: "The name of the account setting, such as BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, or
  // BLOB_MOUNTING." "Valid values for registry policy scope: V1 or V2. Valid values for blob mounting: ENABLED or DISABLED."
  test('registryPolicyScope puts REGISTRY_POLICY_SCOPE on create and update, and puts back the value read at create on delete', () => {
    const stack = newStack();
    new EcrAccountSettings(stack, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2 });
    const resources = customResources(stack);
    expect(Object.keys(resources).sort()).toEqual(['SettingsRegistryPolicyScopeBA1EA95E', 'SettingsRegistryPolicyScopeBeforeD6EF99C2']);
    // GetAccountSetting returns { name, value }: read once, at create only, into the physical resource id (Ref).
    expect(resources.SettingsRegistryPolicyScopeBeforeD6EF99C2.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': ['AWS679f53fac002430cb0da5b7982bd22872D164C4C', 'Arn'] },
      Create: readCall('REGISTRY_POLICY_SCOPE'),
      InstallLatestAwsSdk: false,
    });
    const put = resources.SettingsRegistryPolicyScopeBA1EA95E.Properties;
    expect(put.Create).toEqual(sdkCall('PutAccountSetting', { name: 'REGISTRY_POLICY_SCOPE', value: 'V2' }, 'REGISTRY_POLICY_SCOPE'));
    expect(put.Update).toEqual(put.Create);
    expect(put.Delete).toEqual({
      'Fn::Join': ['', [
        '{"service":"ECR","action":"PutAccountSetting","parameters":{"name":"REGISTRY_POLICY_SCOPE","value":"',
        { Ref: 'SettingsRegistryPolicyScopeBeforeD6EF99C2' },
        '"},"physicalResourceId":{"id":"REGISTRY_POLICY_SCOPE"}}',
      ]],
    });
    expect(put.InstallLatestAwsSdk).toBe(false);
  });

  test('blobMounting true puts ENABLED, false puts DISABLED, each restored on delete', () => {
    const enabled = newStack();
    new EcrAccountSettings(enabled, 'Settings', { blobMounting: true });
    const disabled = newStack();
    new EcrAccountSettings(disabled, 'Settings', { blobMounting: false });
    const putOf = (stack: Stack) => customResources(stack).SettingsBlobMounting56FD889D.Properties;
    expect(putOf(enabled).Create).toEqual(sdkCall('PutAccountSetting', { name: 'BLOB_MOUNTING', value: 'ENABLED' }, 'BLOB_MOUNTING'));
    expect(putOf(disabled).Create).toEqual(sdkCall('PutAccountSetting', { name: 'BLOB_MOUNTING', value: 'DISABLED' }, 'BLOB_MOUNTING'));
    expect(JSON.stringify(putOf(enabled).Delete)).toContain('{"Ref":"SettingsBlobMountingBeforeBEEE9EC2"}');
    expect(customResources(enabled).SettingsBlobMountingBeforeBEEE9EC2.Properties.Create).toEqual(readCall('BLOB_MOUNTING'));
  });

  test('a setting left out is not touched: only the settings given get custom resources', () => {
    const stack = newStack();
    new EcrAccountSettings(stack, 'Settings', { blobMounting: true });
    expect(JSON.stringify(customResources(stack))).not.toContain('REGISTRY_POLICY_SCOPE');
  });

  // The Ref makes the put depend on the read: CloudFormation deletes dependents first, so on a stack deletion the
  // put's Delete call (the restore) runs while the read's physical id still holds the value from before.
  test('the read is never repeated: the reading resource has no Update and no Delete call', () => {
    const stack = newStack();
    new EcrAccountSettings(stack, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2 });
    const before = customResources(stack).SettingsRegistryPolicyScopeBeforeD6EF99C2.Properties;
    expect(before.Update).toBeUndefined();
    expect(before.Delete).toBeUndefined();
  });

  test('the Lambda function may call only ecr:GetAccountSetting and ecr:PutAccountSetting', () => {
    const stack = newStack();
    new EcrAccountSettings(stack, 'Settings', { registryPolicyScope: RegistryPolicyScope.V2, blobMounting: true });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Action: 'ecr:GetAccountSetting', Effect: 'Allow', Resource: '*' },
      { Action: 'ecr:PutAccountSetting', Effect: 'Allow', Resource: '*' },
      { Action: 'ecr:GetAccountSetting', Effect: 'Allow', Resource: '*' },
      { Action: 'ecr:PutAccountSetting', Effect: 'Allow', Resource: '*' },
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('a second EcrAccountSettings in the same stack is refused, naming the first', () => {
    const stack = newStack();
    new EcrAccountSettings(stack, 'First', { blobMounting: true });
    expect(() => new EcrAccountSettings(stack, 'Second', { registryPolicyScope: RegistryPolicyScope.V2 }))
      .toThrow("TestStack/Second: only one EcrAccountSettings is allowed per stack, and 'TestStack/First' already is one.");
  });

  test('EcrAccountSettings in two stacks (two accounts or regions) is fine', () => {
    const app = new App();
    new EcrAccountSettings(new Stack(app, 'A', { env: { region: 'eu-west-1' } }), 'Settings', { blobMounting: true });
    expect(() => new EcrAccountSettings(new Stack(app, 'B', { env: { region: 'us-east-1' } }), 'Settings', { blobMounting: true })).not.toThrow();
  });

  test('without any setting it is refused', () => {
    expect(() => new EcrAccountSettings(newStack(), 'Settings', {}))
      .toThrow(/invalid EcrAccountSettings props:\n {2}- set registryPolicyScope or blobMounting \(or both\)/);
  });

  test('values ECR does not accept are refused, all at once (JavaScript callers pass them unchecked)', () => {
    expect(() => new EcrAccountSettings(newStack(), 'Settings', { registryPolicyScope: 'V3' as RegistryPolicyScope, blobMounting: 'ENABLED' as any }))
      .toThrow(/registryPolicyScope: "V3" is not a valid RegistryPolicyScope; use one of "V1", "V2"\n {2}- blobMounting: "ENABLED" is not true or false/);
  });

  test('the settings it sets are readable', () => {
    const settings = new EcrAccountSettings(newStack(), 'Settings', { registryPolicyScope: RegistryPolicyScope.V1 });
    expect(settings.registryPolicyScope).toBe(RegistryPolicyScope.V1);
    expect(settings.blobMounting).toBeUndefined();
  });
});
