import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { SecureEcrExampleStack } from '../examples/stack';

describe('the example app (examples/)', () => {
  const stack = new SecureEcrExampleStack(new App(), 'SecureEcrExample');

  test('synthesizes the same template as the committed snapshot', () => {
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('has one repository per scenario and no unacknowledged warning', () => {
    Template.fromStack(stack).resourceCountIs('AWS::ECR::Repository', 7);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('secures the repositories ECR creates: on push and for the pull through cache', () => {
    Template.fromStack(stack).resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 2);
  });
});
