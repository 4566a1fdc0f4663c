// A CDK app with the scenarios of FsCDK's ECR guide, built with cdk-secure-ecr, and a public repository.
// `npm run example` synthesizes it with `cdk synth` into cdk.out/ and prints one line per repository.
import { App } from 'aws-cdk-lib';
import { SecureEcrPublicExampleStack } from './public-stack';
import { SecureEcrExampleStack } from './stack';

const app = new App();
new SecureEcrExampleStack(app, 'SecureEcrExample');
new SecureEcrPublicExampleStack(app, 'SecureEcrPublicExample');
app.synth();
