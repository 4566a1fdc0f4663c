// EcrRepository.forCompliance, and the key policy of every key the library creates (AWS Control Tower's
// proactive controls CT.ECR.PR.1-3 and CT.KMS.PR.1-3; test/compliance/run.sh runs the controls themselves).
import { aws_ecr as ecr, aws_kms as kms, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { lifecycleRulesOf, newStack } from './util';
import { EcrRepository } from '../src/repository';

// CT.KMS.PR.3: "Configure a KMS key policy statement that denies access to the 'kms:CreateGrant' operation for all
// principals when the 'kms:GrantIsForAWSResource' and 'aws:PrincipalIsAWSService' conditions are both false, using
// the 'BoolIfExists' condition operator." The guard rule compares with the strings "false".
const CREATE_GRANT_DENY = {
  Sid: 'DenyCreateGrantUnlessForAWSResource',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

describe('EcrRepository.forCompliance', () => {
  test('IMMUTABLE tags, scan on push, a created rotating customer-managed key, standardProd() rules, RETAIN', () => {
    const stack = newStack();
    EcrRepository.forCompliance(stack, 'Repo');
    const t = Template.fromStack(stack);
    t.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      Properties: {
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RepoKey'), 'Arn'] } },
      },
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(lifecycleRulesOf(stack).map(r => [r.selection.tagStatus, r.selection.countNumber])).toEqual([['untagged', 14], ['any', 30]]);
  });

  test('encryptionKey replaces the created key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Mine', { enableKeyRotation: true });
    const repo = EcrRepository.forCompliance(stack, 'Repo', { encryptionKey: key });
    expect(repo.encryptionKey).toBe(key);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('each prop set overrides the preset field by field; an undefined one keeps it', () => {
    const stack = newStack();
    EcrRepository.forCompliance(stack, 'Repo', { encryption: ecr.RepositoryEncryption.AES_256, imageTagMutability: undefined });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE', EncryptionConfiguration: { EncryptionType: 'AES256' },
    });
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
  });
});

describe('the KMS key EcrRepository creates', () => {
  test.each([
    ['forCompliance', (s: any) => EcrRepository.forCompliance(s, 'Repo')],
    ['forProduction with encryption KMS', (s: any) => EcrRepository.forProduction(s, 'Repo', { encryption: ecr.RepositoryEncryption.KMS })],
    ['forDevelopment with encryption KMS', (s: any) => EcrRepository.forDevelopment(s, 'Repo', {
      encryption: ecr.RepositoryEncryption.KMS, removalPolicy: RemovalPolicy.DESTROY,
    })],
  ])('%s: denies kms:CreateGrant unless for an AWS resource (CT.KMS.PR.3) and rotates (CT.KMS.PR.1)', (_name, make) => {
    const stack = newStack();
    make(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([CREATE_GRANT_DENY]) },
    });
  });
});
