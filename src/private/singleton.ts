// The one-per-stack guard of the registry constructs: a second registry-wide resource of the same kind in a
// stack would overwrite or collide with the first at deploy time, so it is refused at synth.
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The first construct of each singleton kind in each stack. */
const SINGLETONS = new WeakMap<Stack, Map<string, string>>();

/**
 * Claims `key` for `construct` in its stack, or throws naming the construct that claimed it first.
 *
 * The registry scanning and replication configurations exist once per account and region, and a pull through
 * cache rule once per repository prefix.
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

/** How many constructs of each counted kind each stack holds. */
const COUNTS = new WeakMap<Stack, Map<string, number>>();

/** Counts one more construct of `kind` in its stack and returns the new count (for per-account quotas). */
export function countInStack(construct: Construct, kind: string): number {
  const stack = Stack.of(construct);
  const counts = COUNTS.get(stack) ?? new Map<string, number>();
  COUNTS.set(stack, counts);
  const count = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, count);
  return count;
}
