// Offline evaluation of an ECR lifecycle policy against a list of images, following the
// "Lifecycle policy evaluation rules" of the ECR User Guide:
// - All rules are evaluated, then applied in priority order (lowest rulePriority first).
// - A rule selects the images of its storage class (`standard` unless it says `archive`) that meet its
//   tagging requirements (tagStatus and tag list).
// - An image is expired or transitioned by at most one rule. An image selected by a higher-priority rule
//   can't be expired or transitioned by a lower-priority rule, even when the higher rule keeps it; lower
//   rules still count it (`imageCountMoreThan`) as if it were there.
// - `imageCountMoreThan`: the rule's images sorted newest to oldest by push time; all beyond countNumber
//   are acted on.
// - Day-based rules act on images older than countNumber days (strictly: an image exactly N days old is
//   kept), measured from `now`:
//   `sinceImagePushed` from the push time; `sinceImagePulled` from the last recorded pull, or the push time
//   if never pulled; `sinceImageTransitioned` from `lastArchivedAt`. A restored image (`lastActivatedAt`)
//   uses its activation time instead of its push time, and instead of its last pull when it was not pulled
//   since the restore.
// - Then images linked to others: an image a kept index references is kept, a referrer follows its subject
//   (see image-links.ts); an image expired or archived apart from the image it belongs to (a signature of a kept
//   release, a platform image of an archived index) gets a caveat and a warning (see separations.ts).
// Ordering, and ties: "newest" means the latest push time (activation time for a restored image). Images
// pushed at the same millisecond are ordered by digest, ascending: the smaller digest counts as the newer.
// This is this preview's choice, deterministic and independent of input order; ECR documents no tie-break.
// Performance: images are sorted once; each rule is then one linear pass over them.
// The document must be valid: `EcrLifecyclePolicy` validates it once, before it calls `preview`.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules

import { plural } from '../../private/text';
import { ImageDetail, ImageStorageClass, ImageVerdict, LifecyclePreviewOptions, LifecyclePreviewResult } from '../image';
import * as imageLinks from './image-links';
import * as imageOrder from './image-order';
import * as inUse from './in-use';
import { PolicyDocumentJson, PolicyRuleJson } from './policy-document';
import * as separations from './separations';
import * as tagMatcher from './tag-matcher';

const DAY_MS = 86_400_000;
const NONE = -1;
/** The `inUseBy` of every image no one uses: one shared, frozen empty list, not a million. */
const NO_USERS = Object.freeze([]) as unknown as string[];

interface CompiledRule {
  readonly rule: PolicyRuleJson;
  readonly priority: number;
  readonly archive: boolean;
  readonly selects: (tags: readonly string[]) => boolean;
  readonly selectionText: string;
  /** The selection as the noun of "number K of the N ...": `selectionText` without "all". */
  readonly countedText: string;
  readonly countType: string;
  readonly countNumber: number;
  readonly transition: boolean;
}

/**
 * Evaluates the valid policy `document` against `images` as ECR would at `options.now`.
 *
 * Throws an `Error` naming the image when an image has no digest or no valid push time.
 */
export function preview(
  document: PolicyDocumentJson, images: readonly ImageDetail[], options: LifecyclePreviewOptions = {},
): LifecyclePreviewResult {
  const now = options.now ?? new Date();
  if (!isValidDate(now)) {
    throw new Error(`preview: options.now must be a valid Date, got ${String(now)}`);
  }
  const nowMs = now.getTime();
  const rules = [...document.rules].sort((a, b) => a.rulePriority - b.rulePriority).map(compile);

  const n = images.length;
  const ruleCount = rules.length;

  // Pass 1, in input order (the order the image objects were made in, so memory is read sequentially):
  // the times each count type measures from, and which rules select each image (one byte per image and rule).
  const pushedKey = new Float64Array(n);
  const pulledKey = new Float64Array(n);
  const archivedKey = new Float64Array(n);
  const selects = new Uint8Array(n * ruleCount);
  for (let i = 0; i < n; i++) {
    const image = images[i];
    if (typeof image.digest !== 'string' || image.digest.length === 0) {
      throw new Error(`preview: images[${i}] has no digest`);
    }
    if (!isValidDate(image.pushedAt)) {
      throw new Error(`preview: image ${image.digest} (images[${i}]) needs a valid pushedAt Date, got ${String(image.pushedAt)}`);
    }
    const pushed = effectivePushTime(image);
    pushedKey[i] = pushed;
    pulledKey[i] = referenceTime('sinceImagePulled', image, pushed);
    archivedKey[i] = referenceTime('sinceImageTransitioned', image, pushed);
    const tags = image.tags ?? [];
    const archived = image.storageClass === ImageStorageClass.ARCHIVE;
    for (let r = 0; r < ruleCount; r++) {
      if (rules[r].archive === archived && rules[r].selects(tags)) {
        selects[i * ruleCount + r] = 1;
      }
    }
  }

  // The one sort: newest first, equal times by digest ascending.
  const order = imageOrder.newestFirst(pushedKey, (i) => images[i].digest);

  // Pass 2, one linear pass per rule in priority order, over typed arrays only.
  const selectedBy = new Int32Array(n).fill(NONE); // the highest-priority rule selecting the image
  const actionedBy = new Int32Array(n).fill(NONE); // the rule that expires or transitions it
  const wouldBy = new Int32Array(n).fill(NONE); // the first lower rule that would have acted on a protected image
  const rank = new Int32Array(n); // position among the acting count rule's images, newest first
  const selectedCount = new Int32Array(ruleCount);
  for (let r = 0; r < ruleCount; r++) {
    const rule = rules[r];
    const byCount = rule.countType === 'imageCountMoreThan';
    const ageKey = rule.countType === 'sinceImagePulled' ? pulledKey : rule.countType === 'sinceImageTransitioned' ? archivedKey : pushedKey;
    const maxAgeMs = rule.countNumber * DAY_MS;
    let seen = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (selects[i * ruleCount + r] === 0) {
        continue;
      }
      const position = seen++;
      const acts = byCount ? position >= rule.countNumber : nowMs - ageKey[i] > maxAgeMs;
      if (selectedBy[i] === NONE) {
        selectedBy[i] = r;
        if (acts) {
          actionedBy[i] = r;
          rank[i] = position;
        }
      } else if (acts && actionedBy[i] === NONE && wouldBy[i] === NONE) {
        wouldBy[i] = r;
      }
    }
    selectedCount[r] = seen;
  }

  // Pass 3: each image's action, then what links between images change (index protection, referrers).
  const action = new Uint8Array(n);
  const ruleOf = actionedBy.slice();
  for (let i = 0; i < n; i++) {
    if (actionedBy[i] !== NONE) action[i] = rules[actionedBy[i]].transition ? imageLinks.TRANSITION : imageLinks.EXPIRE;
  }
  const links = imageLinks.apply(images, action, ruleOf);
  const separated = links === undefined ? undefined : separations.find(images, action, links.byDigest);
  const used = inUse.match(images, options.inUse ?? []);
  const inUseAtRisk: ImageVerdict[] = [];

  // Pass 4, in sorted order: one verdict per image, into the three lists.
  const lists = [[], [], []] as ImageVerdict[][];
  const bytes = [0, 0, 0];
  let uncertain = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const image = images[i];
    const tags = image.tags ?? [];
    const storageClass = image.storageClass ?? ImageStorageClass.STANDARD;
    const act = action[i];
    let rulePriority: number | undefined;
    let reason: string;
    let caveat: string | undefined;
    if (links !== undefined && links.followed[i] !== NONE) {
      rulePriority = rules[ruleOf[i]].priority;
      reason = followReason(act, images[links.followed[i]]);
    } else if (links !== undefined && links.protectedBy[i] !== NONE) {
      const would = rules[actionedBy[i]];
      rulePriority = would.priority;
      reason = `kept: image index ${images[links.protectedBy[i]].digest} references it and stays, so rule ${would.priority} can't `
        + `${would.transition ? 'archive' : 'expire'} it (ECR doesn't expire or archive an image a manifest list references)`;
    } else if (act !== imageLinks.KEEP) {
      const rule = rules[actionedBy[i]];
      rulePriority = rule.priority;
      reason = actionReason(rule, image, pushedKey[i], rank[i], selectedCount[actionedBy[i]], nowMs);
    } else if (selectedBy[i] !== NONE) {
      const rule = rules[selectedBy[i]];
      rulePriority = rule.priority;
      reason = keepReason(rule, image, pushedKey[i], nowMs, wouldBy[i] === NONE ? undefined : rules[wouldBy[i]]);
    } else {
      reason = `no rule selects it (${storageClass} storage, ${tags.length === 0 ? 'untagged' : 'tags that no rule matches'})`;
    }
    if (links !== undefined && links.unknownIndex !== NONE && act !== imageLinks.KEEP && !imageLinks.isIndex(image)) {
      caveat = `ECR doesn't ${act === imageLinks.EXPIRE ? 'expire' : 'archive'} an image a manifest list references, and the manifests of `
        + `${indexText(images[links.unknownIndex].digest, links.unknownIndexes)} were not given: this image may stay`;
      uncertain++;
    }
    const from = separated === undefined ? NONE : separated.from[i];
    if (from !== NONE) {
      const text = separations.caveat(images, action, i, from);
      caveat = caveat === undefined ? text : `${text}; and ${caveat}`;
    }
    const size = image.sizeInBytes;
    const users = used === undefined || used.slot[i] === NONE ? NO_USERS : used.users[used.slot[i]];
    // Optional fields are set only when present (not as undefined), in this order, without a spread per image.
    const verdict: Partial<Mutable<ImageVerdict>> = { digest: image.digest, tags, rulePriority, reason, storageClass };
    if (size !== undefined) verdict.sizeInBytes = size;
    if (caveat !== undefined) verdict.caveat = caveat;
    if (from !== NONE) verdict.separatedFrom = images[from].digest;
    verdict.inUseBy = users;
    lists[act].push(verdict as ImageVerdict);
    if (act !== imageLinks.KEEP && users.length > 0) inUseAtRisk.push(verdict as ImageVerdict);
    bytes[act] += size ?? 0;
  }
  const warnings = archiveWarnings(rules, images);
  if (uncertain > 0) {
    warnings.push(`${plural(uncertain, 'image')} expired or archived may stay: ECR doesn't expire or archive an image a manifest list references, `
      + `and the manifests of ${indexText(images[links!.unknownIndex].digest, links!.unknownIndexes)} were not given `
      + '(read them with `aws ecr batch-get-image`)');
  }
  if (separated !== undefined) warnings.push(...separations.warnings(images, separated));
  return {
    expired: lists[imageLinks.EXPIRE],
    transitioned: lists[imageLinks.TRANSITION],
    kept: lists[imageLinks.KEEP],
    expiredBytes: bytes[imageLinks.EXPIRE],
    transitionedBytes: bytes[imageLinks.TRANSITION],
    keptBytes: bytes[imageLinks.KEEP],
    warnings,
    inUseAtRisk,
    inUseMissing: used?.missing ?? [],
    inUseOtherRepositories: used?.otherRepositories ?? 0,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function indexText(digest: string, count: number): string {
  return count === 1 ? `image index ${digest}` : `${count} image indexes (${digest} and ${plural(count - 1, 'other')})`;
}

function followReason(act: number, subject: ImageDetail): string {
  const verb = act === imageLinks.EXPIRE ? 'expired' : 'transitioned to archive';
  return `${verb} with its subject ${subject.digest}: ECR ${act === imageLinks.EXPIRE ? 'expires' : 'archives'} a reference artifact `
    + '(signature, SBOM, attestation) within 24 hours of its subject';
}

/**
 * A warning when the policy has rules for archived images but no image is archived: `describe-images` lists
 * only ACTIVE images unless given `--filter imageStatus=ANY`, so the preview would miss what those rules delete.
 */
function archiveWarnings(rules: readonly CompiledRule[], images: readonly ImageDetail[]): string[] {
  const archiveRules = rules.filter((r) => r.archive).map((r) => r.priority);
  if (archiveRules.length === 0 || images.some((image) => image.storageClass === ImageStorageClass.ARCHIVE)) {
    return [];
  }
  return [`the policy has rules for archived images (rulePriority ${archiveRules.join(', ')}), but no image is archived or activating `
    + '(imageStatus ARCHIVED or ACTIVATING): `aws ecr describe-images` lists only ACTIVE images unless given `--filter imageStatus=ANY`'];
}

function compile(rule: PolicyRuleJson): CompiledRule {
  const s = rule.selection;
  let selects: (tags: readonly string[]) => boolean;
  let selectionText: string;
  if (s.tagStatus === 'any') {
    selects = () => true;
    selectionText = 'all images';
  } else if (s.tagStatus === 'untagged') {
    selects = (tags) => tags.length === 0;
    selectionText = 'untagged images';
  } else if (s.tagPrefixList !== undefined) {
    selects = tagMatcher.forPrefixes(s.tagPrefixList);
    selectionText = `images matching tagPrefixList ${JSON.stringify(s.tagPrefixList)}`;
  } else {
    const patterns = s.tagPatternList as string[];
    selects = tagMatcher.forPatterns(patterns);
    selectionText = `images matching tagPatternList ${JSON.stringify(patterns)}`;
  }
  const archive = s.storageClass === 'archive';
  const text = archive ? selectionText.replace(/^(all )?/, '$1archived ') : selectionText;
  return {
    rule,
    priority: rule.rulePriority,
    archive,
    selects,
    selectionText: text,
    countedText: text.replace(/^all /, ''),
    countType: s.countType,
    countNumber: s.countNumber,
    transition: rule.action.type === 'transition',
  };
}

/**
 * The push time the policy orders and ages an image by: its activation time if it was restored from
 * archive, else its push time (milliseconds since the epoch).
 */
export function effectivePushTime(image: ImageDetail): number {
  return isValidDate(image.lastActivatedAt) ? image.lastActivatedAt.getTime() : image.pushedAt.getTime();
}

/** The time a day-based count type measures age from; NaN (never older) when the image lacks it. */
function referenceTime(countType: string, image: ImageDetail, pushed: number): number {
  switch (countType) {
    case 'sinceImagePulled': {
      const pulled = isValidDate(image.lastPulledAt) ? image.lastPulledAt.getTime() : NaN;
      if (isValidDate(image.lastActivatedAt) && !(pulled >= image.lastActivatedAt.getTime())) {
        return image.lastActivatedAt.getTime();
      }
      return Number.isNaN(pulled) ? pushed : pulled;
    }
    case 'sinceImageTransitioned':
      return isValidDate(image.lastArchivedAt) ? image.lastArchivedAt.getTime() : NaN;
    default:
      return pushed;
  }
}

function actionReason(rule: CompiledRule, image: ImageDetail, pushed: number, position: number, selected: number, nowMs: number): string {
  const verb = rule.transition ? 'transitioned to archive' : 'expired';
  if (rule.countType === 'imageCountMoreThan') {
    return `${verb} by rule ${rule.priority}: number ${position + 1} of the ${selected} ${rule.countedText}, newest first, of which the rule keeps ${rule.countNumber}`;
  }
  return `${verb} by rule ${rule.priority} (${rule.selectionText}): ${ageText(rule.countType, image, pushed, nowMs)}, more than ${rule.countNumber} days`;
}

function keepReason(rule: CompiledRule, image: ImageDetail, pushed: number, nowMs: number, would: CompiledRule | undefined): string {
  const criterion = rule.countType === 'imageCountMoreThan'
    ? `it is among the newest ${rule.countNumber} it keeps`
    : `${ageText(rule.countType, image, pushed, nowMs)}, not more than ${rule.countNumber} days`;
  const shielded = would === undefined
    ? ''
    : `; this protects it from rule ${would.priority}, which would have ${would.transition ? 'transitioned' : 'expired'} it`;
  return `kept by rule ${rule.priority}, the first rule selecting it (${rule.selectionText}): ${criterion}${shielded}`;
}

function ageText(countType: string, image: ImageDetail, pushed: number, nowMs: number): string {
  const reference = referenceTime(countType, image, pushed);
  if (Number.isNaN(reference)) {
    return 'no lastArchivedAt recorded, so its time in archive is unknown';
  }
  const days = formatDays(nowMs - reference);
  switch (countType) {
    case 'sinceImagePulled':
      if (isValidDate(image.lastActivatedAt) && reference === image.lastActivatedAt.getTime()) {
        return `not pulled since restored ${days} ago`;
      }
      return isValidDate(image.lastPulledAt) ? `last pulled ${days} ago` : `never pulled, pushed ${days} ago`;
    case 'sinceImageTransitioned':
      return `archived ${days} ago`;
    default:
      return isValidDate(image.lastActivatedAt) ? `restored ${days} ago` : `pushed ${days} ago`;
  }
}

function formatDays(ms: number): string {
  const days = Math.round((ms / DAY_MS) * 10) / 10;
  return plural(days, 'day');
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
