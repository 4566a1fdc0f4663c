import { aws_iam as iam, aws_signer as signer } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EcrManagedSigning } from '../../src/registry/managed-signing';
import { newStack } from '../util';

const TYPE = 'AWS::ECR::SigningConfiguration';

describe('EcrManagedSigning', () => {
  test('creates a Notation signing profile and signs the filtered repositories with it', () => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['prod/*', '*-release'] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Signer::SigningProfile', { PlatformId: 'Notation-OCI-SHA384-ECDSA' });
    t.hasResourceProperties(TYPE, {
      Rules: [{
        SigningProfileArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SigningSigningProfile'), 'Arn'] },
        RepositoryFilters: [{ Filter: 'prod/*', FilterType: 'WILDCARD_MATCH' }, { Filter: '*-release', FilterType: 'WILDCARD_MATCH' }],
      }],
    });
  });

  test('signs with a given profile', () => {
    const stack = newStack();
    const profile = signer.SigningProfile.fromSigningProfileAttributes(stack, 'P', { signingProfileName: 'images_2026', signingProfileVersion: 'v1' });
    const signing = new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'], signingProfile: profile });
    expect(signing.signingProfile).toBe(profile);
    Template.fromStack(stack).resourceCountIs('AWS::Signer::SigningProfile', 0);
  });

  // "the IAM principal pushing images must have permission to sign payloads with the AWS Signer signing profile"
  // (API_PutSigningConfiguration)
  test('grantSign gives the pusher signer:SignPayload on the profile only', () => {
    const stack = newStack();
    const signing = new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'] });
    signing.grantSign(new iam.Role(stack, 'Ci', { assumedBy: new iam.AccountPrincipal('222222222222') }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'signer:SignPayload', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SigningSigningProfile'), 'Arn'] } }] },
    });
  });

  test('lists every invalid prop at once, naming the construct', () => {
    const stack = newStack();
    const lambdaProfile = new signer.SigningProfile(stack, 'Lambda', { platform: signer.Platform.AWS_LAMBDA_SHA384_ECDSA });
    expect(() => new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['Prod/*'], signingProfile: lambdaProfile })).toThrow(new RegExp([
      'TestStack/Signing: invalid EcrManagedSigning props:',
      "  - repositoryFilters\\[0\\]: 'Prod/\\*' is not a repository filter",
      "  - signingProfile: the platform is 'AWSLambda-SHA384-ECDSA'",
    ].join('[^]*')));
  });

  // SigningProfileArn pattern: ...:/signing-profiles/[a-zA-Z0-9_]{2,} (AWS::ECR::SigningConfiguration schema)
  test('refuses a profile whose name has a hyphen', () => {
    const stack = newStack();
    const profile = signer.SigningProfile.fromSigningProfileAttributes(stack, 'P', { signingProfileName: 'my-images', signingProfileVersion: 'v1' });
    expect(() => new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'], signingProfile: profile }))
      .toThrow(/signingProfile: the name 'my-images' does not fit/);
  });

  test('refuses an empty filter list', () => {
    expect(() => new EcrManagedSigning(newStack(), 'Signing', { repositoryFilters: [] })).toThrow(/repositoryFilters: give 1 to 100 filters/);
  });

  test('checks a long near-miss filter in linear time', () => {
    const start = Date.now();
    expect(() => new EcrManagedSigning(newStack(), 'S', { repositoryFilters: [`${'a-'.repeat(127)}-`] })).toThrow(/is not a repository filter/);
    expect(Date.now() - start).toBeLessThan(500);
  });

  test('a second EcrManagedSigning in the same stack is refused, naming the first', () => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'First', { repositoryFilters: ['*'] });
    expect(() => new EcrManagedSigning(stack, 'Second', { repositoryFilters: ['prod/*'] }))
      .toThrow(/TestStack\/Second: only one EcrManagedSigning is allowed per stack, and 'TestStack\/First' already is one/);
  });
});
