// The repository policy of an ECR Public repository: what a push needs, and the check of the policy that the
// template finally holds (after addToResourcePolicy, L1 setters, Aspects and escape-hatch overrides). Anyone may
// pull a public image without any policy, so a public repository policy only ever names who may write: any `*`
// principal is refused, and every other principal goes through the rules of private/principal-checks.ts.
// @see https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-policies.html
import { aws_ecr as ecr, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as principalChecks from '../../private/principal-checks';
import { isObject } from '../../private/text';

/** The repository actions of a `docker push` to ECR Public. */
export const PUSH_ACTIONS = [
  'ecr-public:BatchCheckLayerAvailability', 'ecr-public:CompleteLayerUpload', 'ecr-public:InitiateLayerUpload',
  'ecr-public:PutImage', 'ecr-public:UploadLayerPart',
];
/** What `docker login public.ecr.aws` needs; neither action supports a resource, so both are granted on `*`. */
export const LOGIN_ACTIONS = ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'];

const WHAT = 'public repository policy';

/**
 * Every problem of a rendered public repository policy: a statement that lets in `*` (in any form: `Principal: "*"`,
 * `{ AWS: "*" }`, `NotPrincipal`), then the principal rules shared with private repositories.
 */
export function policyProblems(document: unknown): string[] {
  const parsed = typeof document === 'string' ? parseJson(document) : document;
  return principalChecks.statementsOf(parsed).flatMap((statement, i) => {
    const name = `${WHAT} statement ${principalChecks.statementName(statement, i)}`;
    if (!isObject(statement) || statement.Effect === 'Deny') return [];
    const problems = lettingAnyoneIn(statement)
      ? ["lets in every AWS account ('*'). Anyone can already pull a public image without a policy, so a public repository policy "
        + 'only names who may push: name the accounts or roles (pushPrincipals, grantPush)']
      : [];
    const named = { ...statement, Principal: withoutAnyone(statement.Principal) };
    problems.push(...principalChecks.statementProblems(named, { namedWriters: 'pushPrincipals' }));
    return problems.map(problem => `${name}: ${problem}`);
  });
}

function lettingAnyoneIn(statement: Record<string, unknown>): boolean {
  const principal = statement.Principal;
  const aws = isObject(principal) ? [principal.AWS].flat() : [];
  return principal === '*' || aws.includes('*');
}

/** The principal without its `*` entries (reported once, by `policyProblems`). */
function withoutAnyone(principal: unknown): unknown {
  if (principal === '*') return {};
  if (!isObject(principal) || principal.AWS === undefined) return principal;
  const aws = [principal.AWS].flat().filter(value => value !== '*');
  return { ...principal, AWS: aws.length > 0 ? aws : undefined };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The L1 of EcrPublicRepository: an `ecr.CfnPublicRepository` that also keeps the overrides it is given, so that
 * the repository policy can be checked as the template finally renders it (`addOverride` is the one public entry
 * of `addPropertyOverride`, `addDeletionOverride` and `addPropertyDeletionOverride`).
 */
export class CheckedCfnPublicRepository extends ecr.CfnPublicRepository {
  private readonly overrides: Record<string, any> = {};

  public constructor(scope: Construct, id: string, props: ecr.CfnPublicRepositoryProps) {
    super(scope, id, props);
  }

  public addOverride(path: string, value: any): void {
    super.addOverride(path, value);
    // The same tree aws-cdk-lib keeps: a dotted path (`\.` escapes a dot) of objects.
    const parts = path.split(/(?<!\\)\./).map(part => part.replace(/\\\./g, '.'));
    let current = this.overrides;
    while (parts.length > 1) {
      const key = parts.shift()!;
      if (!isObject(current[key])) current[key] = {};
      current = current[key];
    }
    current[parts[0]] = value;
  }

  /** The repository policy as the template renders it: the property, then the overrides merged as aws-cdk-lib merges them. */
  public renderedPolicyText(): unknown {
    const stack = Stack.of(this);
    const resource = { Properties: { RepositoryPolicyText: stack.resolve(this.repositoryPolicyText) } };
    const merged = deepMerge(resource, this.overrides, value => stack.resolve(value));
    return isObject(merged.Properties) ? merged.Properties.RepositoryPolicyText : undefined;
  }
}

/**
 * aws-cdk-lib's merge of raw overrides into a rendered resource: objects recursively, `undefined` deletes, any
 * other value (a token too) replaces, resolved.
 */
function deepMerge(target: Record<string, any>, source: Record<string, any>, resolve: (value: unknown) => unknown): Record<string, any> {
  for (const [key, value] of Object.entries(source)) {
    if (isObject(value) && !Token.isUnresolved(value)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      deepMerge(target[key], value, resolve);
      if (typeof target[key] === 'object' && Object.keys(target[key]).length === 0) delete target[key];
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = resolve(value);
    }
  }
  return target;
}
