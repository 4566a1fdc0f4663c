// Builds the EventBridge rules of EcrRepository.notifyOnScanFindings: "ECR Image Scan" (basic scanning) and
// "Inspector2 Finding" (enhanced scanning) events of one repository at or above a severity, to SNS. Internal.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
// @see https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html
import { Annotations, Resource, Token, aws_events as events, aws_events_targets as targets, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { enumProblems } from '../../private/enums';
import { throwIfProblems } from '../../private/errors';
import { FindingSeverity, ScanFindingsNotificationOptions } from '../scan-findings';

/** Most severe first. */
const ORDER = [FindingSeverity.CRITICAL, FindingSeverity.HIGH, FindingSeverity.MEDIUM, FindingSeverity.LOW, FindingSeverity.INFORMATIONAL];

/** The severities at `minimum` or worse, most severe first. */
export function atOrAbove(minimum: FindingSeverity): FindingSeverity[] {
  return ORDER.slice(0, ORDER.indexOf(minimum) + 1);
}

/** The rule on basic scanning's "ECR Image Scan" event, and the "Inspector2 Finding" rule when asked for. */
export function create(scope: Construct, id: string, repositoryName: string, options: ScanFindingsNotificationOptions): events.Rule[] {
  throwIfProblems(`${scope.node.path}: invalid notifyOnScanFindings options`, [
    ...enumProblems('minimumSeverity', options.minimumSeverity, 'FindingSeverity', ORDER),
    ...topicKeyProblems(options.topic),
  ]);
  warnAboutTopic(scope, options.topic);
  const severities = atOrAbove(options.minimumSeverity ?? FindingSeverity.HIGH);
  // Any one of the severities with a count above zero. `$or` takes two branches or more (CloudFormation's
  // validation, E9014), so one severity is matched directly.
  const counts = severities.map(s => ({ 'finding-severity-counts': { [s]: [{ numeric: ['>', 0] }] } }));
  const target = new targets.SnsTopic(options.topic);
  const rules = [new events.Rule(scope, id, {
    description: `Image scan of ${repositoryName} found ${severities.join('/')} vulnerabilities`,
    eventPattern: {
      source: ['aws.ecr'],
      detailType: ['ECR Image Scan'],
      detail: {
        'repository-name': [repositoryName],
        'scan-status': ['COMPLETE'],
        ...(counts.length === 1 ? counts[0] : { $or: counts }),
      },
    },
    targets: [target],
  })];
  if (options.enhancedScanning) {
    rules.push(new events.Rule(scope, `${id}Inspector`, {
      description: `Amazon Inspector found a ${severities.join('/')} vulnerability in an image of ${repositoryName}`,
      eventPattern: {
        source: ['aws.inspector2'],
        detailType: ['Inspector2 Finding'],
        detail: {
          severity: severities,
          status: ['ACTIVE'],
          resources: { details: { awsEcrContainerImage: { repositoryName: [repositoryName] } } },
        },
      },
      targets: [target],
    }));
  }
  return rules;
}

/**
 * EventBridge cannot use an AWS managed key (`alias/aws/sns`): its policy cannot be changed to let
 * events.amazonaws.com in, so every alert would be dropped.
 *
 * @see https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification
 */
function topicKeyProblems(topic: sns.ITopic): string[] {
  const key = topic.masterKey;
  const names = key === undefined ? [] : [key.keyArn, key.keyId, isAlias(key) ? key.aliasName : undefined];
  const awsManaged = names.some(name => name !== undefined && !Token.isUnresolved(name) && (name.startsWith('alias/aws/') || name.includes(':alias/aws/')));
  return awsManaged ? [`topic: '${topic.node.path}' is encrypted with an AWS managed key (alias/aws/...), which EventBridge cannot use, so no alert `
    + 'would ever arrive; encrypt the topic with a customer managed key (new kms.Key(...)): its key policy then lets events.amazonaws.com in'] : [];
}

/** What this stack cannot set up for an imported topic or key: the alerts arrive only if someone else does. */
function warnAboutTopic(scope: Construct, topic: sns.ITopic): void {
  if (!Resource.isOwnedResource(topic)) {
    Annotations.of(scope).addWarningV2('cdk-secure-ecr:importedTopic', `The topic '${topic.node.path}' is imported, so this stack cannot add `
      + "the topic policy statement that lets EventBridge publish to it: allow 'sns:Publish' for the service principal events.amazonaws.com "
      + 'in its topic policy, or the scan alerts never arrive. Acknowledge this warning once it does.');
  }
  if (topic.masterKey !== undefined && !Resource.isOwnedResource(topic.masterKey) && topicKeyProblems(topic).length === 0) {
    Annotations.of(scope).addWarningV2('cdk-secure-ecr:importedTopicKey', `The KMS key of the topic '${topic.node.path}' is imported, so this `
      + "stack cannot let EventBridge use it: allow 'kms:GenerateDataKey*' and 'kms:Decrypt' for events.amazonaws.com in its key policy, "
      + 'or the scan alerts never arrive. Acknowledge this warning once it does.');
  }
}

function isAlias(key: kms.IKey): key is kms.IAlias {
  return 'aliasName' in key;
}
