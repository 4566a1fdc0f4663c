// Who a resource-policy statement lets in: the one set of principal rules that every policy this library writes
// goes through (repository policies from props, from addToResourcePolicy and through the escape hatch; the
// registry policy). Input is the rendered JSON (after `stack.resolve`), so CloudFormation intrinsics may appear.
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
import { ACCOUNT_ID } from './aws-ids';
import { isObject, ownValue } from './text';

/** What `statementProblems` and `policyProblems` may allow beyond the rules. */
export interface PrincipalCheckOptions {
  /**
   * Actions that an unrestricted `Principal: "*"` may be allowed (the explicit public-pull opt-in). Only read
   * actions count; anything else stays refused.
   *
   * @default - none: `Principal: "*"` needs a condition that restricts who
   */
  readonly publicActions?: readonly string[];

  /**
   * How a refused write by anyone names the principals instead: the prop or method of the policy being checked.
   *
   * @default 'pushAccounts' (the repository policy)
   */
  readonly namedWriters?: string;
}

/** What `docker pull` needs. */
export const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** The repository actions that only read: the most `Principal: "*"` may ever be allowed, whatever its conditions. */
const READ_ACTIONS = new Set([
  ...PULL_ACTIONS, 'ecr:DescribeImages', 'ecr:DescribeRepositories', 'ecr:ListImages', 'ecr:DescribeImageScanFindings',
  'ecr:ListTagsForResource', 'ecr:GetRepositoryPolicy', 'ecr:GetLifecyclePolicy', 'ecr:GetLifecyclePolicyPreview',
  'ecr:DescribeImageReplicationStatus', 'ecr:DescribeImageSigningStatus',
].map(a => a.toLowerCase()));

/**
 * The condition keys that restrict *who* the caller is, each with the way its values must name an owner.
 * Keys are case-insensitive in IAM. aws:Source* keys carry the account a service acts for (confused deputy).
 */
const PRINCIPAL_KEYS: Record<string, (value: string) => boolean> = {
  'aws:principalorgid': exactly,
  'aws:principalaccount': exactly,
  'aws:principalarn': arnWithAccount,
  'aws:principalorgpaths': orgPath,
};
const SOURCE_KEYS: Record<string, (value: string) => boolean> = {
  'aws:sourceaccount': exactly,
  'aws:sourcearn': arnWithAccount,
  'aws:sourceorgid': exactly,
  'aws:sourceorgpaths': orgPath,
};

/**
 * Operators under which a missing key fails the condition (so the key must be there and match). `...IfExists`,
 * negations and `ForAllValues:` are true for a caller without the key, so they restrict nobody.
 */
const MATCHING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']
  .flatMap(op => [op, `foranyvalue:${op}`]));

/** A wildcard of IAM's `StringLike`/`ArnLike`. */
const WILDCARD = /[*?]/;

/** Stands for a CloudFormation intrinsic in a flattened value: a value the user named, not a wildcard. */
const TOKEN = '\u0000';

/**
 * Every problem of one rendered policy statement with who it lets in. Only `Allow` statements can let anyone in.
 *
 * - `NotPrincipal` with `Allow` is refused: it lets in everyone but the principals listed.
 * - `Principal: "*"` may only ever read (pull); it needs a condition that restricts who (`aws:PrincipalOrgID`,
 *   `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgPaths`, or `aws:SourceAccount`/`aws:SourceArn`/
 *   `aws:SourceOrgID`/`aws:SourceOrgPaths`, with a matching operator and values that name an account or
 *   organization), unless all its actions are in `options.publicActions`.
 * - A service principal needs `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID` or `aws:SourceOrgPaths`.
 * - An account id in a principal must be 12 digits; a principal ARN may not contain wildcards.
 *
 * @param statement the statement JSON, e.g. `stack.resolve(statement.toStatementJson())`
 * @returns problem texts without a prefix; the caller names the statement
 */
export function statementProblems(statement: unknown, options: PrincipalCheckOptions = {}): string[] {
  if (!isObject(statement) || statement.Effect === 'Deny') {
    return [];
  }
  const problems: string[] = [];
  if (statement.NotPrincipal !== undefined) {
    problems.push('NotPrincipal with Effect Allow lets in everyone except the principals listed; name who may in Principal instead');
  }
  const principals = principalValues(statement.Principal);
  problems.push(...principals.bad);
  if (principals.anyone) {
    problems.push(...anyoneProblems(statement, conditionsOf(statement.Condition), options));
  }
  if (lacksSourceCondition(statement)) {
    problems.push(`service principal ${principals.services.join(', ')} without aws:SourceAccount or aws:SourceArn lets the service act `
      + 'for any AWS account (the confused deputy problem); add a condition such as { StringEquals: { \'aws:SourceAccount\': \'<account>\' } }');
  }
  return problems;
}

/**
 * True when an `Allow` statement names a service principal but no condition on the account or organization the
 * service acts for (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`).
 */
export function lacksSourceCondition(statement: unknown): boolean {
  return isObject(statement) && statement.Effect !== 'Deny' && principalValues(statement.Principal).services.length > 0
    && !restricts(conditionsOf(statement.Condition), SOURCE_KEYS);
}

/**
 * Every problem of a rendered policy document's statements (see `statementProblems`), each prefixed with
 * `<what> statement '<Sid>'` (or `#<index>` without a Sid).
 *
 * @param document the policy JSON, e.g. `stack.resolve(policyDocument)`
 * @param what what the policy is, for the messages, e.g. `repository policy`
 */
export function policyProblems(document: unknown, what: string, options: PrincipalCheckOptions = {}): string[] {
  return statementsOf(document).flatMap((statement, i) =>
    statementProblems(statement, options).map(problem => `${what} statement ${statementName(statement, i)}: ${problem}`));
}

/** The statements of a rendered policy document (none when it has none). */
export function statementsOf(document: unknown): unknown[] {
  const statements = isObject(document) ? document.Statement : undefined;
  return statements === undefined ? [] : [statements].flat();
}

/** `'Sid'`, or `#index` for a statement without a Sid. */
export function statementName(statement: unknown, index: number): string {
  return isObject(statement) && typeof statement.Sid === 'string' ? `'${statement.Sid}'` : `#${index}`;
}

function anyoneProblems(statement: Record<string, unknown>, conditions: Condition[], options: PrincipalCheckOptions): string[] {
  if (statement.NotAction !== undefined) {
    return ["Principal '*' with NotAction allows every other action to anyone; list the read actions in Action instead"];
  }
  const actions = [statement.Action].flat().filter(a => a !== undefined).map(a => flatten(a));
  const writes = actions.filter(a => !READ_ACTIONS.has(a.toLowerCase()));
  if (writes.length > 0) {
    return [`Principal '*' may only read, whatever its condition, but is allowed ${writes.join(', ')}; `
      + `name the accounts, roles or organizations that push instead (e.g. ${options.namedWriters ?? 'pushAccounts'})`];
  }
  const publicActions = new Set((options.publicActions ?? []).map(a => a.toLowerCase()));
  const isPublic = actions.length > 0 && actions.every(a => publicActions.has(a.toLowerCase()));
  if (isPublic || restricts(conditions, { ...PRINCIPAL_KEYS, ...SOURCE_KEYS })) {
    return [];
  }
  return ["Principal '*' has no condition that restricts who, so it lets every AWS account in; add a condition on aws:PrincipalOrgID, "
    + 'aws:PrincipalAccount or aws:PrincipalArn (a condition on aws:SecureTransport, aws:SourceIp or an ...IfExists operator '
    + 'does not restrict who), use pullOrganizationIds, or set dangerouslyAllowPullFromAnyAwsAccount: true for public pulls'];
}

interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

function conditionsOf(block: unknown): Condition[] {
  if (!isObject(block)) {
    return [];
  }
  return Object.entries(block).flatMap(([operator, keys]) => isObject(keys)
    ? Object.entries(keys).map(([key, values]) => ({
      operator: operator.toLowerCase(), key: key.toLowerCase(), values: [values].flat().map(v => flatten(v)),
    }))
    : []);
}

/** True when one condition (conditions are ANDed) requires a key of `keys`, every value naming an owner. */
function restricts(conditions: Condition[], keys: Record<string, (value: string) => boolean>): boolean {
  return conditions.some(c => {
    // Own keys only: a condition key "constructor" must not find Object's constructor and count as restricting.
    const names = ownValue(keys, c.key);
    return MATCHING_OPERATORS.has(c.operator) && names !== undefined && c.values.length > 0 && c.values.every(names);
  });
}

function exactly(value: string): boolean {
  return !WILDCARD.test(value);
}

/** An ARN whose account field is literal: `arn:aws:iam::123456789012:role/ci-*` restricts to one account. */
function arnWithAccount(value: string): boolean {
  const fields = value.split(':');
  return fields.length >= 6 && fields.slice(0, 5).every(exactly) && fields[4] !== '';
}

/** An organization path that starts with a literal organization id: `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`. */
function orgPath(value: string): boolean {
  const slash = value.indexOf('/');
  return slash > 0 && exactly(value.slice(0, slash));
}

interface Principals {
  /** True when `*` is among the principals. */
  readonly anyone: boolean;
  readonly services: string[];
  readonly bad: string[];
}

function principalValues(principal: unknown): Principals {
  if (principal === '*') {
    return { anyone: true, services: [], bad: [] };
  }
  const block = isObject(principal) ? principal : {};
  const aws = [block.AWS].flat().filter(v => v !== undefined).map(v => flatten(v));
  const services = [block.Service].flat().filter(v => v !== undefined).map(v => flatten(v));
  return { anyone: aws.includes('*'), services, bad: aws.filter(v => v !== '*').flatMap(awsPrincipalProblems) };
}

/** An account id (`123456789012`) or an IAM/STS ARN (`arn:aws:iam::123456789012:role/x`) with a 12-digit account. */
function awsPrincipalProblems(value: string): string[] {
  const shown = value.split(TOKEN).join('${Token}');
  if (WILDCARD.test(value)) {
    return [`principal '${shown}' contains a wildcard, which AWS does not accept in a principal ARN; use '*' with a condition, or name the principal`];
  }
  const fields = value.split(':');
  const account = fields[0] === 'arn' ? fields[4] : value;
  if (account !== undefined && !account.includes(TOKEN) && !ACCOUNT_ID.test(account)) {
    return [`principal '${shown}' does not name a 12-digit AWS account id (got '${account}'); use the account's 12 digits, e.g. '123456789012'`];
  }
  return [];
}

/** A rendered value as a string: `Fn::Join` joined, any other intrinsic (`Ref`, `Fn::GetAtt`, ...) as TOKEN. */
function flatten(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const join = isObject(value) ? value['Fn::Join'] : undefined;
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(part => flatten(part)).join(join[0]);
  }
  return TOKEN;
}
