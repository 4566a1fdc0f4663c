// `npm run bench`: how long a lifecycle policy preview of 1,000,000 images against 10 rules takes,
// against the time to sort the same images by push time once. The engine sorts once and then makes one
// linear pass per rule, then linear passes for linked images (indexes, referrers), so the ratio should stay small
// (goal: <= 3). Then the same with 100,000 in-use references (BENCH_IN_USE), which add one pass over the images
// and Maps of the referenced digests and tags only: the goal holds with them too.
// The repository is bench/repository.ts. Prints figures; not a timed test.
import { inUseReferences, NOW, POLICY, repository } from './repository';
import * as simulator from '../src/lifecycle/private/simulator';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IN_USE = Number(process.env.BENCH_IN_USE ?? 100_000);

function time<T>(run: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const images = repository(IMAGES);
const inUse = inUseReferences(images, IN_USE);
const sortTimes: number[] = [];
const previewTimes: number[] = [];
const inUseTimes: number[] = [];
let last = { expired: 0, transitioned: 0, kept: 0 };
let atRisk = { inUseAtRisk: 0, inUseMissing: 0, inUseOtherRepositories: 0 };
for (let run = 0; run < RUNS; run++) {
  // The baseline: sort the same images once by push time, newest first, ties by digest.
  sortTimes.push(time(() => [...images].sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime() || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0))).ms);
  const preview = time(() => simulator.preview(POLICY, images, { now: NOW }));
  previewTimes.push(preview.ms);
  last = { expired: preview.value.expired.length, transitioned: preview.value.transitioned.length, kept: preview.value.kept.length };
  const withInUse = time(() => simulator.preview(POLICY, images, { now: NOW, inUse }));
  inUseTimes.push(withInUse.ms);
  const v = withInUse.value;
  atRisk = { inUseAtRisk: v.inUseAtRisk.length, inUseMissing: v.inUseMissing.length, inUseOtherRepositories: v.inUseOtherRepositories };
}
const sortMs = median(sortTimes);
const previewMs = median(previewTimes);
console.log(`images: ${IMAGES.toLocaleString('en-US')}, rules: ${POLICY.rules.length}, runs: ${RUNS} (medians)`);
console.log(`result: ${last.expired} expired, ${last.transitioned} transitioned, ${last.kept} kept`);
console.log(`sort by push time once: ${sortMs.toFixed(0)} ms`);
console.log(`preview:                ${previewMs.toFixed(0)} ms`);
console.log(`ratio preview / sort:   ${(previewMs / sortMs).toFixed(2)} (goal <= 3)`);
const inUseMs = median(inUseTimes);
console.log(`with ${IN_USE.toLocaleString('en-US')} in-use references: ${inUseMs.toFixed(0)} ms, ratio ${(inUseMs / sortMs).toFixed(2)} (goal <= 3); `
  + `${atRisk.inUseAtRisk} in use at risk, ${atRisk.inUseMissing} missing, ${atRisk.inUseOtherRepositories} to other repositories`);
