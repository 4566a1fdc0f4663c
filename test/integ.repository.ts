// Integration test: deploys a development and a production-like repository and checks them with the ECR API,
// down to the exact lifecycle policy text ECR stored. CI checks the committed snapshot (no AWS account there;
// test/integ-snapshot.test.ts reads the policy texts in it); `npx projen integ:update` re-synthesizes it.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EcrLifecycleRules, EcrRepository, EcrLifecyclePolicy } from '../src';

const app = new App();
const stack = new Stack(app, 'SecureEcrInteg');

const dev = EcrRepository.forDevelopment(stack, 'Dev');
// Production settings, but removed with the test stack so that nothing is left behind.
const prodRules = [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3), ...EcrLifecycleRules.standardProd()];
const prod = EcrRepository.forProduction(stack, 'Prod', {
  removalPolicy: RemovalPolicy.DESTROY,
  emptyOnDelete: true,
  lifecycleRules: prodRules,
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

// Every rule, in order, with every field: the policy ECR stored is the one EcrLifecyclePolicy rendered.
for (const [repository, rules] of [[dev, EcrLifecycleRules.standardDev()], [prod, prodRules]] as const) {
  integ.assertions.awsApiCall('ECR', 'getLifecyclePolicy', { repositoryName: repository.repositoryName })
    .expect(ExpectedResult.objectLike({
      repositoryName: repository.repositoryName,
      lifecyclePolicyText: Match.serializedJson(JSON.parse(EcrLifecyclePolicy.fromRules(rules).toJson())),
    }));
}
