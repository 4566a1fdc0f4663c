// EcrPullTimeUpdateExclusion: an IAM role or user whose image pulls do not update an image's last-pull time, so
// that scanners and other automation do not keep images "recently pulled" for archiveAfterDaysSinceLastPull,
// as AWS::ECR::PullTimeUpdateExclusion. At most 100 per account.
import { aws_ecr as ecr, aws_iam as iam, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ROLE_OR_USER_ARN } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import { checkProps, IAM_PRINCIPAL, required } from '../private/prop-types';
import { claimOncePerStack, countInStack } from '../private/singleton';

/**
 * Properties of an `EcrPullTimeUpdateExclusion`.
 */
export interface EcrPullTimeUpdateExclusionProps {
  /**
   * The IAM role or user whose pulls ECR should not count (`iam.Role`, `iam.Role.fromRoleArn`, `iam.User`, or an
   * `iam.ArnPrincipal` of a role or user). Not an assumed-role session, an account or a service.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RegisterPullTimeUpdateExclusion.html
   */
  readonly principal: iam.IPrincipal;
}

/** ECR's quota of exclusions per account. @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-time-update-exclusions.html */
const MAX_EXCLUSIONS = 100;
const MAX_ARN_LENGTH = 200;

/**
 * A pull-time update exclusion: pulls by this role or user leave an image's last-pull time as it is, so a
 * vulnerability scanner or a cache warmer that pulls every image does not keep them all out of
 * `EcrLifecycleRules.archiveAfterDaysSinceLastPull`.
 *
 * The exclusions are registry-wide (account and region), one per principal: the same principal twice in one
 * stack is an error, and so is the 101st exclusion (ECR allows 100 per account).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-time-update-exclusions.html
 */
export class EcrPullTimeUpdateExclusion extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnPullTimeUpdateExclusion;

  /** The ARN of the excluded role or user. */
  public readonly principalArn: string;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the role or user to exclude.
   */
  public constructor(scope: Construct, id: string, props: EcrPullTimeUpdateExclusionProps) {
    super(scope, id);
    props = checkProps(this, 'EcrPullTimeUpdateExclusion', props, {
      principal: required(IAM_PRINCIPAL, 'the IAM role or user whose pulls ECR should not count, e.g. an iam.Role'),
    });
    const arn = principalArn(props.principal);
    const problems: string[] = [];
    if (arn === undefined) {
      problems.push(`principal: ${props.principal} is not an IAM role or user; pass an iam.Role, iam.IRole, iam.User or the ArnPrincipal of one`);
    } else if (!Token.isUnresolved(arn) && (arn.length > MAX_ARN_LENGTH || !ROLE_OR_USER_ARN.test(arn))) {
      problems.push(`principal: '${arn}' is not the ARN of an IAM role or user (arn:aws:iam::123456789012:role/name); `
        + 'assumed-role sessions, accounts and services cannot be excluded');
    }
    throwIfProblems(`${this.node.path}: invalid EcrPullTimeUpdateExclusion props`, problems);
    this.principalArn = arn!;
    claimOncePerStack(this, `EcrPullTimeUpdateExclusion:${this.principalArn}`, first =>
      `the principal ${this.principalArn} is already excluded by '${first}'; exclude each principal once`);
    const count = countInStack(this, 'EcrPullTimeUpdateExclusion');
    if (count > MAX_EXCLUSIONS) {
      throw new Error(`${this.node.path}: this is pull-time update exclusion number ${count} in the stack, and ECR allows at most `
        + `${MAX_EXCLUSIONS} per account; exclude a role that the automation shares instead of one per job`);
    }

    this.resource = new ecr.CfnPullTimeUpdateExclusion(this, 'Resource', { principalArn: this.principalArn });
  }
}

/** The ARN of a role, a user, or an ArnPrincipal other than an account's; undefined for anything else. */
function principalArn(principal: iam.IPrincipal): string | undefined {
  const candidate = principal as Partial<iam.IRole & iam.IUser>;
  const arn = principal instanceof iam.ArnPrincipal && !(principal instanceof iam.AccountPrincipal) ? principal.arn : undefined;
  return candidate.roleArn ?? candidate.userArn ?? arn;
}
