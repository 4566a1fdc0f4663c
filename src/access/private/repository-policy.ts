// Builds and checks EcrRepository's repository policy from its access props (pullAccounts, pushPrincipals, ...):
// least-privilege statements, no `Resource` (ECR rejects it), never an unconditioned `Principal: "*"` without
// the explicit opt-in. Internal: the props are the public RepositoryAccessProps.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
import { Aws, aws_iam as iam, Stack, Token } from 'aws-cdk-lib';
import { ACCOUNT_ID } from '../../private/aws-ids';
import { RepositoryAccessProps } from '../repository-access-props';

/** Only what `docker pull` needs. */
const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
/** Only what `docker push` needs (ECR's "allow push" example). */
const PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
];
/** What the Lambda service needs to pull a function's image. */
const LAMBDA_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;

/** Every problem with the access props, each naming the prop, the bad value and the fix. */
export function accessPropsProblems(props: RepositoryAccessProps): string[] {
  const problems: string[] = [];
  for (const prop of ['pullAccounts', 'pushAccounts', 'lambdaPullAccounts'] as const) {
    checkList(props[prop], prop, ACCOUNT_ID, "a 12-digit AWS account id, e.g. '123456789012'", problems);
  }
  checkList(props.pullOrganizationIds, 'pullOrganizationIds', ORGANIZATION,
    "an AWS Organizations id: 'o-' and 10 to 32 lower-case letters or digits, e.g. 'o-a1b2c3d4e5'", problems);
  for (const prop of ['pullPrincipals', 'pushPrincipals'] as const) {
    (props[prop] ?? []).forEach((principal, i) => {
      if (isUnconditionedStar(principal)) {
        problems.push(prop === 'pushPrincipals'
          ? `pushPrincipals[${i}]: anyone (Principal '*') may never push; name the accounts or roles that push`
          : `pullPrincipals[${i}]: Principal '*' without a condition lets every AWS account pull; use pullOrganizationIds, `
            + 'add a condition (principal.withConditions), or set dangerouslyAllowPullFromAnyAwsAccount: true if that is really intended');
      }
    });
  }
  return problems;
}

/** The repository policy statements for the access props (call only when `problems` is empty). */
export function accessStatements(stack: Stack, props: RepositoryAccessProps): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const accounts = (ids: string[] | undefined) => (ids ?? []).map(id => new iam.AccountPrincipal(id));
  if ((props.pullAccounts ?? []).length > 0) {
    statements.push(allow('PullFromAccounts', PULL_ACTIONS, accounts(props.pullAccounts)));
  }
  if ((props.pushAccounts ?? []).length > 0) {
    statements.push(allow('PushFromAccounts', PUSH_ACTIONS, accounts(props.pushAccounts)));
  }
  (props.pullPrincipals ?? []).forEach((p, i) => statements.push(allow(`PullPrincipal${i}`, PULL_ACTIONS, [p])));
  (props.pushPrincipals ?? []).forEach((p, i) => statements.push(allow(`PushPrincipal${i}`, PUSH_ACTIONS, [p])));
  const organizations = (props.pullOrganizationIds ?? []);
  if (organizations.length > 0) {
    statements.push(allow('PullFromOrganizations', PULL_ACTIONS, [new iam.AnyPrincipal()],
      { StringEquals: { 'aws:PrincipalOrgID': organizations } }));
  }
  const lambdaAccounts = (props.lambdaPullAccounts ?? []);
  if (lambdaAccounts.length > 0) {
    // Lambda pulls with its service principal, for functions of these accounts in this region only ...
    statements.push(allow('LambdaPullForAccounts', LAMBDA_ACTIONS, [new iam.ServicePrincipal('lambda.amazonaws.com')], {
      StringLike: { 'aws:sourceArn': lambdaAccounts.map(a => `arn:${Aws.PARTITION}:lambda:${stack.region}:${a}:function:*`) },
      StringEquals: { 'aws:sourceAccount': lambdaAccounts },
    }));
    // ... and the accounts themselves must be allowed to read the image (for CreateFunction's check).
    statements.push(allow('LambdaAccountsPull', LAMBDA_ACTIONS, lambdaAccounts.map(a => new iam.AccountPrincipal(a))));
  }
  if (props.dangerouslyAllowPullFromAnyAwsAccount) {
    statements.push(allow('PullFromAnyAwsAccount', PULL_ACTIONS, [new iam.AnyPrincipal()]));
  }
  return statements;
}

/**
 * Problems of a rendered repository policy: `Resource` in a statement, or an unconditioned `Principal: "*"`
 * other than the opted-in `PullFromAnyAwsAccount`. Catches statements added through the escape hatch too.
 */
export function policyProblems(stack: Stack, policyText: unknown, publicPullAllowed: boolean): string[] {
  const json = stack.resolve(policyText) as { Statement?: Array<Record<string, any>> } | undefined;
  const problems: string[] = [];
  (json?.Statement ?? []).forEach((s, i) => {
    const name = s.Sid ? `'${s.Sid}'` : `#${i}`;
    if (s.Resource !== undefined || s.NotResource !== undefined) {
      problems.push(`repository policy statement ${name} has a Resource, which ECR rejects in a repository policy; remove it`);
    }
    const star = s.Principal === '*' || [s.Principal?.AWS].flat().includes('*');
    if (star && s.Condition === undefined && s.Effect === 'Allow' && !(publicPullAllowed && s.Sid === 'PullFromAnyAwsAccount')) {
      problems.push(`repository policy statement ${name} allows Principal '*' without a condition; add a condition `
        + '(e.g. aws:PrincipalOrgID) or use dangerouslyAllowPullFromAnyAwsAccount for public pulls');
    }
  });
  return problems;
}

function allow(sid: string, actions: string[], principals: iam.IPrincipal[], conditions?: Record<string, any>): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid, effect: iam.Effect.ALLOW, actions, principals, conditions });
}

function checkList(values: string[] | undefined, prop: string, pattern: RegExp, expected: string, problems: string[]): void {
  const seen = new Set<string>();
  (values ?? []).forEach((value, i) => {
    if (!Token.isUnresolved(value) && !pattern.test(value)) {
      problems.push(`${prop}[${i}]: '${value}' is not ${expected}`);
    }
    if (seen.has(value)) {
      problems.push(`${prop}[${i}]: '${value}' is listed twice; list it once`);
    }
    seen.add(value);
  });
}

/** A principal that renders as `*` (AnyPrincipal, StarPrincipal) and carries no condition. */
function isUnconditionedStar(principal: iam.IPrincipal): boolean {
  const fragment = principal.policyFragment;
  const json = fragment.principalJson;
  const star = Object.values(json).some(values => values.includes('*'));
  return star && Object.keys(fragment.conditions).length === 0;
}
