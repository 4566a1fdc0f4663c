// A CDK app with the scenarios of FsCDK's ECR guide, built with cdk-secure-ecr.
// `npm run example` synthesizes it with `cdk synth` into cdk.out/ and prints one line per repository.
import { App } from 'aws-cdk-lib';
import { SecureEcrExampleStack } from './stack';

const app = new App();
new SecureEcrExampleStack(app, 'SecureEcrExample');
app.synth();
