// Links a policy breaks: an image the policy expires or archives apart from an image that stays with it.
// - A reference artifact (signature, SBOM, attestation) is untagged, so an `untagged` or `any` rule selects it on its
//   own count or age: ECR has no selector for artifact types (aws/containers-roadmap#2613, "it will attempt to only
//   keep 1 image, signature, or image index"). ECR removes a referrer with its subject, not a subject with its
//   referrer: a rule can delete the signature of a release it keeps, and verification of that release then fails.
// - An image index that is archived (in this run, or before) no longer protects the platform images it references:
//   a rule can delete them while the index waits in archive, and the restored index then lacks them.
// A separation is where an image ends up less available than the image it belongs to: deleted while that one stays
// (in standard storage or archive), or archived while that one stays in standard storage. Only images the policy
// acts on are flagged; what is already archived stays as it is.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html

import { plural } from '../../private/text';
import { ImageDetail, ImageStorageClass, ImageVerdict, LifecyclePreviewResult } from '../image';
import * as imageLinks from './image-links';

const NONE = -1;
const GONE = 0;
const ARCHIVED = 1;
const STANDARD = 2;

/** For each image, the image it is separated from (-1 for none), and how many of each kind there are. */
export interface Separations {
  /** The image that stays while this one is expired or archived apart from it, or -1. */
  readonly from: Int32Array;
  /** How many referrers are separated from their subject. */
  readonly referrers: number;
  /** How many platform images are separated from their image index. */
  readonly children: number;
  /** The first separated image, for the warning's example. */
  readonly first: number;
}

/**
 * The separations the final `action` of each image (KEEP, EXPIRE or TRANSITION, after `imageLinks.apply`) makes.
 *
 * @param byDigest each digest's position in `images`.
 */
export function find(images: readonly ImageDetail[], action: Uint8Array, byDigest: ReadonlyMap<string, number>): Separations {
  const n = images.length;
  const from = new Int32Array(n).fill(NONE);
  const level = (i: number) => action[i] === imageLinks.EXPIRE ? GONE
    : action[i] === imageLinks.TRANSITION || images[i].storageClass === ImageStorageClass.ARCHIVE ? ARCHIVED : STANDARD;
  const separates = (i: number, other: number | undefined): other is number =>
    other !== undefined && other !== i && from[i] === NONE && action[i] !== imageLinks.KEEP && level(i) < level(other);
  let referrers = 0;
  let children = 0;
  let first = NONE;
  for (let i = 0; i < n; i++) {
    const subjectDigest = images[i].subjectDigest;
    const subject = subjectDigest === undefined ? undefined : byDigest.get(subjectDigest);
    if (separates(i, subject)) {
      from[i] = subject;
      referrers++;
      first = first === NONE ? i : first;
    }
  }
  for (let x = 0; x < n; x++) {
    for (const digest of images[x].manifestDigests ?? []) {
      const child = byDigest.get(digest);
      if (child !== undefined && separates(child, x)) {
        from[child] = x;
        children++;
        first = first === NONE ? child : first;
      }
    }
  }
  return { from, referrers, children, first };
}

/** The caveat of image `i`, separated from image `other`. */
export function caveat(images: readonly ImageDetail[], action: Uint8Array, i: number, other: number): string {
  const stays = action[other] === imageLinks.TRANSITION ? 'is archived by this policy' : images[other].storageClass === ImageStorageClass.ARCHIVE
    ? 'stays in archive' : 'stays';
  const verb = action[i] === imageLinks.EXPIRE ? 'deleted' : 'archived';
  if (images[i].subjectDigest === images[other].digest) {
    return `its subject ${images[other].digest} ${stays}: this reference artifact (signature, SBOM, attestation) is ${verb} apart from it, `
      + 'so verifying the subject\'s signature fails (a lifecycle rule selects reference artifacts as untagged images)';
  }
  return `image index ${images[other].digest}, which references it, ${stays}: this platform image is ${verb} apart from it, `
    + 'so the index can\'t be pulled for this platform once restored';
}

/** The result's warning for the separations, or none. */
export function warnings(images: readonly ImageDetail[], separations: Separations): string[] {
  const { referrers, children, first, from } = separations;
  if (first === NONE) {
    return [];
  }
  const parts: string[] = [];
  if (referrers > 0) {
    parts.push(`${plural(referrers, 'reference artifact')} (signatures, SBOMs, attestations) apart from a subject that stays: ECR lifecycle rules `
      + 'select them as untagged images and have no selector for them (aws/containers-roadmap#2613), and a signed image whose signature '
      + 'is gone fails verification; on a signed repository, leave untagged images to ECR, which removes a referrer with its subject');
  }
  if (children > 0) {
    parts.push(`${plural(children, 'platform image')} apart from an image index that stays in archive: the restored index lacks them`);
  }
  return [`the policy expires or archives ${parts.join('; and ')} (for example ${images[first].digest}, apart from ${images[from[first]].digest})`];
}

/**
 * The verdicts (expired or transitioned) separated from an image a matcher protects: deleting or archiving them
 * breaks that image (its signature) or its restore (an index's platform image).
 *
 * @param imageOf the image of a digest of the preview's input.
 * @param isProtected whether an image is protected (e.g. has a tag that `--protect` names, or is in use).
 */
export function separatedFromProtected(
  result: LifecyclePreviewResult, imageOf: (digest: string) => ImageDetail | undefined, isProtected: (image: ImageDetail) => boolean,
): ImageVerdict[] {
  const hits: ImageVerdict[] = [];
  for (const list of [result.expired, result.transitioned]) {
    for (const verdict of list) {
      const other = verdict.separatedFrom === undefined ? undefined : imageOf(verdict.separatedFrom);
      if (other !== undefined && isProtected(other)) hits.push(verdict);
    }
  }
  return hits;
}
