// Builds the EventBridge rules of EcrRepository.notifyOnScanFindings: "ECR Image Scan" (basic scanning) and
// "Inspector2 Finding" (enhanced scanning) events of one repository at or above a severity, to SNS. Internal.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html
// @see https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html
import { aws_events as events, aws_events_targets as targets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FindingSeverity, ScanFindingsNotificationOptions } from '../scan-findings';

/** Most severe first. */
const ORDER = [FindingSeverity.CRITICAL, FindingSeverity.HIGH, FindingSeverity.MEDIUM, FindingSeverity.LOW, FindingSeverity.INFORMATIONAL];

/** The severities at `minimum` or worse, most severe first. */
export function atOrAbove(minimum: FindingSeverity): FindingSeverity[] {
  return ORDER.slice(0, ORDER.indexOf(minimum) + 1);
}

/** The rule on basic scanning's "ECR Image Scan" event, and the "Inspector2 Finding" rule when asked for. */
export function create(scope: Construct, id: string, repositoryName: string, options: ScanFindingsNotificationOptions): events.Rule[] {
  const severities = atOrAbove(options.minimumSeverity ?? FindingSeverity.HIGH);
  const target = new targets.SnsTopic(options.topic);
  const rules = [new events.Rule(scope, id, {
    description: `Image scan of ${repositoryName} found ${severities.join('/')} vulnerabilities`,
    eventPattern: {
      source: ['aws.ecr'],
      detailType: ['ECR Image Scan'],
      detail: {
        'repository-name': [repositoryName],
        'scan-status': ['COMPLETE'],
        // Any one of the severities with a count above zero.
        '$or': severities.map(s => ({ 'finding-severity-counts': { [s]: [{ numeric: ['>', 0] }] } })),
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
