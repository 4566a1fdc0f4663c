// Builds and checks EcrRepository's repository policy from its access props (pullAccounts, pushPrincipals, ...):
// least-privilege statements, no `Resource` (ECR rejects it), and the principal rules of
// private/principal-checks.ts (the public-pull opt-in is the only unrestricted `Principal: "*"`, and it may only
// pull). Internal: the props are the public RepositoryAccessProps.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
import { Aws, aws_iam as iam, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ACCOUNT_ID, ORGANIZATION_ID } from '../../private/aws-ids';
import * as finalTemplate from '../../private/final-template';
import * as principalChecks from '../../private/principal-checks';
import { boolean, IAM_PRINCIPAL, listOf, Schema, string } from '../../private/prop-types';
import { RepositoryAccessProps } from '../repository-access-props';

/** Only what `docker push` needs (ECR's "allow push" example). */
const PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
];
/** What the Lambda service needs to pull a function's image. */
const LAMBDA_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** The principal-check options of a repository policy: the public-pull opt-in lets `*` pull, and nothing else. */
export function checkOptions(publicPullAllowed: boolean): principalChecks.PrincipalCheckOptions {
  return { publicActions: publicPullAllowed ? principalChecks.PULL_ACTIONS : [] };
}

/** The types of the access props (`checkProps` refuses a wrong one before `accessPropsProblems` runs). */
export const ACCESS_TYPES: Schema = {
  pullAccounts: listOf(string),
  pushAccounts: listOf(string),
  lambdaPullAccounts: listOf(string),
  pullOrganizationIds: listOf(string),
  pullPrincipals: listOf(IAM_PRINCIPAL),
  pushPrincipals: listOf(IAM_PRINCIPAL),
  dangerouslyAllowPullFromAnyAwsAccount: boolean,
};

/** Every problem with the access props, each naming the prop, the bad value and the fix. */
export function accessPropsProblems(stack: Stack, props: RepositoryAccessProps): string[] {
  const problems: string[] = [];
  for (const prop of ['pullAccounts', 'pushAccounts', 'lambdaPullAccounts'] as const) {
    checkList(props[prop], prop, ACCOUNT_ID, "a 12-digit AWS account id, e.g. '123456789012'", problems);
  }
  checkList(props.pullOrganizationIds, 'pullOrganizationIds', ORGANIZATION_ID,
    "an AWS Organizations id: 'o-' and 10 to 32 lower-case letters or digits, e.g. 'o-a1b2c3d4e5'", problems);
  // The statements the principals become, checked by the same rules as any other statement.
  for (const prop of ['pullPrincipals', 'pushPrincipals'] as const) {
    principalStatements(stack, props, prop).forEach((statement, i) => {
      const json = stack.resolve(statement.toStatementJson());
      problems.push(...principalChecks.statementProblems(json, checkOptions(false)).map(p => `${prop}[${i}]: ${p}`));
    });
  }
  return problems;
}

/** The repository policy statements for the access props (call only when `problems` is empty). */
export function accessStatements(stack: Stack, props: RepositoryAccessProps): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const accounts = (ids: string[] | undefined) => (ids ?? []).map(id => new iam.AccountPrincipal(id));
  if ((props.pullAccounts ?? []).length > 0) {
    statements.push(allow('PullFromAccounts', principalChecks.PULL_ACTIONS, accounts(props.pullAccounts)));
  }
  if ((props.pushAccounts ?? []).length > 0) {
    statements.push(allow('PushFromAccounts', PUSH_ACTIONS, accounts(props.pushAccounts)));
  }
  statements.push(...principalStatements(stack, props, 'pullPrincipals'), ...principalStatements(stack, props, 'pushPrincipals'));
  const organizations = (props.pullOrganizationIds ?? []);
  if (organizations.length > 0) {
    statements.push(allow('PullFromOrganizations', principalChecks.PULL_ACTIONS, [new iam.AnyPrincipal()],
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
    statements.push(allow('PullFromAnyAwsAccount', principalChecks.PULL_ACTIONS, [new iam.AnyPrincipal()]));
  }
  return statements;
}

/**
 * The statement as it goes into the repository policy: a service principal without a source condition is
 * confined to this stack's account (`aws:SourceAccount`), so that the service cannot pull or push for another
 * account (the confused deputy problem). aws-cdk-lib's own grants (`DockerImageCode.fromEcr`) take this path.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function confineServices(stack: Stack, statement: iam.PolicyStatement): iam.PolicyStatement {
  const json = stack.resolve(statement.toStatementJson());
  const onlyServices = Object.keys(json.Principal ?? {}).every(type => type === 'Service');
  if (!onlyServices || !principalChecks.lacksSourceCondition(json)) {
    return statement;
  }
  const confined = statement.copy();
  confined.addCondition('StringEquals', { ...statement.conditions.StringEquals, 'aws:SourceAccount': stack.account });
  return confined;
}

/**
 * Problems of a repository policy: `Resource` in a statement (ECR rejects it), and every principal problem
 * (`principal-checks.ts`).
 *
 * @param policy the policy: a document with tokens, or the rendered property (a JSON string is parsed)
 * @param scope on the final template, the construct that owns the policy: what could not be checked is reported
 * on it as a warning (see `final-template.ts`). Omitted for a check at the call.
 */
export function policyProblems(stack: Stack, policy: unknown, publicPullAllowed: boolean, scope?: IConstruct): string[] {
  const parsed = finalTemplate.policyDocument(stack.resolve(policy));
  if (parsed.problem !== undefined) {
    return [`repository policy: ${parsed.problem}`];
  }
  const json = parsed.document;
  const resources = principalChecks.statementsOf(json).flatMap((s, i) =>
    isResourceStatement(s) ? [`repository policy statement ${principalChecks.statementName(s, i)} has a Resource, which ECR rejects in a repository policy; remove it`] : []);
  const principals = scope === undefined
    ? principalChecks.policyProblems(json, 'repository policy', checkOptions(publicPullAllowed))
    : finalTemplate.policyProblems(scope, json, 'repository policy', checkOptions(publicPullAllowed));
  return [...resources, ...principals];
}

function isResourceStatement(statement: unknown): boolean {
  const s = statement as Record<string, unknown>;
  return s.Resource !== undefined || s.NotResource !== undefined;
}

/** One statement per principal of `pullPrincipals` or `pushPrincipals`, service principals confined. */
function principalStatements(stack: Stack, props: RepositoryAccessProps, prop: 'pullPrincipals' | 'pushPrincipals'): iam.PolicyStatement[] {
  const [sid, actions] = prop === 'pullPrincipals' ? ['PullPrincipal', principalChecks.PULL_ACTIONS] : ['PushPrincipal', PUSH_ACTIONS];
  return (props[prop] ?? []).map((p, i) => confineServices(stack, allow(`${sid}${i}`, actions, [p])));
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
