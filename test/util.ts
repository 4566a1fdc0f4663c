// Shared test fixtures: a fresh stack, and the parsed lifecycle policy of the one repository in it.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** The `rules` of the lifecycle policy text of the only AWS::ECR::Repository in the stack. */
export function lifecycleRulesOf(stack: Stack): any[] {
  const repositories = Template.fromStack(stack).findResources('AWS::ECR::Repository');
  const [repository] = Object.values(repositories);
  return JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
}
