import { App, aws_events as events, aws_sns as sns, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
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

  test.each([
    [FindingSeverity.CRITICAL, ['CRITICAL']],
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
