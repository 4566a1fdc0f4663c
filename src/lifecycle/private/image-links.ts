// What ECR does to images linked to other images, after the rules have chosen their actions:
// - "If an image is referenced by a manifest list, it cannot be expired or archived without the manifest list
//   being deleted or archived first." An image a kept index (in standard storage) references is kept. The links
//   are known only from the index's manifest (`manifestDigests`, from batch-get-image); describe-images gives
//   the media type that says an image is an index, not what it references. With an index whose manifests are
//   unknown, every other image the policy expires or archives gets a caveat instead.
// - "When reference artifacts are present in a repository, Amazon ECR lifecycle policies automatically expire
//   or archive those artifacts within 24 hours of the deletion or archival of the subject image." A signature,
//   SBOM or attestation (`subjectDigest`) is expired with an expired subject, and archived with an archived one
//   unless a rule expires it; referrers of referrers follow the chain.
// Order: index protection first, then referrers (so that a signature of a protected platform image stays too).
// ECR documents neither how the two interact for an index that is itself a referrer, nor whether a protected
// image still takes a place in `imageCountMoreThan` counts (here it does, as the rule saw it).
// Performance: nothing is done unless some image is an index or a referrer; then one Map of digests and
// linear passes.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html

import { ImageDetail, ImageStorageClass } from '../image';

export const KEEP = 0;
export const EXPIRE = 1;
export const TRANSITION = 2;
const NONE = -1;

/** The manifest media types of an image index (OCI) and a manifest list (Docker). */
const INDEX_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** How each image's action came about, beyond its own rule. */
export interface Links {
  /** The kept index that protects the image, or -1. */
  readonly protectedBy: Int32Array;
  /** The subject whose action the referrer took, or -1. */
  readonly followed: Int32Array;
  /** A kept index whose manifests are unknown, or -1: every image expired or archived is then uncertain. */
  readonly unknownIndex: number;
  /** How many such kept indexes there are. */
  readonly unknownIndexes: number;
  /** Each digest's position in the images. */
  readonly byDigest: ReadonlyMap<string, number>;
}

/** Whether `image` is an image index or manifest list. */
export function isIndex(image: ImageDetail): boolean {
  return image.manifestDigests !== undefined || (image.manifestMediaType !== undefined && INDEX_MEDIA_TYPES.has(image.manifestMediaType));
}

/**
 * Applies index protection and referrer propagation to `action` (one of KEEP, EXPIRE, TRANSITION per image)
 * and `ruleOf` (the rule each action comes from; a referrer takes its subject's). Returns `undefined`, and
 * changes nothing, when no image is an index or a referrer.
 */
export function apply(images: readonly ImageDetail[], action: Uint8Array, ruleOf: Int32Array): Links | undefined {
  const n = images.length;
  let linked = false;
  for (let i = 0; i < n && !linked; i++) {
    linked = images[i].subjectDigest !== undefined || isIndex(images[i]);
  }
  if (!linked) {
    return undefined;
  }
  const byDigest = new Map<string, number>();
  for (let i = 0; i < n; i++) byDigest.set(images[i].digest, i);
  const protectedBy = protectChildren(images, action, byDigest);
  const followed = followSubjects(images, action, ruleOf, byDigest);
  let unknownIndex = NONE;
  let unknownIndexes = 0;
  for (let i = 0; i < n; i++) {
    if (isIndex(images[i]) && images[i].manifestDigests === undefined && isLiveIndex(images[i], action[i])) {
      unknownIndex = unknownIndex === NONE ? i : unknownIndex;
      unknownIndexes++;
    }
  }
  return { protectedBy, followed, unknownIndex, unknownIndexes, byDigest };
}

/** A kept index in standard storage: what it references can't be expired or archived. */
function isLiveIndex(image: ImageDetail, action: number): boolean {
  return action === KEEP && image.storageClass !== ImageStorageClass.ARCHIVE;
}

function protectChildren(images: readonly ImageDetail[], action: Uint8Array, byDigest: Map<string, number>): Int32Array {
  const protectedBy = new Int32Array(images.length).fill(NONE);
  const live: number[] = [];
  images.forEach((image, i) => {
    if (image.manifestDigests !== undefined && isLiveIndex(image, action[i])) live.push(i);
  });
  // A protected child that is itself an index protects its own children: a worklist, not recursion.
  while (live.length > 0) {
    const index = live.pop() as number;
    for (const digest of images[index].manifestDigests as string[]) {
      const child = byDigest.get(digest);
      if (child !== undefined && action[child] !== KEEP) {
        action[child] = KEEP;
        protectedBy[child] = index;
        if (images[child].manifestDigests !== undefined && isLiveIndex(images[child], KEEP)) live.push(child);
      }
    }
  }
  return protectedBy;
}

function followSubjects(images: readonly ImageDetail[], action: Uint8Array, ruleOf: Int32Array, byDigest: Map<string, number>): Int32Array {
  const n = images.length;
  const followed = new Int32Array(n).fill(NONE);
  const subjectOf = new Int32Array(n).fill(NONE);
  for (let i = 0; i < n; i++) {
    const subject = images[i].subjectDigest;
    const s = subject === undefined ? undefined : byDigest.get(subject);
    subjectOf[i] = s === undefined || s === i ? NONE : s;
  }
  // Resolve each chain from its root down, iteratively; `walk` marks the chain being walked, to stop at a cycle.
  const resolved = new Uint8Array(n);
  const walk = new Int32Array(n).fill(NONE);
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
    let k = i;
    path.length = 0;
    while (resolved[k] === 0) {
      walk[k] = i;
      const s = subjectOf[k];
      if (s === NONE || walk[s] === i) {
        resolved[k] = 1;
        break;
      }
      path.push(k);
      k = s;
    }
    for (let p = path.length - 1; p >= 0; p--) {
      const r = path[p];
      const s = subjectOf[r];
      const archivable = action[r] === KEEP && images[r].storageClass !== ImageStorageClass.ARCHIVE;
      if ((action[s] === EXPIRE && action[r] !== EXPIRE) || (action[s] === TRANSITION && archivable)) {
        action[r] = action[s];
        ruleOf[r] = ruleOf[s];
        followed[r] = s;
      }
      resolved[r] = 1;
    }
  }
  return followed;
}
