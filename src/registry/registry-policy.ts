// EcrRegistryPolicy: the private registry's permissions policy (who may replicate into this registry, who may
// create pull through cache repositories), built from least-privilege helpers, as AWS::ECR::RegistryPolicy.
// One per account and region.
import { aws_ecr as ecr, aws_iam as iam, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isBadAccount, repositoriesUnder } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import * as principalChecks from '../private/principal-checks';
import { claimOncePerStack } from '../private/singleton';

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

/**
 * The permissions policy of the whole private registry (account and region): which other accounts may
 * replicate into it, and which principals of this account may create pull through cache repositories.
 *
 * Add statements with `allowReplicationFrom`, `allowPullThroughCache` or `addToPolicy`; each is checked at the
 * call: only the three registry actions, a `Resource` of this registry's repositories, and never
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
    this.node.addValidation({
      validate: () => this.document.isEmpty
        ? ['the registry policy has no statement; call allowReplicationFrom, allowPullThroughCache or addToPolicy, or remove it']
        : [],
    });
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
   * @param repositoryPrefix the pull through cache rule's prefix (`EcrPullThroughCache.repositoryPrefix`), or `ROOT`.
   * @param principals the roles or users that pull through the cache.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-create-pullthroughcache.html
   */
  public allowPullThroughCache(repositoryPrefix: string, principals: iam.IPrincipal[]): void {
    throwIfProblems(`${this.node.path}: invalid allowPullThroughCache`,
      principals.length === 0 ? ['principals: give at least one role or user that pulls through the cache'] : []);
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
   * @param statement the statement: registry actions only, on this registry's repositories.
   * @throws if the statement has another action, no `Resource`, or `Principal: "*"` (whatever its condition).
   */
  public addToPolicy(statement: iam.PolicyStatement): void {
    throwIfProblems(`${this.node.path}: invalid registry policy statement`, this.statementProblems(statement));
    this.document.addStatements(statement);
  }

  private repositoryArns(names: string): string {
    return this.stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: names });
  }

  private statementProblems(statement: iam.PolicyStatement): string[] {
    const json = statement.toStatementJson();
    const name = json.Sid ? `'${json.Sid}'` : 'the statement';
    const problems: string[] = [];
    const actions: string[] = [json.Action ?? []].flat();
    const others = actions.filter(action => !REGISTRY_ACTIONS.includes(action));
    if (others.length > 0 || actions.length === 0) {
      problems.push(`${name} has the actions [${others.join(', ')}]; a registry policy takes only ${REGISTRY_ACTIONS.join(', ')}`);
    }
    const resources: string[] = [json.Resource ?? []].flat();
    if (resources.length === 0) {
      problems.push(`${name} has no Resource; name this registry's repositories, e.g. arn:aws:ecr:<region>:<account>:repository/*`);
    }
    resources.filter(r => !Token.isUnresolved(r) && !/^arn:[a-z-]+:ecr:[a-z0-9-]+:\d{12}:repository\/.+$/.test(r)).forEach(r =>
      problems.push(`${name} has the Resource '${r}', which is not an ECR repository ARN such as arn:aws:ecr:<region>:<account>:repository/*`));
    // The repository policy's principal rules, with no public actions: a registry policy never lets in anyone.
    const principalProblems = principalChecks.statementProblems(this.stack.resolve(json), { namedWriters: 'allowReplicationFrom' });
    problems.push(...principalProblems.map(problem => `${name}: ${problem}`));
    return problems;
  }
}
