// Which images of the previewed repository workloads use (`LifecyclePreviewOptions.inUse`):
// - A reference naming a repository counts only if it is this one: the same repository name, and the same
//   registry id (AWS account) when both say theirs. Others are counted and ignored. The region is not
//   compared (describe-images doesn't give it): a replica of the same name in another region counts too, which
//   errs on the side of keeping.
// - A reference by digest (`@sha256:...`, or a bare digest) is that image; by tag, the image carrying the tag
//   now. A reference whose digest or tag the repository lacks is "missing": the workload can't pull it again.
// - An image index in use puts in use the images it references (its `manifestDigests`): a workload pulls the
//   index, then the platform image.
// Performance: one Map of the referenced digests and one of the referenced tags, one pass over the images,
// and a pass per level of nested in-use indexes; no Map of every image.

import { ImageDetail } from '../image';
import { InUseReference } from '../in-use-references';
import * as imageReference from './image-reference';

const NONE = -1;

/** What the references say about the images. */
export interface InUseMatch {
  /** Per image (input order), its slot in `users`, or -1 when no one uses it. */
  readonly slot: Int32Array;
  /** The sources using each slot's image, each once, in reference order. */
  readonly users: string[][];
  /** References to this repository whose digest or tag it lacks. */
  readonly missing: InUseReference[];
  /** How many references name another repository. */
  readonly otherRepositories: number;
}

/**
 * Matches `references` to `images`. Returns `undefined` when there is no reference.
 *
 * Throws an `Error` naming the reference when one is no image reference, or when references name a repository
 * and no image says which repository it is from (`repositoryName`).
 */
export function match(images: readonly ImageDetail[], references: readonly InUseReference[]): InUseMatch | undefined {
  if (references.length === 0) {
    return undefined;
  }
  const { registryId, repositoryName } = repositoryOf(images);
  const byDigest = new Map<string, number[]>();
  const byTag = new Map<string, number[]>();
  const other = new Uint8Array(references.length);
  let otherRepositories = 0;
  references.forEach((reference, r) => {
    const parsed = typeof reference?.image === 'string' ? imageReference.parse(reference.image) : 'the image reference must be a string';
    if (typeof parsed === 'string') {
      throw new Error(`preview: options.inUse[${r}]${reference?.source === undefined ? '' : ` (${reference.source})`}: ${parsed}`);
    }
    if (parsed.repository !== undefined) {
      if (repositoryName === undefined) {
        throw new Error(`preview: options.inUse[${r}] names repository ${parsed.repository}, but no image says which repository it is from: `
          + 'give the images\' repositoryName (and registryId), as ImageInventory.fromDescribeImagesOutput does');
      }
      // A name without an ECR host is another registry's (`app:1` is Docker Hub's docker.io/library/app).
      const sameRegistry = parsed.registryId !== undefined && (registryId === undefined || parsed.registryId === registryId);
      if (parsed.repository !== repositoryName || !sameRegistry) {
        other[r] = 1;
        otherRepositories++;
        return;
      }
    }
    const [map, key] = parsed.digest !== undefined ? [byDigest, parsed.digest] : [byTag, parsed.tag as string];
    const list = map.get(key);
    if (list === undefined) map.set(key, [r]);
    else list.push(r);
  });

  const n = images.length;
  const slot = new Int32Array(n).fill(NONE);
  const users: Set<string>[] = [];
  const found = new Uint8Array(references.length);
  const use = (i: number, refs: readonly number[], sources?: Iterable<string>) => {
    if (slot[i] === NONE) {
      slot[i] = users.length;
      users.push(new Set());
    }
    const set = users[slot[i]];
    for (const r of refs) {
      found[r] = 1;
      set.add(references[r].source ?? references[r].image);
    }
    for (const source of sources ?? []) set.add(source);
  };
  if (byDigest.size > 0 || byTag.size > 0) {
    for (let i = 0; i < n; i++) {
      const image = images[i];
      const refs = byDigest.get(image.digest);
      if (refs !== undefined) use(i, refs);
      if (byTag.size > 0) {
        for (const tag of image.tags ?? []) {
          const tagged = byTag.get(tag);
          if (tagged !== undefined) use(i, tagged);
        }
      }
    }
  }
  protectChildren(images, slot, users, use);
  return {
    slot,
    users: users.map((set) => [...set]),
    missing: references.filter((_, r) => found[r] === 0 && other[r] === 0),
    otherRepositories,
  };
}

/** The repository the images are from: the first `repositoryName` and `registryId` any image gives. */
function repositoryOf(images: readonly ImageDetail[]): { registryId?: string; repositoryName?: string } {
  for (const image of images) {
    if (image.repositoryName !== undefined) return { registryId: image.registryId, repositoryName: image.repositoryName };
  }
  return {};
}

/** The images in-use indexes reference are in use by the same sources, level by level. */
function protectChildren(images: readonly ImageDetail[], slot: Int32Array, users: Set<string>[],
  use: (i: number, refs: readonly number[], sources: Iterable<string>) => void): void {
  let parents: number[] = [];
  for (let i = 0; i < images.length; i++) {
    if (slot[i] !== NONE && images[i].manifestDigests !== undefined) parents.push(i);
  }
  const done = new Set<number>();
  while (parents.length > 0) {
    const wanted = new Map<string, number[]>();
    for (const parent of parents) {
      done.add(parent);
      for (const digest of images[parent].manifestDigests as string[]) {
        const list = wanted.get(digest);
        if (list === undefined) wanted.set(digest, [parent]);
        else list.push(parent);
      }
    }
    const next: number[] = [];
    for (let i = 0; i < images.length; i++) {
      const from = wanted.get(images[i].digest);
      if (from === undefined) continue;
      for (const parent of from) use(i, [], users[slot[parent]]);
      if (images[i].manifestDigests !== undefined && !done.has(i)) next.push(i);
    }
    parents = next;
  }
}
