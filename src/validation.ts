// Private helpers shared by the constructs: AWS id checks, the one error that lists every problem, and the
// one-per-stack guard. Nothing here is exported from the package (jsii allows no free functions in the public API).
import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What an AWS region name looks like: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
const REGION = /^[a-z]{2,4}(-(gov|iso|isob|isoe|isof))?-[a-z]+-\d{1,2}$/;

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** True when the value is a literal (not a token) that does not look like an AWS region. */
export function isBadRegion(value: string): boolean {
  return !Token.isUnresolved(value) && !REGION.test(value);
}

/** True when the value is a literal (not a token) that is not a 12-digit AWS account id. */
export function isBadAccount(value: string): boolean {
  return !Token.isUnresolved(value) && !ACCOUNT_ID.test(value);
}

/** Throws one error, `heading:` then every problem on a line of its own, when there is any problem. */
export function throwIfProblems(heading: string, problems: string[]): void {
  if (problems.length > 0) {
    throw new Error(`${heading}:\n${problems.map(p => `  - ${p}`).join('\n')}`);
  }
}

/** The first construct of each singleton kind in each stack. */
const SINGLETONS = new WeakMap<Stack, Map<string, string>>();

/**
 * Claims `key` for `construct` in its stack, or throws naming the construct that claimed it first.
 *
 * The registry scanning and replication configurations exist once per account and region, and a pull through
 * cache rule once per repository prefix: a second resource in the same stack would overwrite or collide with the
 * first at deploy time, so we refuse it at synth.
 */
export function claimOncePerStack(construct: Construct, key: string, problem: (first: string) => string): void {
  const stack = Stack.of(construct);
  const claimed = SINGLETONS.get(stack) ?? new Map<string, string>();
  SINGLETONS.set(stack, claimed);
  const first = claimed.get(key);
  if (first !== undefined) {
    throw new Error(`${construct.node.path}: ${problem(first)}`);
  }
  claimed.set(key, construct.node.path);
}
