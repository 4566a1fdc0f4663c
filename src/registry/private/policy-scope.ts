// Whether an app sets the registry policy scope to V2 for the account and region of a construct: the
// EcrRegistryPolicy warning about pull through cache and create statements under the V1 scope reads it.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EcrAccountSettings, RegistryPolicyScope } from '../account-settings';

/** True when an EcrAccountSettings anywhere in the app sets V2 in the account and region of `scope`'s stack. */
export function setsScopeV2(scope: IConstruct): boolean {
  const stack = Stack.of(scope);
  return scope.node.root.node.findAll().some(c => c instanceof EcrAccountSettings
    && c.registryPolicyScope === RegistryPolicyScope.V2
    && Stack.of(c).account === stack.account && Stack.of(c).region === stack.region);
}
