// `npm run bench`: how long a lifecycle policy preview of 1,000,000 images against 10 rules takes,
// against the time to sort the same images by push time once. The engine sorts once and then makes one
// linear pass per rule, so the ratio should stay small (goal: <= 3). Prints figures; not a timed test.
import { ImageDetail, ImageStorageClass } from '../src/lifecycle/image';
import { PolicyDocumentJson } from '../src/lifecycle/private/policy-document';
import * as simulator from '../src/lifecycle/private/simulator';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NOW = new Date('2026-06-01T00:00:00Z');
const DAY_MS = 86_400_000;

// A deterministic pseudo-random sequence (mulberry32), so every run measures the same repository.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function repository(count: number): ImageDetail[] {
  const next = random(42);
  const kinds = ['prod', 'staging', 'feature', 'pr', 'release', 'dev'];
  const images: ImageDetail[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const pushedAt = new Date(NOW.getTime() - Math.floor(next() * 400 * DAY_MS));
    const r = next();
    const tags = r < 0.2 ? [] : [`${kinds[Math.floor(next() * kinds.length)]}-${i}`, ...(r > 0.9 ? [`sha-${i.toString(16)}`] : [])];
    const archived = next() < 0.05;
    images[i] = {
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      tags,
      pushedAt,
      lastPulledAt: next() < 0.5 ? new Date(pushedAt.getTime() + Math.floor(next() * 30 * DAY_MS)) : undefined,
      storageClass: archived ? ImageStorageClass.ARCHIVE : ImageStorageClass.STANDARD,
      lastArchivedAt: archived ? new Date(NOW.getTime() - Math.floor(next() * 300 * DAY_MS)) : undefined,
    };
  }
  return images;
}

const POLICY: PolicyDocumentJson = {
  rules: [
    { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1000 }, action: { type: 'expire' } },
    { rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['release-*'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: 180 }, action: { type: 'transition', targetStorageClass: 'archive' } },
    { rulePriority: 3, selection: { tagStatus: 'tagged', tagPatternList: ['staging-*'], countType: 'imageCountMoreThan', countNumber: 500 }, action: { type: 'expire' } },
    { rulePriority: 4, selection: { tagStatus: 'tagged', tagPrefixList: ['feature-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, action: { type: 'expire' } },
    { rulePriority: 5, selection: { tagStatus: 'tagged', tagPatternList: ['pr-*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } },
    { rulePriority: 6, selection: { tagStatus: 'tagged', tagPatternList: ['*-*', 'sha-*'], countType: 'imageCountMoreThan', countNumber: 2000 }, action: { type: 'expire' } },
    { rulePriority: 7, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
    { rulePriority: 8, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50000 }, action: { type: 'expire' } },
    { rulePriority: 9, selection: { tagStatus: 'tagged', tagPrefixList: ['release-'], storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 180 }, action: { type: 'expire' } },
    { rulePriority: 10, selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }, action: { type: 'expire' } },
  ],
};

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
const sortTimes: number[] = [];
const previewTimes: number[] = [];
let last = { expired: 0, transitioned: 0, kept: 0 };
for (let run = 0; run < RUNS; run++) {
  // The baseline: sort the same images once by push time, newest first, ties by digest.
  sortTimes.push(time(() => [...images].sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime() || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0))).ms);
  const preview = time(() => simulator.preview(POLICY, images, { now: NOW }));
  previewTimes.push(preview.ms);
  last = { expired: preview.value.expired.length, transitioned: preview.value.transitioned.length, kept: preview.value.kept.length };
}
const sortMs = median(sortTimes);
const previewMs = median(previewTimes);
console.log(`images: ${IMAGES.toLocaleString('en-US')}, rules: ${POLICY.rules.length}, runs: ${RUNS} (medians)`);
console.log(`result: ${last.expired} expired, ${last.transitioned} transitioned, ${last.kept} kept`);
console.log(`sort by push time once: ${sortMs.toFixed(0)} ms`);
console.log(`preview:                ${previewMs.toFixed(0)} ms`);
console.log(`ratio preview / sort:   ${(previewMs / sortMs).toFixed(2)} (goal <= 3)`);
