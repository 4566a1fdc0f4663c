// The stack of the example app (examples/app.ts): one repository per scenario of FsCDK's ECR guide, then the
// registry-wide settings that secure the repositories ECR creates by itself.
import { Annotations, RemovalPolicy, Stack, StackProps, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  EcrAccountSettings, EcrLifecycleRules, EcrManagedSigning, EcrPullThroughCache, EcrPullTimeUpdateExclusion, EcrRegistryPolicy, EcrRepository,
  EcrRepositoryCreationTemplate, RegistryPolicyScope, RepositoryCreationTemplateAppliedFor, UpstreamRegistry,
} from '../src';

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

    // Audited against AWS Control Tower and Security Hub: IMMUTABLE, scan on push, its own rotating KMS key.
    EcrRepository.forCompliance(this, 'Compliance', { repositoryName: 'my-app-compliance' });

    // Repositories ECR creates on push get the same secure settings, and so do cached ones.
    new EcrRepositoryCreationTemplate(this, 'CreateOnPush', {
      prefix: 'ROOT',
      appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH],
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      lifecycleRules: EcrLifecycleRules.standardProd(),
    });
    new EcrPullThroughCache(this, 'EcrPublic', { upstream: UpstreamRegistry.ECR_PUBLIC })
      .addRepositoryCreationTemplate('RepositoryCreationTemplate', { lifecycleRules: EcrLifecycleRules.standardDev() });

    // The image scanner's pulls do not keep images from being archived.
    new EcrPullTimeUpdateExclusion(this, 'ScannerExclusion', {
      principal: iam.Role.fromRoleArn(this, 'Scanner', 'arn:aws:iam::123456789012:role/image-scanner'),
    });

    // ECR signs what CI pushes to prod/ repositories; the registry accepts replication from the build account.
    const signing = new EcrManagedSigning(this, 'Signing', { repositoryFilters: ['prod/*'] });
    signing.grantSign(iam.Role.fromRoleArn(this, 'Ci', 'arn:aws:iam::123456789012:role/ci'));
    new EcrRegistryPolicy(this, 'RegistryPolicy').allowReplicationFrom(['210987654321']);
    // The registry policy applies to every ECR request (scope V2); layers are shared between AES-256 repositories.
    new EcrAccountSettings(this, 'AccountSettings', { registryPolicyScope: RegistryPolicyScope.V2, blobMounting: true });

    // Both throw their images away with the stack on purpose: say so once, and the warning is silenced.
    for (const repo of [dev, scratch]) {
      Annotations.of(repo).acknowledgeWarning('cdk-secure-ecr:emptyOnDelete', 'development images are rebuilt by CI');
    }
  }
}
