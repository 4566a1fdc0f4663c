// Who may pull and push: the access props of EcrRepository (and of anything else that writes an ECR repository
// policy). Each becomes a least-privilege statement, checked by `private/repository-policy.ts`.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
import { aws_iam as iam } from 'aws-cdk-lib';

/**
 * Who may pull and push images, through the repository policy.
 *
 * Each prop becomes one least-privilege statement without a `Resource` (ECR refuses one in a repository policy).
 * A policy that lets in anyone the user did not name is refused: `Principal: "*"` without a condition that
 * restricts who, push for `*` whatever its conditions, `NotPrincipal` in an `Allow`, and account ids that are
 * not 12 digits.
 */
export interface RepositoryAccessProps {
  /**
   * AWS accounts (12-digit ids) whose principals may pull images, through the repository policy.
   *
   * Each account still decides, with IAM, which of its principals may use this.
   *
   * @default - no cross-account pull
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
   */
  readonly pullAccounts?: string[];

  /**
   * AWS accounts (12-digit ids) whose principals may push images, through the repository policy.
   *
   * @default - no cross-account push
   */
  readonly pushAccounts?: string[];

  /**
   * Principals (roles, users, services, accounts) that may pull images, one repository policy statement each.
   *
   * `Principal: "*"` is refused unless a condition restricts who (`principal.withConditions(...)` on
   * `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn` of one account, `aws:PrincipalOrgPaths`):
   * `aws:SecureTransport` or `aws:SourceIp` do not. A service principal without `aws:SourceAccount` or
   * `aws:SourceArn` gets `aws:SourceAccount` of this stack, so that the service pulls for this account only.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
   */
  readonly pullPrincipals?: iam.IPrincipal[];

  /**
   * Principals (roles, users, services, accounts) that may push images, one repository policy statement each.
   *
   * `Principal: "*"` is always refused, whatever its conditions. A service principal without `aws:SourceAccount`
   * or `aws:SourceArn` gets `aws:SourceAccount` of this stack.
   *
   * @default - none
   */
  readonly pushPrincipals?: iam.IPrincipal[];

  /**
   * AWS Organizations (ids like `o-a1b2c3d4e5`) whose every account may pull images (`aws:PrincipalOrgID`).
   *
   * @default - none
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
   */
  readonly pullOrganizationIds?: string[];

  /**
   * AWS accounts (12-digit ids) whose Lambda functions, in this region, may use images of this repository.
   *
   * Allows the Lambda service principal, restricted by `aws:sourceArn` and `aws:sourceAccount` to those accounts'
   * functions, and the accounts themselves (which Lambda checks when a function is created).
   *
   * @default - none
   * @see https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-xaccount-permissions
   */
  readonly lambdaPullAccounts?: string[];

  /**
   * DANGER: let every AWS account in the world pull images (`Principal: "*"` without a condition).
   *
   * Anyone with AWS credentials can then download your images, and the data transfer is billed to you.
   * For public images use Amazon ECR Public instead. Synthesis warns (`cdk-secure-ecr:publicPull`) when it is on.
   *
   * @default false
   */
  readonly dangerouslyAllowPullFromAnyAwsAccount?: boolean;
}
