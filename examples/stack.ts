// The stack of the example app (examples/app.ts): one repository per scenario of FsCDK's ECR guide.
import { Annotations, RemovalPolicy, Stack, StackProps, aws_ecr as ecr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EcrLifecycleRules, EcrRepository } from '../src';

export class SecureEcrExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Basic repository: every secure default.
    new EcrRepository(this, 'Basic', { repositoryName: 'my-app' });

    // Development and production presets.
    const dev = EcrRepository.forDevelopment(this, 'Dev', { repositoryName: 'my-app-dev' });
    EcrRepository.forProduction(this, 'Prod', { repositoryName: 'my-app-prod' });

    // Custom lifecycle rules for tag prefixes, numbered in the order written.
    new EcrRepository(this, 'Custom', {
      repositoryName: 'my-service',
      lifecycleRules: [
        EcrLifecycleRules.deleteTaggedAfterDays('staging-', 30),
        EcrLifecycleRules.deleteTaggedAfterDays('feature-', 7),
        EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3),
        EcrLifecycleRules.deleteUntaggedAfterDays(1),
      ],
    });

    // Immutable tags with scan on push, for an audit trail.
    new EcrRepository(this, 'Immutable', {
      repositoryName: 'secure-app',
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
    });

    // A scratch repository cleaned up aggressively and removed with the stack.
    const scratch = new EcrRepository(this, 'Scratch', {
      repositoryName: 'dev-app',
      lifecycleRules: [EcrLifecycleRules.deleteUntaggedAfterDays(3), EcrLifecycleRules.keepLastNImages(5)],
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });

    // Both throw their images away with the stack on purpose: say so once, and the warning is silenced.
    for (const repo of [dev, scratch]) {
      Annotations.of(repo).acknowledgeWarning('cdk-secure-ecr:emptyOnDelete', 'development images are rebuilt by CI');
    }
  }
}
