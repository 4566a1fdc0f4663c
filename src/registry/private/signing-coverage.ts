// Which EcrManagedSigning signs the images of a repository: the signing configuration of the app's account and
// region whose repository filters match the repository's name. Read at synth, from what each signing
// configuration's template finally says, so filters changed after construction count.
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SigningRepositoryFilter.html

import { aws_ecr as ecr, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as tagMatcher from '../../lifecycle/private/tag-matcher';
import { isObject } from '../../private/text';

/** The signing configurations of each app, by the app's root construct. */
const SIGNINGS = new WeakMap<IConstruct, ecr.CfnSigningConfiguration[]>();

/** Records a signing configuration, so that the repositories of its app can find it. */
export function register(signingConfiguration: ecr.CfnSigningConfiguration): void {
  const root = signingConfiguration.node.root;
  const signings = SIGNINGS.get(root) ?? [];
  SIGNINGS.set(root, signings);
  signings.push(signingConfiguration);
}

/**
 * The signing configuration that signs the images pushed to `repository`, or `undefined`.
 *
 * A configuration of another account or region (both known) signs nothing here. A repository whose name is
 * only known at deploy time is covered by a filter of `*` only.
 *
 * @param repositoryName the repository's name, as its template says it (maybe a token, maybe absent)
 */
export function signingOf(repository: IConstruct, repositoryName: unknown): ecr.CfnSigningConfiguration | undefined {
  const stack = Stack.of(repository);
  const name = typeof repositoryName === 'string' && !Token.isUnresolved(repositoryName) ? repositoryName : undefined;
  return (SIGNINGS.get(repository.node.root) ?? []).find(signing => sameEnvironment(stack, Stack.of(signing))
    && filtersOf(signing).some(filter => name === undefined ? /^\*+$/.test(filter) : tagMatcher.matchPattern(filter)(name)));
}

function sameEnvironment(a: Stack, b: Stack): boolean {
  const differ = (x: string, y: string) => !Token.isUnresolved(x) && !Token.isUnresolved(y) && x !== y;
  return !differ(a.account, b.account) && !differ(a.region, b.region);
}

/** The WILDCARD_MATCH filters of the configuration, as its template finally says them. */
function filtersOf(signing: ecr.CfnSigningConfiguration): string[] {
  const rules: unknown = Stack.of(signing).resolve(signing.rules);
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((rule: unknown) => {
    const filters = isObject(rule) ? rule.repositoryFilters : undefined;
    return Array.isArray(filters) ? filters : [];
  }).flatMap((filter: unknown) => isObject(filter) && typeof filter.filter === 'string' && !Token.isUnresolved(filter.filter) ? [filter.filter] : []);
}
