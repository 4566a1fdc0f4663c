// EcrRegistryPolicy: the private registry's permissions policy (who may replicate into this registry, who may
// create pull through cache repositories), built from least-privilege helpers, as AWS::ECR::RegistryPolicy.
// One per account and region.
import { Annotations, aws_ecr as ecr, aws_iam as iam, Lazy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ACCOUNT_ID, isBadAccount, isBadCachePrefix, repositoriesUnder, REPOSITORY_ARN } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import * as finalTemplate from '../private/final-template';
import * as principalChecks from '../private/principal-checks';
import { claimOncePerStack } from '../private/singleton';
import { isObject } from '../private/text';
import { setsScopeV2 } from './private/policy-scope';

/**
 * The only actions ECR enforces in a registry policy; any other action is an error at deployment.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
const REGISTRY_ACTIONS = ['ecr:ReplicateImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'];
/** What a source registry needs to replicate into this one, creating the repositories as needed. */
const REPLICATION_ACTIONS = ['ecr:CreateRepository', 'ecr:ReplicateImage'];
/** What a principal of this account needs to create and fill pull through cache repositories. */
const PULL_THROUGH_CACHE_ACTIONS = ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'];
/** The actions whose registry-level grants the V2 registry policy scope is meant for. */
const SCOPE_V2_ACTIONS = new Set(PULL_THROUGH_CACHE_ACTIONS.map(a => a.toLowerCase()));

/**
 * The permissions policy of the whole private registry (account and region): which other accounts may
 * replicate into it, and which principals of this account may create pull through cache repositories.
 *
 * Add statements with `allowReplicationFrom`, `allowPullThroughCache` or `addToPolicy`; each is checked at the
 * call, and the whole policy again at synthesis on the final template (after overrides, Aspects and later
 * changes to a statement): only the three registry actions, a `Resource` of this registry's repositories, and never
 * `Principal: "*"`, whatever its condition (every registry action writes). The registry policy is an
 * account/region singleton: a second `EcrRegistryPolicy` in the same stack is an error.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export class EcrRegistryPolicy extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnRegistryPolicy;

  private readonly document = new iam.PolicyDocument();
  private readonly stack: Stack;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   */
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.stack = Stack.of(this);
    claimOncePerStack(this, 'EcrRegistryPolicy', first =>
      `only one EcrRegistryPolicy is allowed per stack, and '${first}' already is one. `
      + 'The registry policy is one per account and region: add every statement to one EcrRegistryPolicy.');
    this.resource = new ecr.CfnRegistryPolicy(this, 'Resource', {
      policyText: Lazy.any({ produce: () => this.document.toJSON() }),
    });
    const written = this.resource.policyText;
    this.node.addValidation({
      validate: () => this.document.isEmpty
        ? ['the registry policy has no statement; call allowReplicationFrom, allowPullThroughCache or addToPolicy, or remove it']
        : [],
    });
    // The same checks on what the template finally says: after overrides, L1 setters, Aspects and statements
    // changed after addToPolicy (st.addAnyPrincipal()); the scope warning from the same final statements.
    this.node.addValidation({
      validate: () => {
        if (this.document.isEmpty) {
          return [];
        }
        const { properties } = finalTemplate.rendered(this.resource);
        const why = finalTemplate.changedBy(this.resource, 'PolicyText', this.resource.policyText, written, properties.PolicyText);
        const problems = finalPolicyProblems(this, properties.PolicyText).map(problem => `${problem} [${why}]`);
        if (problems.length === 0) {
          this.warnWithoutScopeV2(finalTemplate.policyDocument(properties.PolicyText).document);
        }
        return problems;
      },
    });
  }

  private warnWithoutScopeV2(document: unknown): void {
    const actions = principalChecks.statementsOf(document)
      .flatMap(s => [(s as { Action?: unknown }).Action ?? []].flat())
      .filter((a): a is string => typeof a === 'string' && SCOPE_V2_ACTIONS.has(a.toLowerCase()));
    if (actions.length > 0 && !setsScopeV2(this)) {
      Annotations.of(this).addWarningV2('cdk-secure-ecr:registryPolicyScope', `the registry policy grants ${[...new Set(actions)].join(', ')}, `
        + 'and this app does not set the account setting REGISTRY_POLICY_SCOPE to V2 for this account and region. AWS recommends V2 (the '
        + 'default of new registries), under which ECR applies the registry policy to every ECR request; a registry still on V1 applies it '
        + 'only to ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository. Add new EcrAccountSettings(this, \'Settings\', { registryPolicyScope: '
        + 'RegistryPolicyScope.V2 }), or acknowledge this warning if the account is already on V2.');
    }
  }

  /**
   * Let other accounts (the source registries of cross-account replication) replicate images into every
   * repository of this registry, creating the repositories that do not exist yet (`ecr:CreateRepository`,
   * `ecr:ReplicateImage`).
   *
   * @param accounts the 12-digit ids of the source accounts.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-create-replication.html
   */
  public allowReplicationFrom(accounts: string[]): void {
    const problems: string[] = accounts.length === 0 ? ['accounts: give at least one source account'] : [];
    accounts.forEach((account, i) => {
      if (isBadAccount(account)) {
        problems.push(`accounts[${i}]: '${account}' is not a 12-digit AWS account id, e.g. '123456789012'`);
      }
    });
    throwIfProblems(`${this.node.path}: invalid allowReplicationFrom`, problems);
    this.addToPolicy(new iam.PolicyStatement({
      sid: `ReplicationFromAccounts${this.document.statementCount}`,
      actions: REPLICATION_ACTIONS,
      principals: accounts.map(account => new iam.AccountPrincipal(account)),
      resources: [this.repositoryArns('*')],
    }));
  }

  /**
   * Let principals of this account create the repositories of a pull through cache rule and import upstream
   * images into them (`ecr:CreateRepository`, `ecr:BatchImportUpstreamImage` on `<prefix>/*`).
   *
   * @param repositoryPrefix the pull through cache rule's prefix (`EcrPullThroughCache.repositoryPrefix`), or `ROOT`:
   * 2 to 30 lower-case letters, digits, `.`, `_`, `-` and `/`, as ECR takes it.
   * @param principals the roles or users that pull through the cache, of this account.
   * @throws for a prefix ECR would refuse (`*`, `/`, an empty one) or a principal of another account.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-create-pullthroughcache.html
   */
  public allowPullThroughCache(repositoryPrefix: string, principals: iam.IPrincipal[]): void {
    const problems = principals.length === 0 ? ['principals: give at least one role or user that pulls through the cache'] : [];
    if (isBadCachePrefix(repositoryPrefix)) {
      problems.push(`repositoryPrefix: '${repositoryPrefix}' is not a pull through cache prefix; use the rule's prefix (EcrPullThroughCache.repositoryPrefix): `
        + "2 to 30 lower-case letters, digits, '.', '_', '-' and '/' (e.g. 'docker-hub'), or 'ROOT'");
    }
    principals.forEach((principal, i) => {
      const account = principal.principalAccount;
      if (account !== undefined && Token.compareStrings(account, this.stack.account) === TokenComparison.DIFFERENT) {
        problems.push(`principals[${i}]: '${account}' is another account than this registry's (${this.stack.account}); `
          + 'only principals of this account can pull through its cache');
      }
    });
    throwIfProblems(`${this.node.path}: invalid allowPullThroughCache`, problems);
    const names = repositoriesUnder(repositoryPrefix);
    this.addToPolicy(new iam.PolicyStatement({
      sid: `PullThroughCache${this.document.statementCount}`,
      actions: PULL_THROUGH_CACHE_ACTIONS,
      principals,
      resources: [this.repositoryArns(names)],
    }));
  }

  /**
   * Add a statement to the registry policy, after the checks the helpers' statements pass.
   *
   * The checks run again at synthesis on the final template (after overrides, Aspects and later changes to the
   * statement).
   *
   * @param statement the statement: registry actions only, on this registry's repositories.
   * @throws if the statement has another action, no `Resource`, or `Principal: "*"` (whatever its condition).
   */
  public addToPolicy(statement: iam.PolicyStatement): void {
    const json = this.stack.resolve(statement.toStatementJson());
    const name = json.Sid ? `'${json.Sid}'` : 'the statement';
    throwIfProblems(`${this.node.path}: invalid registry policy statement`, statementProblems(this.stack, json, name).problems);
    this.document.addStatements(statement);
  }

  private repositoryArns(names: string): string {
    return this.stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: names });
  }
}

/** The actions of a pull through cache statement: its principals must be of this account. */
const PULL_THROUGH_CACHE_ACTION = 'ecr:BatchImportUpstreamImage';


/**
 * Every problem of a rendered registry policy (see `statementProblems`), each prefixed with the statement; what
 * could not be checked is reported on `scope` as a warning.
 */
function finalPolicyProblems(scope: Construct, policyText: unknown): string[] {
  const stack = Stack.of(scope);
  const parsed = finalTemplate.policyDocument(policyText);
  if (parsed.problem !== undefined) {
    return [`registry policy: ${parsed.problem}`];
  }
  // The principal rules, with their warnings for what could not be read ...
  const problems = finalTemplate.policyProblems(scope, parsed.document, 'registry policy', { namedWriters: 'allowReplicationFrom' });
  // ... and the registry's own rules.
  principalChecks.statementsOf(parsed.document).forEach((statement, i) => {
    const name = `registry policy statement ${principalChecks.statementName(statement, i)}`;
    const check = statementProblems(stack, statement, name, false);
    problems.push(...check.problems);
    if (check.unchecked.length > 0) {
      Annotations.of(scope).addWarningV2('cdk-secure-ecr:uncheckedResource', `${name}: the library cannot read the Resource ${check.unchecked.join(', ')} `
        + '(a parameter, an import or Fn::If is only known at deployment), so it could not check which repositories it opens: make sure they are '
        + "this registry's, never '*', or acknowledge this warning.");
    }
  });
  return problems;
}

/**
 * Every problem of one rendered registry policy statement: actions other than the three registry actions, no
 * `Resource` or one that is not a repository ARN of this account, principals of another account pulling through
 * the cache, and (with `principals`) the principal rules of `principal-checks.ts`. `unchecked` lists the
 * resources it cannot read.
 */
function statementProblems(stack: Stack, statement: unknown, name: string, principals: boolean = true): principalChecks.StatementCheck {
  const json = isObject(statement) ? statement : {};
  const problems: string[] = [];
  const actions = [json.Action ?? []].flat().flatMap(a => principalChecks.candidates(a));
  const others = actions.filter(action => !REGISTRY_ACTIONS.includes(action));
  if (others.length > 0 || actions.length === 0 || json.NotAction !== undefined) {
    problems.push(`${name} has the actions [${others.map(principalChecks.shown).join(', ')}]${json.NotAction === undefined ? '' : ' and NotAction'}; `
      + `a registry policy takes only ${REGISTRY_ACTIONS.join(', ')}, in Action`);
  }
  const resources = [json.Resource ?? []].flat().flatMap(r => principalChecks.candidates(r));
  if (resources.length === 0 || json.NotResource !== undefined) {
    problems.push(`${name} has no Resource; name this registry's repositories, e.g. arn:aws:ecr:<region>:<account>:repository/*`);
  }
  const unchecked = json.Effect === 'Deny' ? [] : resources.filter(r => r.includes(principalChecks.TOKEN)).map(r => `'${principalChecks.shown(r)}'`);
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  for (const resource of resources.filter(r => !r.includes(principalChecks.TOKEN))) {
    const owner = REPOSITORY_ARN.exec(resource)?.[1];
    if (owner === undefined) {
      problems.push(`${name} has the Resource '${principalChecks.shown(resource)}', which is not an ECR repository ARN such as arn:aws:ecr:<region>:<account>:repository/*`);
    } else if (account !== undefined && ACCOUNT_ID.test(owner) && owner !== account) {
      problems.push(`${name} has the Resource '${principalChecks.shown(resource)}' of the account ${owner}; a registry policy applies to this registry's repositories (${account})`);
    }
  }
  if (account !== undefined && json.Effect !== 'Deny' && actions.includes(PULL_THROUGH_CACHE_ACTION)) {
    principalChecks.principalsOutside(json, account).forEach(p =>
      problems.push(`${name}: principal '${p}' is of another account than this registry's (${account}); only principals of this account can pull through its cache`));
  }
  if (principals) {
    // The repository policy's principal rules, with no public actions: a registry policy never lets in anyone.
    problems.push(...principalChecks.statementProblems(json, { namedWriters: 'allowReplicationFrom' }).map(problem => `${name}: ${problem}`));
  }
  return { problems, unchecked };
}
