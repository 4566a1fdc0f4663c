// The ECR Public stack of the example app (examples/app.ts): an open-source image in the Amazon ECR Public Gallery,
// pushed by CI only. ECR Public exists only in us-east-1, so this stack deploys there.
import { Stack, StackProps, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EcrPublicRepository, GalleryArchitecture, GalleryOperatingSystem } from '../src';

export class SecureEcrPublicExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, env: { ...props?.env, region: 'us-east-1' } });
    // Anyone can pull it; only the CI role of the build account can push.
    new EcrPublicRepository(this, 'Cli', {
      repositoryName: 'my-cli',
      registryAlias: 'my-org',
      repositoryDescription: 'The my-cli command line tool',
      aboutText: '# my-cli\nA small command line tool, built from https://github.com/my-org/my-cli.',
      usageText: '```\ndocker run --rm public.ecr.aws/my-org/my-cli:latest --help\n```',
      architectures: [GalleryArchitecture.X86_64, GalleryArchitecture.ARM_64],
      operatingSystems: [GalleryOperatingSystem.LINUX],
      pushPrincipals: [new iam.ArnPrincipal('arn:aws:iam::210987654321:role/ci')],
    });
  }
}
