// EcrReplication: the registry-wide replication configuration (cross-region and cross-account destinations,
// repository-prefix filters), rendered as AWS::ECR::ReplicationConfiguration. One per account and region.
import { aws_ecr as ecr, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EcrRepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor, RepositoryCreationTemplateOptions } from './repository-creation-template';
import { isBadAccount, isBadRegion, REPLICATION_PREFIX } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import { checkProps, implementing, listOf, required, Schema, string, struct } from '../private/prop-types';
import { claimOncePerStack } from '../private/singleton';

/**
 * Where images are replicated to: a region, in this account or another.
 */
export interface ReplicationDestination {
  /** The destination region, e.g. `eu-west-1`. */
  readonly region: string;

  /**
   * The destination account id (12 digits). For another account, that account's registry policy must allow
   * `ecr:CreateRepository` and `ecr:ReplicateImage` for this account.
   *
   * @default - this stack's account
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-create-replication.html
   */
  readonly account?: string;
}

/**
 * One replication rule: which repositories go to which destinations.
 */
export interface EcrReplicationRule {
  /** Where the matched repositories are replicated to (at least one). */
  readonly destinations: ReplicationDestination[];

  /**
   * Repository name prefixes (`PREFIX_MATCH` filters): only repositories whose name starts with one of them are
   * replicated. At most 100.
   *
   * @default - every repository
   */
  readonly repositoryPrefixes?: string[];
}

/**
 * Properties of an `EcrReplication`.
 */
export interface EcrReplicationProps {
  /**
   * The replication rules, at most 10, with at most 25 distinct destinations across all of them.
   */
  readonly rules: EcrReplicationRule[];
}

/**
 * The repository creation template of replicated repositories, in a destination registry.
 */
export interface ReplicationTemplateOptions extends RepositoryCreationTemplateOptions {
  /**
   * Where the template goes: a construct (e.g. the stack) of a destination's account and region. A template is
   * read by the registry that creates the repository, so it is created there, not in this construct's stack.
   */
  readonly destination: Construct;

  /**
   * The repository name prefix the template applies to: `prod` applies to `prod/...`.
   *
   * @default 'ROOT' (every replicated repository that no other template matches)
   */
  readonly prefix?: string;
}

const DESTINATION = struct('a ReplicationDestination', {
  region: required(string, "the destination region, e.g. 'eu-west-1'"),
  account: string,
});
const RULE = struct('an EcrReplicationRule', {
  destinations: required(listOf(DESTINATION), "where to replicate, e.g. [{ region: 'eu-west-1' }]"),
  repositoryPrefixes: listOf(string),
});
const PROPS_TYPES: Schema = {
  rules: required(listOf(RULE), "the replication rules, e.g. [{ destinations: [{ region: 'eu-west-1' }] }]"),
};

/** ECR limits. @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html */
const MAX_RULES = 10;
const MAX_FILTERS = 100;
const MAX_DESTINATIONS = 25;
const MIN_PREFIX_LENGTH = 2;
const MAX_PREFIX_LENGTH = 256;

/**
 * The replication configuration of the whole private registry (account and region): images pushed to matching
 * repositories are copied to other regions and accounts.
 *
 * The replication configuration is an account/region singleton: deploy exactly one, in one stack per account and
 * region. A second `EcrReplication` in the same stack is an error; two stacks that both deploy one to the same
 * account and region overwrite each other, which this construct cannot see. Repository policies and lifecycle
 * policies are not replicated; replicated repositories are created with the destination's repository creation
 * template or ECR's defaults.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 */
export class EcrReplication extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnReplicationConfiguration;

  private readonly destinations: Array<{ readonly region: string; readonly account: string }>;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the replication rules.
   */
  public constructor(scope: Construct, id: string, props: EcrReplicationProps) {
    super(scope, id);
    props = checkProps(this, 'EcrReplication', props, PROPS_TYPES);
    const stack = Stack.of(this);
    throwIfProblems(`${this.node.path}: invalid EcrReplication props`, checkRules(props.rules, stack));
    claimOncePerStack(this, 'EcrReplication', first =>
      `only one EcrReplication is allowed per stack, and '${first}' already is one. `
      + 'The replication configuration is one per account and region: put all its rules in one EcrReplication.');

    this.resource = new ecr.CfnReplicationConfiguration(this, 'Resource', {
      replicationConfiguration: {
        rules: props.rules.map(rule => ({
          destinations: rule.destinations.map(d => ({ region: d.region, registryId: d.account ?? stack.account })),
          repositoryFilters: rule.repositoryPrefixes?.map(filter => ({ filter, filterType: 'PREFIX_MATCH' })),
        })),
      },
    });
    this.destinations = props.rules.flatMap(rule => rule.destinations.map(d => ({ region: d.region, account: d.account ?? stack.account })));
  }

  /**
   * Create the repository creation template of the replicated repositories (applied for `REPLICATION`) in a
   * destination registry, as the child `id` of `options.destination`: a template is read where ECR creates the
   * repository, so it goes into a stack of a destination's account and region, not this one's.
   *
   * @param id the construct id of the template.
   * @param options the destination, the prefix and the settings of the replicated repositories.
   * @throws if the destination's stack is not a replication destination (when both are known at synthesis).
   */
  public addRepositoryCreationTemplate(id: string, options: ReplicationTemplateOptions): EcrRepositoryCreationTemplate {
    const { destination, ...settings } = checkProps(this, 'addRepositoryCreationTemplate', options, {
      destination: required(implementing('Construct', { node: 'object' }, 'pass a construct (e.g. the Stack) of a destination account and region'),
        'a construct (e.g. the Stack) of a destination account and region'),
    }, 'options');
    const target = Stack.of(destination);
    const known = !Token.isUnresolved(target.region) && !Token.isUnresolved(target.account);
    const isDestination = this.destinations.some(d => d.region === target.region && d.account === target.account);
    if (known && !isDestination) {
      throw new Error(`${this.node.path}: the stack '${target.stackName}' (${target.account}, ${target.region}) is not a replication `
        + 'destination; create the template in a stack of a destination account and region, where ECR creates the replicated repositories');
    }
    return new EcrRepositoryCreationTemplate(destination, id, {
      ...settings,
      prefix: settings.prefix ?? 'ROOT',
      appliedFor: [RepositoryCreationTemplateAppliedFor.REPLICATION],
    });
  }
}

function checkRules(rules: EcrReplicationRule[], stack: Stack): string[] {
  const problems: string[] = [];
  if (rules.length === 0) {
    problems.push('rules: give at least one rule; to stop replicating, remove the EcrReplication instead');
  }
  if (rules.length > MAX_RULES) {
    problems.push(`rules: at most ${MAX_RULES} rules per replication configuration (an ECR limit), got ${rules.length}`);
  }
  const distinct = new Set<string>();
  rules.forEach((rule, i) => {
    const destinations = rule.destinations;
    if (destinations.length === 0) {
      problems.push(`rules[${i}].destinations: give at least one destination, got []`);
    }
    const inRule = new Set<string>();
    destinations.forEach((d, j) => {
      const at = `rules[${i}].destinations[${j}]`;
      if (isBadRegion(d.region)) {
        problems.push(`${at}.region: '${d.region}' does not look like an AWS region; use a region name such as 'eu-west-1'`);
      }
      if (d.account !== undefined && isBadAccount(d.account)) {
        problems.push(`${at}.account: '${d.account}' is not an AWS account id; use the 12 digits, e.g. '123456789012'`);
      }
      const account = d.account ?? stack.account;
      if (!Token.isUnresolved(account) && !Token.isUnresolved(stack.region) && account === stack.account && d.region === stack.region) {
        problems.push(`${at}: '${d.region}' in account '${account}' is this stack's own registry; replicate to another region or account`);
      }
      const key = `${account}/${d.region}`;
      if (inRule.has(key)) {
        problems.push(`${at}: '${d.region}' in ${d.account === undefined ? 'this account' : `account '${d.account}'`} is listed twice in this rule; `
          + 'list each destination once');
      }
      inRule.add(key);
      distinct.add(key);
    });
    const prefixes = rule.repositoryPrefixes ?? [];
    if (rule.repositoryPrefixes !== undefined && prefixes.length === 0) {
      problems.push(`rules[${i}].repositoryPrefixes: give at least one prefix, or leave repositoryPrefixes out to replicate every repository`);
    }
    if (prefixes.length > MAX_FILTERS) {
      problems.push(`rules[${i}].repositoryPrefixes: at most ${MAX_FILTERS} prefixes per rule (an ECR limit), got ${prefixes.length}`);
    }
    prefixes.forEach((prefix, j) => {
      if (Token.isUnresolved(prefix)) {
        return;
      }
      if (prefix.length < MIN_PREFIX_LENGTH || prefix.length > MAX_PREFIX_LENGTH || !REPLICATION_PREFIX.test(prefix)) {
        problems.push(`rules[${i}].repositoryPrefixes[${j}]: '${prefix}' is not a repository name prefix; use ${MIN_PREFIX_LENGTH} to `
          + `${MAX_PREFIX_LENGTH} lower-case letters, digits, '.', '_', '-' and '/' (e.g. 'prod/' or 'team-a')`);
      }
    });
  });
  if (distinct.size > MAX_DESTINATIONS) {
    problems.push(`rules: at most ${MAX_DESTINATIONS} distinct destinations across all rules (an ECR limit), got ${distinct.size}`);
  }
  return problems;
}
