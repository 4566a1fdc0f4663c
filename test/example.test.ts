import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { SecureEcrPublicExampleStack } from '../examples/public-stack';
import { SecureEcrExampleStack } from '../examples/stack';

describe('the example app (examples/)', () => {
  const app = new App();
  const stack = new SecureEcrExampleStack(app, 'SecureEcrExample');
  const publicStack = new SecureEcrPublicExampleStack(app, 'SecureEcrPublicExample');

  test('synthesizes the same template as the committed snapshot', () => {
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('synthesizes the same public repository template as the committed snapshot', () => {
    expect(Template.fromStack(publicStack).toJSON()).toMatchSnapshot();
  });

  test('has one repository per scenario and no unacknowledged warning', () => {
    Template.fromStack(stack).resourceCountIs('AWS::ECR::Repository', 7);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('secures the repositories ECR creates: on push and for the pull through cache', () => {
    Template.fromStack(stack).resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 2);
  });

  test('sets the registry policy scope and blob mounting, each with a read and a put', () => {
    Template.fromStack(stack).resourceCountIs('Custom::AWS', 4);
  });

  test('deploys the public repository to us-east-1, without a warning', () => {
    expect(publicStack.region).toBe('us-east-1');
    Template.fromStack(publicStack).resourceCountIs('AWS::ECR::PublicRepository', 1);
    Annotations.fromStack(publicStack).hasNoWarning('*', Match.anyValue());
  });
});
