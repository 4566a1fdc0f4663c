// The one way the library creates a KMS key: rotating, and with the key policy statement AWS Control Tower's
// proactive control CT.KMS.PR.3 requires, so every created key passes CT.KMS.PR.1 to PR.3.
import { aws_iam as iam, aws_kms as kms, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A symmetric customer-managed key with automatic rotation (CT.KMS.PR.1) whose policy denies `kms:CreateGrant`
 * unless the grant is for an AWS resource or the caller is an AWS service (CT.KMS.PR.3). ECR's own grants on
 * the key (made when a repository is created) are for an AWS resource, so they are not affected.
 *
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
 */
export function createRotatingKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, removalPolicy, description });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyCreateGrantUnlessForAWSResource',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    // The control compares with the strings "false": a JSON boolean fails it.
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}
