import { App, aws_events as events, aws_kms as kms, aws_sns as sns, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { FindingSeverity } from '../../src/alerts/scan-findings';
import { EcrRepository } from '../../src/repository';

function setup() {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const repo = new EcrRepository(stack, 'Repo', { repositoryName: 'shop' });
  const topic = new sns.Topic(stack, 'Topic');
  return { stack, repo, topic };
}

// The repository name is the repository's Ref, so that the pattern follows a rename.
const REPO_NAME = { Ref: Match.stringLikeRegexp('^RepoRepository') };
const count = (severity: string) => ({ 'finding-severity-counts': { [severity]: [{ numeric: ['>', 0] }] } });

describe('notifyOnScanFindings', () => {
  test('by default notifies the topic of completed scans of this repository with HIGH or CRITICAL findings', () => {
    const { stack, repo, topic } = setup();
    const rules = repo.notifyOnScanFindings('Findings', { topic });
    expect(rules).toHaveLength(1);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ecr'],
        'detail-type': ['ECR Image Scan'],
        'detail': { 'repository-name': [REPO_NAME], 'scan-status': ['COMPLETE'], '$or': [count('CRITICAL'), count('HIGH')] },
      },
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Topic') } })],
    });
  });

  test('minimumSeverity CRITICAL matches CRITICAL counts directly, without a one-branch $or', () => {
    const { stack, repo, topic } = setup();
    repo.notifyOnScanFindings('Findings', { topic, minimumSeverity: FindingSeverity.CRITICAL });
    // aws-cdk-lib's template validation (CloudFormation-Validate::E9014): "'EventPattern.detail.$or' must contain
    // at least 2 branch objects".
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: { 'repository-name': [REPO_NAME], 'scan-status': ['COMPLETE'], ...count('CRITICAL') },
      }),
    });
  });

  test.each([
    [FindingSeverity.MEDIUM, ['CRITICAL', 'HIGH', 'MEDIUM']],
    [FindingSeverity.INFORMATIONAL, ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']],
  ])('minimumSeverity %s matches that severity and every worse one', (minimumSeverity, severities) => {
    const { stack, repo, topic } = setup();
    repo.notifyOnScanFindings('Findings', { topic, minimumSeverity });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: Match.objectLike({ $or: severities.map(count) }) }),
    });
  });

  test('with enhancedScanning also notifies of active Amazon Inspector findings in this repository', () => {
    const { stack, repo, topic } = setup();
    const rules = repo.notifyOnScanFindings('Findings', { topic, minimumSeverity: FindingSeverity.CRITICAL, enhancedScanning: true });
    expect(rules).toHaveLength(2);
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 2);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.inspector2'],
        'detail-type': ['Inspector2 Finding'],
        'detail': {
          severity: ['CRITICAL'],
          status: ['ACTIVE'],
          resources: { details: { awsEcrContainerImage: { repositoryName: [REPO_NAME] } } },
        },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Topic') } })],
    });
  });

  test('lets EventBridge publish to the topic', () => {
    const { stack, repo, topic } = setup();
    repo.notifyOnScanFindings('Findings', { topic });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })] },
    });
  });
});

describe('notifyOnScanFindings with topics EventBridge cannot reach', () => {
  // "The Amazon SNS topic must use a customer managed AWS KMS key. This KMS key must include a custom key policy
  // that gives EventBridge sufficient key usage permissions." (AWS re:Post knowledge center, sns-not-getting-eventbridge-notification)
  test('refuses a topic encrypted with the AWS managed key, with the fix', () => {
    const { stack, repo } = setup();
    const topic = new sns.Topic(stack, 'Encrypted', { masterKey: kms.Alias.fromAliasName(stack, 'SnsKey', 'alias/aws/sns') });
    expect(() => repo.notifyOnScanFindings('Findings', { topic })).toThrow(
      /^Stack\/Repo: invalid notifyOnScanFindings options:\n {2}- topic: 'Stack\/Encrypted' is encrypted with an AWS managed key \(alias\/aws\/\.\.\.\), which EventBridge cannot use.*encrypt the topic with a customer managed key/);
  });

  test('refuses an imported topic whose key is the AWS managed key', () => {
    const { stack, repo } = setup();
    const topic = sns.Topic.fromTopicAttributes(stack, 'Imported', {
      topicArn: 'arn:aws:sns:eu-west-1:111111111111:alerts', keyArn: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/sns',
    });
    expect(() => repo.notifyOnScanFindings('Findings', { topic })).toThrow(/is encrypted with an AWS managed key/);
  });

  test('a topic encrypted with a customer managed key of the stack lets EventBridge use the key', () => {
    const { stack, repo } = setup();
    const topic = new sns.Topic(stack, 'Encrypted', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }) });
    repo.notifyOnScanFindings('Findings', { topic });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('warns that an imported topic gets no topic policy', () => {
    const { stack, repo } = setup();
    repo.notifyOnScanFindings('Findings', { topic: sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:eu-west-1:111111111111:alerts') });
    Annotations.fromStack(stack).hasWarning('/Stack/Repo', Match.stringLikeRegexp(
      "The topic 'Stack/Imported' is imported, so this stack cannot add the topic policy statement that lets EventBridge publish to it.*\\[ack: cdk-secure-ecr:importedTopic\\]"));
  });

  test('warns that the imported key of a topic must let EventBridge in', () => {
    const { stack, repo } = setup();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    repo.notifyOnScanFindings('Findings', { topic: new sns.Topic(stack, 'Encrypted', { masterKey: key }) });
    Annotations.fromStack(stack).hasWarning('/Stack/Repo', Match.stringLikeRegexp("The KMS key of the topic 'Stack/Encrypted' is imported.*kms:GenerateDataKey"));
  });

  // Issue 9: a severity from JavaScript ('high') rendered an event pattern that never matches.
  test('refuses a minimum severity that is not a FindingSeverity', () => {
    const { repo, topic } = setup();
    expect(() => repo.notifyOnScanFindings('Findings', { topic, minimumSeverity: 'high' as FindingSeverity }))
      .toThrow(/minimumSeverity: "high" is not a valid FindingSeverity; use one of "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"/);
  });
});

describe('onImagePushed', () => {
  test('matches ECR\'s own successful push events of this repository', () => {
    const { stack, repo } = setup();
    const rule = repo.onImagePushed('Pushed', { description: 'deploy on push' });
    expect(rule).toBeInstanceOf(events.Rule);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Description: 'deploy on push',
      EventPattern: {
        'source': ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        'detail': { 'action-type': ['PUSH'], 'result': ['SUCCESS'], 'repository-name': [REPO_NAME] },
      },
    });
  });

  test('keeps extra detail filters, such as a tag', () => {
    const { stack, repo } = setup();
    repo.onImagePushed('Pushed', { eventPattern: { detail: { 'image-tag': ['latest'] } } });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { 'image-tag': ['latest'], 'action-type': ['PUSH'], 'result': ['SUCCESS'], 'repository-name': [REPO_NAME] } }),
    });
  });
});
