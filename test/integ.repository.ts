// Integration test: deploys a development and a production-like repository and checks them with the ECR API.
// CI checks the committed snapshot (no AWS account there); `npx projen integ:update` re-synthesizes it.
import { IntegTest, ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EcrLifecycleRules, EcrRepository } from '../src';

const app = new App();
const stack = new Stack(app, 'SecureEcrInteg');

const dev = EcrRepository.forDevelopment(stack, 'Dev');
// Production settings, but removed with the test stack so that nothing is left behind.
const prod = EcrRepository.forProduction(stack, 'Prod', {
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
  lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3), ...EcrLifecycleRules.standardProd()],
});

const integ = new IntegTest(app, 'SecureEcrIntegTest', { testCases: [stack] });

integ.assertions.awsApiCall('ECR', 'describeRepositories', { repositoryNames: [prod.repositoryName] })
  .expect(ExpectedResult.objectLike({
    repositories: [{
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    }],
  }));
integ.assertions.awsApiCall('ECR', 'getLifecyclePolicy', { repositoryName: dev.repositoryName })
  .expect(ExpectedResult.objectLike({ repositoryName: dev.repositoryName }));
