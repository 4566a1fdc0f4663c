// The repository policy of an ECR Public repository: what a push needs, and the check of the policy that the
// template finally holds (after addToResourcePolicy, L1 setters, Aspects and escape-hatch overrides, read through
// private/final-template.ts). Anyone may
// pull a public image without any policy, so a public repository policy only ever names who may write: any `*`
// principal is refused, and every other principal goes through the rules of private/principal-checks.ts.
// @see https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-policies.html
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
  return principalChecks.statementsOf(document).flatMap((statement, i) => {
    const name = `${WHAT} statement ${principalChecks.statementName(statement, i)}`;
    if (!isObject(statement) || statement.Effect === 'Deny') return [];
    if (!lettingAnyoneIn(statement)) {
      return principalChecks.statementProblems(statement, { namedWriters: 'pushPrincipals' }).map(problem => `${name}: ${problem}`);
    }
    const problems = ["lets in every AWS account ('*'). Anyone can already pull a public image without a policy, so a public repository policy "
      + 'only names who may push: name the accounts or roles (pushPrincipals, grantPush)'];
    const others = withoutAnyone(statement.Principal);
    if (others !== undefined) {
      problems.push(...principalChecks.statementProblems({ ...statement, Principal: others }, { namedWriters: 'pushPrincipals' }));
    }
    return problems.map(problem => `${name}: ${problem}`);
  });
}

function lettingAnyoneIn(statement: Record<string, unknown>): boolean {
  const principal = statement.Principal;
  const aws = isObject(principal) ? [principal.AWS].flat() : [];
  return principal === '*' || aws.includes('*');
}

/** The principal without its `*` entries (reported once, by `policyProblems`), or `undefined` when nothing else is left. */
function withoutAnyone(principal: unknown): unknown {
  if (principal === '*') return undefined;
  if (!isObject(principal) || principal.AWS === undefined) return principal;
  const aws = [principal.AWS].flat().filter(value => value !== '*');
  const { AWS: _, ...rest } = principal;
  const others = aws.length > 0 ? { ...rest, AWS: aws } : rest;
  return Object.keys(others).length > 0 ? others : undefined;
}
