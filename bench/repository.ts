// The synthetic repository both benchmarks read: a deterministic mix of prod, staging, feature, PR, release and
// untagged images, some archived, some multi-arch (an index and two platform images), some signed (a signature
// whose subject is the image), with sizes; and a policy of 10 rules that exercises every count type; and the
// references of the workloads that use some of the images.
import { ImageDetail, ImageStorageClass } from '../src/lifecycle/image';
import { InUseReference } from '../src/lifecycle/in-use-references';
import { PolicyDocumentJson } from '../src/lifecycle/private/policy-document';

export const NOW = new Date('2026-06-01T00:00:00Z');
const DAY_MS = 86_400_000;
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

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

export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const REPOSITORY_NAME = 'my-app';

const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;

/** `count` images; every 50th is an index followed by its two platform images, every 20th image has a signature. */
export function repository(count: number): ImageDetail[] {
  const next = random(42);
  const kinds = ['prod', 'staging', 'feature', 'pr', 'release', 'dev'];
  const images: ImageDetail[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const pushedAt = new Date(NOW.getTime() - Math.floor(next() * 400 * DAY_MS));
    const r = next();
    const tags = r < 0.2 ? [] : [`${kinds[Math.floor(next() * kinds.length)]}-${i}`, ...(r > 0.9 ? [`sha-${i.toString(16)}`] : [])];
    const archived = next() < 0.05;
    const sizeInBytes = Math.floor(next() * 500 * 2 ** 20);
    const base: ImageDetail = {
      digest: digest(i),
      tags,
      pushedAt,
      lastPulledAt: next() < 0.5 ? new Date(pushedAt.getTime() + Math.floor(next() * 30 * DAY_MS)) : undefined,
      storageClass: archived ? ImageStorageClass.ARCHIVE : ImageStorageClass.STANDARD,
      lastArchivedAt: archived ? new Date(NOW.getTime() - Math.floor(next() * 300 * DAY_MS)) : undefined,
      sizeInBytes,
      manifestMediaType: OCI_MANIFEST,
      repositoryName: REPOSITORY_NAME,
      registryId: '123456789012',
    };
    if (i % 50 === 0 && i + 2 < count) {
      images[i] = { ...base, sizeInBytes: 1024, manifestMediaType: OCI_INDEX, manifestDigests: [digest(i + 1), digest(i + 2)] };
      images[i + 1] = { ...base, digest: digest(i + 1), tags: [] };
      images[i + 2] = { ...base, digest: digest(i + 2), tags: [] };
      i += 2;
    } else if (i % 20 === 19) {
      images[i] = { ...base, tags: [], sizeInBytes: 4096, subjectDigest: digest(i - 1) };
    } else {
      images[i] = base;
    }
  }
  return images;
}

/**
 * `count` references of workloads to `images`, deterministic: 60% by digest, 30% by tag (of tagged images), 5% to
 * other repositories, 5% to digests the repository lacks; every reference names its ECS task.
 */
export function inUseReferences(images: readonly ImageDetail[], count: number): InUseReference[] {
  const next = random(7);
  const references: InUseReference[] = new Array(count);
  for (let r = 0; r < count; r++) {
    const source = `ecs task prod/${r.toString(16).padStart(32, '0')} (web)`;
    const image = images[Math.floor(next() * images.length)];
    const kind = next();
    let reference: string;
    if (kind < 0.6 || (kind < 0.9 && image.tags!.length === 0)) reference = `${REGISTRY}/${REPOSITORY_NAME}@${image.digest}`;
    else if (kind < 0.9) reference = `${REGISTRY}/${REPOSITORY_NAME}:${image.tags![0]}`;
    else if (kind < 0.95) reference = `${REGISTRY}/other-app@${image.digest}`;
    else reference = `${REGISTRY}/${REPOSITORY_NAME}@${digest(images.length + r)}`;
    references[r] = { image: reference, source };
  }
  return references;
}

export const POLICY: PolicyDocumentJson = {
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
