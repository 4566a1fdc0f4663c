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
/** Every condition key that restricts who, principal or source. */
const WHO_KEYS = { ...PRINCIPAL_KEYS, ...SOURCE_KEYS };

/**
 * Operators under which a missing key fails the condition (so the key must be there and match). `...IfExists`,
 * negations and `ForAllValues:` are true for a caller without the key, so they restrict nobody.
 */
const MATCHING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']
  .flatMap(op => [op, `foranyvalue:${op}`]));

/** A wildcard of IAM's `StringLike`/`ArnLike`. */
const WILDCARD = /[*?]/;

/**
 * Stands for a CloudFormation value the library cannot read in a flattened value (a parameter, an import, a
 * condition's `Fn::If` inside a string): it may be anything, `*` included.
 */
export const TOKEN = '\u0000';

/**
 * Stands for a value that is named although unresolved: a pseudo parameter (`AWS::AccountId`, `AWS::Partition`,
 * ...) or an attribute of a resource of the template (`Fn::GetAtt`), which is never a wildcard.
 */
const NAMED = '\u0001';

/** What a value with TOKEN or NAMED looks like in a message. */
export function shown(value: string): string {
  return value.split(TOKEN).join('${Token}').split(NAMED).join('${Token}');
}

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
  return checkStatement(statement, options).problems;
}

/** What `checkStatement` found in one statement. */
export interface StatementCheck {
  /** What the statement must not say (see `statementProblems`). */
  readonly problems: string[];
  /**
   * What could not be checked in a statement that writes: principals and condition values the library cannot
   * read (a parameter, an import, `Fn::If`). Empty for a statement that only reads.
   */
  readonly unchecked: string[];
}

/**
 * `statementProblems`, and what in a statement that writes could not be checked because it is unresolved.
 * `*` in any form the library can read (`Fn::Sub` without variables, `Fn::Join` and `Fn::Select` of literals,
 * either branch of `Fn::If`) is `*`.
 */
export function checkStatement(statement: unknown, options: PrincipalCheckOptions = {}): StatementCheck {
  if (!isObject(statement) || statement.Effect === 'Deny') {
    return { problems: [], unchecked: [] };
  }
  const problems: string[] = [];
  if (statement.NotPrincipal !== undefined) {
    problems.push('NotPrincipal with Effect Allow lets in everyone except the principals listed; name who may in Principal instead');
  }
  const principals = principalValues(statement.Principal);
  problems.push(...principals.bad);
  const conditions = conditionsOf(statement.Condition);
  if (principals.anyone) {
    problems.push(...anyoneProblems(statement, conditions, options));
  }
  if (lacksSourceCondition(statement)) {
    problems.push(`service principal ${principals.services.join(', ')} without aws:SourceAccount or aws:SourceArn lets the service act `
      + 'for any AWS account (the confused deputy problem); add a condition such as { StringEquals: { \'aws:SourceAccount\': \'<account>\' } }');
  }
  const unchecked = writes(statement) ? [
    ...principals.unreadable.map(p => `principal '${shown(p)}'`),
    ...conditions.filter(c => WHO_KEYS[c.key] !== undefined).flatMap(c =>
      c.values.filter(v => v.includes(TOKEN)).map(v => `condition ${c.key} '${shown(v)}'`)),
  ] : [];
  return { problems, unchecked };
}

/** True when an `Allow` statement allows an action that does more than read (or `NotAction`, or none it can read). */
function writes(statement: Record<string, unknown>): boolean {
  if (statement.NotAction !== undefined) {
    return true;
  }
  const actions = [statement.Action].flat().filter(a => a !== undefined).flatMap(a => candidates(a));
  return actions.some(a => !READ_ACTIONS.has(a.toLowerCase()));
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
  const actions = [statement.Action].flat().filter(a => a !== undefined).flatMap(a => candidates(a));
  const written = actions.filter(a => !READ_ACTIONS.has(a.toLowerCase()));
  if (written.length > 0) {
    return [`Principal '*' may only read, whatever its condition, but is allowed ${written.map(shown).join(', ')}; `
      + `name the accounts, roles or organizations that push instead (e.g. ${options.namedWriters ?? 'pushAccounts'})`];
  }
  const publicActions = new Set((options.publicActions ?? []).map(a => a.toLowerCase()));
  const isPublic = actions.length > 0 && actions.every(a => publicActions.has(a.toLowerCase()));
  if (isPublic || restricts(conditions, WHO_KEYS)) {
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
      operator: operator.toLowerCase(), key: key.toLowerCase(), values: [values].flat().flatMap(v => candidates(v)),
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
  /** AWS principals the library cannot read (with TOKEN), and a whole `Principal` it cannot read. */
  readonly unreadable: string[];
}

/** The keys a resource policy of ECR's takes in `Principal`: accounts, roles and users, and services. */
const PRINCIPAL_TYPES = new Set(['AWS', 'Service']);

function principalValues(principal: unknown): Principals {
  const all = candidates(principal, true);
  const blocks = all.filter(isObject);
  const unreadable = all.filter(p => p === TOKEN);
  const bad = blocks.flatMap(block => Object.keys(block).filter(type => !PRINCIPAL_TYPES.has(type)).map(type =>
    `principal type ${type} (${JSON.stringify(block[type])}) is not accepted here: an ECR resource policy names AWS accounts, roles and users `
    + "(Principal { AWS: ... }) or services (Principal { Service: ... }); a federated or canonical user identity gets ECR access through an IAM role's identity policy"));
  const values = (type: string) => blocks.flatMap(block => [block[type]].flat().filter(v => v !== undefined).flatMap(v => candidates(v)));
  const aws = values('AWS');
  const services = values('Service');
  unreadable.push(...aws.filter(v => v.includes(TOKEN)));
  return {
    anyone: all.includes('*') || aws.includes('*'), services, bad: [...bad, ...aws.filter(v => v !== '*').flatMap(awsPrincipalProblems)], unreadable,
  };
}

/** An account id (`123456789012`) or an IAM/STS ARN (`arn:aws:iam::123456789012:role/x`) with a 12-digit account. */
function awsPrincipalProblems(value: string): string[] {
  if (WILDCARD.test(value)) {
    return [`principal '${shown(value)}' contains a wildcard, which AWS does not accept in a principal ARN; use '*' with a condition, or name the principal`];
  }
  const account = accountOf(value);
  if (account !== undefined && !account.includes(TOKEN) && !account.includes(NAMED) && !ACCOUNT_ID.test(account)) {
    return [`principal '${shown(value)}' does not name a 12-digit AWS account id (got '${shown(account)}'); use the account's 12 digits, e.g. '123456789012'`];
  }
  return [];
}

/** The account field of a flattened principal (an ARN's fifth field, or a bare account id). */
function accountOf(value: string): string | undefined {
  const fields = value.split(':');
  return fields[0] === 'arn' ? fields[4] : value;
}

/**
 * The AWS principals of a rendered statement that are not of `account` (a literal 12-digit id): their account is
 * another literal. A principal of this stack's `AWS::AccountId`, of a resource of the template or unreadable is not listed.
 */
export function principalsOutside(statement: unknown, account: string): string[] {
  if (!isObject(statement)) {
    return [];
  }
  const aws = candidates(statement.Principal, true).filter(isObject)
    .flatMap(block => [block.AWS].flat().filter(v => v !== undefined).flatMap(v => candidates(v)));
  return aws.filter(v => {
    const owner = accountOf(v);
    return v !== '*' && owner !== undefined && ACCOUNT_ID.test(owner) && owner !== account;
  }).map(shown);
}

/**
 * Every string a rendered value may stand for, as far as the library can read it: literals as they are,
 * `Fn::Sub` without variables as its text (variables as NAMED for pseudo parameters, TOKEN otherwise), `Fn::Join`
 * and `Fn::Select` of what it can read, both branches of `Fn::If`, a pseudo parameter or `Fn::GetAtt` as NAMED,
 * anything else (a parameter, an import) as TOKEN. With `objects`, a plain object (a Principal block) is kept.
 */
export function candidates(value: unknown, objects: boolean = false): any[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (!isObject(value)) {
    return [TOKEN];
  }
  const [intrinsic, ...others] = Object.keys(value);
  const args = value[intrinsic];
  if (intrinsic === undefined || others.length > 0 || !(intrinsic === 'Ref' || intrinsic.startsWith('Fn::'))) {
    return objects ? [value] : [TOKEN];
  }
  if (intrinsic === 'Fn::If' && Array.isArray(args) && args.length === 3) {
    return [...candidates(args[1], objects), ...candidates(args[2], objects)].filter(v => !isNoValue(v));
  }
  return [flatten(value)];
}

function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}

/** One rendered value as one string (see `candidates`); an intrinsic it cannot read as TOKEN. */
function flatten(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (!isObject(value)) {
    return TOKEN;
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(part => flatten(part)).join(join[0]);
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') {
    return substitute(sub);
  }
  const select = value['Fn::Select'];
  if (Array.isArray(select) && typeof select[0] !== 'object' && Array.isArray(select[1]) && select[1][Number(select[0])] !== undefined) {
    return flatten(select[1][Number(select[0])]);
  }
  if (typeof value.Ref === 'string' && value.Ref.startsWith('AWS::') || value['Fn::GetAtt'] !== undefined) {
    return NAMED;
  }
  return TOKEN;
}

/** An `Fn::Sub` text with its variables replaced: `${AWS::...}` and `${Resource.Attr}` are NAMED, `${!x}` is `${x}`. */
function substitute(text: string): string {
  return text.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
    if (name.startsWith('!')) {
      return `\${${name.slice(1)}}`;
    }
    return name.startsWith('AWS::') || name.includes('.') ? NAMED : TOKEN;
  });
}
