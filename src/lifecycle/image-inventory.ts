// Reads a repository's images from `aws ecr describe-images` output, for previewing a lifecycle policy
// against what a repository really holds, and the manifests of its image indexes from `aws ecr batch-get-image`.
// Timestamps: AWS CLI v2 prints ISO 8601 strings ("2026-05-01T12:00:00.000000+02:00"); AWS CLI v1 (and
// v2 with `cli_timestamp_format = wire`) prints seconds since the epoch (1746093600.0). Both are read.
// A listing must be whole: every image once, and no pagination token left (a truncated page).
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageDetail.html
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html

import { ImageDetail, ImageStorageClass } from './image';
import { problemList } from '../private/errors';
import { fromEpochSeconds, parseIsoDateTime } from '../private/iso-time';
import { isObject, ownValue, plural, withoutBom } from '../private/text';

/** How many problems an error lists before summarizing the rest. */
const MAX_LISTED_PROBLEMS = 20;

/**
 * The pagination token of each source: the ECR API (`nextToken`), and the AWS CLI when `--max-items` stopped
 * it after a page (`NextToken`). Either means the listing is a truncated page.
 */
const PAGINATION_TOKENS: Record<string, string> = {
  nextToken: 'one page of the DescribeImages API; fetch every page and join their imageDetails',
  NextToken: 'the AWS CLI stopped after --max-items; run describe-images without --max-items, and the AWS CLI lists every page',
};

/**
 * `imageStatus` to storage class. `ACTIVATING` is an archived image being restored: until the restore
 * completes it is still in archive storage, so archive rules still select it.
 */
const STORAGE_CLASS_BY_STATUS: Record<string, ImageStorageClass> = {
  ACTIVE: ImageStorageClass.STANDARD,
  ARCHIVED: ImageStorageClass.ARCHIVE,
  ACTIVATING: ImageStorageClass.ARCHIVE,
};

/**
 * Options for reading a repository's images.
 */
export interface ImageInventoryOptions {
  /**
   * The JSON texts printed by `aws ecr batch-get-image` for the repository's image indexes (manifest lists):
   * each index's manifest gives the digests it references (`manifestDigests`), which ECR doesn't expire or
   * archive while the index is there. Indexes listed here that describe-images doesn't list are ignored.
   *
   * @default - none: the preview marks what it expires or archives as uncertain while the repository holds an index
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html
   */
  readonly batchGetImageOutputs?: string[];
}

/**
 * Reads repository images for lifecycle policy previews.
 */
export class ImageInventory {
  /**
   * The images of `aws ecr describe-images --filter imageStatus=ANY` output: `{"imageDetails": [...]}` (a bare
   * array of image details is accepted too). Without `--filter imageStatus=ANY`, describe-images lists only
   * ACTIVE images, and the preview can't see what the policy does to archived ones.
   *
   * Reads `imageDigest`, `imageTags`, `imagePushedAt`, `lastRecordedPullTime`, `imageStatus`
   * (`ACTIVE`, `ARCHIVED`, `ACTIVATING`), `lastArchivedAt`, `lastActivatedAt`, `imageSizeInBytes`,
   * `imageManifestMediaType`, `subjectManifestDigest`, `repositoryName` and `registryId`; other fields are ignored. A leading UTF-8 byte
   * order mark is skipped.
   * Throws one error listing every problem (malformed JSON, missing digest or push time, bad or out-of-range
   * timestamps, a digest listed twice, a pagination token left in the output).
   *
   * @param jsonText the JSON text printed by `aws ecr describe-images --repository-name NAME --filter imageStatus=ANY`
   * @param options the manifests of the repository's image indexes
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImagesFilter.html
   */
  public static fromDescribeImagesOutput(jsonText: string, options: ImageInventoryOptions = {}): ImageDetail[] {
    const parsed = parseJson(jsonText, 'describe-images output');
    const details = Array.isArray(parsed) ? parsed : isObject(parsed) ? parsed.imageDetails : undefined;
    if (!Array.isArray(details)) {
      throw new Error('describe-images output must be an object with an "imageDetails" array (the output of `aws ecr describe-images`), '
        + `got ${parsed === null ? 'null' : typeof parsed}${isObject(parsed) ? ' without "imageDetails"' : ''}`);
    }
    if (isObject(parsed)) {
      for (const [token, fix] of Object.entries(PAGINATION_TOKENS)) {
        if (parsed[token] !== undefined && parsed[token] !== null) {
          throw new Error(`describe-images output is a truncated listing: it carries a pagination token "${token}" (${fix})`);
        }
      }
    }
    const children = indexManifests(options.batchGetImageOutputs ?? []);
    const problems: string[] = [];
    const images: ImageDetail[] = [];
    const firstIndexOf = new Map<string, number>();
    details.forEach((detail, index) => {
      const where = `imageDetails[${index}]`;
      const image = readDetail(detail, where, problems);
      if (image === undefined) {
        return;
      }
      const first = firstIndexOf.get(image.digest);
      if (first !== undefined) {
        problems.push(`${where} (${image.digest}): the digest is also imageDetails[${first}]; an image is listed once (were pages joined twice?)`);
        return;
      }
      firstIndexOf.set(image.digest, index);
      const manifestDigests = children.get(image.digest);
      images.push(manifestDigests === undefined ? image : { ...image, manifestDigests });
    });
    if (problems.length > 0) {
      throw new Error(problemList(`describe-images output has ${plural(problems.length, 'problem')}`, problems, MAX_LISTED_PROBLEMS));
    }
    return images;
  }

  private constructor() {}
}

function parseJson(jsonText: string, what: string): unknown {
  try {
    return JSON.parse(withoutBom(jsonText));
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The digests each image index of the batch-get-image outputs references, by the index's digest. */
function indexManifests(outputs: readonly string[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  /** Where each index was first read, for the message when it comes again with other manifests. */
  const firstSeen = new Map<string, string>();
  const problems: string[] = [];
  outputs.forEach((text, output) => {
    const parsed = parseJson(text, `batch-get-image output ${output + 1}`);
    const images = isObject(parsed) ? parsed.images : undefined;
    if (!Array.isArray(images)) {
      problems.push(`batch-get-image output ${output + 1}: must be an object with an "images" array (the output of \`aws ecr batch-get-image\`)`);
      return;
    }
    images.forEach((entry, index) => {
      const where = `batch-get-image output ${output + 1}, images[${index}]`;
      const digest = isObject(entry) && isObject(entry.imageId) ? entry.imageId.imageDigest : undefined;
      const manifest = isObject(entry) && typeof entry.imageManifest === 'string' ? tryParse(entry.imageManifest) : undefined;
      if (typeof digest !== 'string' || !isObject(manifest)) {
        problems.push(`${where}: needs "imageId.imageDigest" and an "imageManifest" JSON text`);
        return;
      }
      if (Array.isArray(manifest.manifests)) {
        const digests = manifest.manifests.map((m) => (isObject(m) ? m.digest : undefined));
        const earlier = children.get(digest);
        if (!digests.every((d): d is string => typeof d === 'string')) {
          problems.push(`${where} (${digest}): every entry of the index's "manifests" needs a "digest"`);
        } else if (earlier === undefined) {
          children.set(digest, digests);
          firstSeen.set(digest, where);
        } else if (earlier.join() !== digests.join()) {
          // A digest is the hash of its manifest, so two different manifests under one digest mean a wrong file:
          // the same index read twice is merged only when both say the same, and neither may silently win.
          problems.push(`${where} (${digest}): the index is also ${firstSeen.get(digest)}, with other manifests; `
            + 'an image index is one manifest, so give each index once (from one batch-get-image run)');
        }
      }
    });
  });
  if (problems.length > 0) {
    throw new Error(problemList(`batch-get-image output has ${plural(problems.length, 'problem')}`, problems, MAX_LISTED_PROBLEMS));
  }
  return children;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readDetail(detail: unknown, where: string, problems: string[]): ImageDetail | undefined {
  if (!isObject(detail)) {
    problems.push(`${where}: an image detail must be an object, got ${JSON.stringify(detail)}`);
    return undefined;
  }
  const before = problems.length;
  const digest = detail.imageDigest;
  if (typeof digest !== 'string' || digest.length === 0) {
    problems.push(`${where}: "imageDigest" must be a non-empty string, got ${JSON.stringify(digest) ?? 'nothing'}`);
  }
  const label = typeof digest === 'string' && digest.length > 0 ? `${where} (${digest})` : where;
  const tags = detail.imageTags;
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) {
    problems.push(`${label}: "imageTags" must be an array of strings, got ${JSON.stringify(tags)}`);
  }
  const pushedAt = readTime(detail, 'imagePushedAt', label, problems, true);
  const lastPulledAt = readTime(detail, 'lastRecordedPullTime', label, problems, false);
  const lastArchivedAt = readTime(detail, 'lastArchivedAt', label, problems, false);
  const lastActivatedAt = readTime(detail, 'lastActivatedAt', label, problems, false);
  const size = detail.imageSizeInBytes;
  if (size !== undefined && !(typeof size === 'number' && Number.isSafeInteger(size) && size >= 0)) {
    problems.push(`${label}: "imageSizeInBytes" must be a whole number of bytes >= 0, got ${JSON.stringify(size)}`);
  }
  const mediaType = optionalString(detail, 'imageManifestMediaType', label, problems);
  const subject = optionalString(detail, 'subjectManifestDigest', label, problems);
  const repositoryName = optionalString(detail, 'repositoryName', label, problems);
  const registryId = optionalString(detail, 'registryId', label, problems);
  const status = detail.imageStatus;
  let storageClass: ImageStorageClass | undefined;
  if (status !== undefined) {
    storageClass = typeof status === 'string' ? ownValue(STORAGE_CLASS_BY_STATUS, status) : undefined;
    if (storageClass === undefined) {
      problems.push(`${label}: "imageStatus" must be one of ${Object.keys(STORAGE_CLASS_BY_STATUS).join(', ')}, got ${JSON.stringify(status)}`);
    }
  }
  if (problems.length > before) {
    return undefined;
  }
  return {
    digest: digest as string,
    tags: (tags as string[] | undefined) ?? [],
    pushedAt: pushedAt as Date,
    ...(lastPulledAt && { lastPulledAt }),
    storageClass: storageClass ?? ImageStorageClass.STANDARD,
    ...(lastArchivedAt && { lastArchivedAt }),
    ...(lastActivatedAt && { lastActivatedAt }),
    ...(size !== undefined && { sizeInBytes: size as number }),
    ...(mediaType !== undefined && { manifestMediaType: mediaType }),
    ...(subject !== undefined && { subjectDigest: subject }),
    ...(repositoryName !== undefined && { repositoryName }),
    ...(registryId !== undefined && { registryId }),
  };
}

function optionalString(detail: Record<string, unknown>, field: string, where: string, problems: string[]): string | undefined {
  const value = detail[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string' || value.length === 0) {
    problems.push(`${where}: "${field}" must be a non-empty string, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

function readTime(detail: Record<string, unknown>, field: string, where: string, problems: string[], required: boolean): Date | undefined {
  const value = detail[field];
  if (value === undefined || value === null) {
    if (required) {
      problems.push(`${where}: "${field}" is required`);
    }
    return undefined;
  }
  // AWS CLI v1: seconds since the epoch; AWS CLI v2: ISO 8601 with a zone.
  const time = typeof value === 'number' ? fromEpochSeconds(value) : typeof value === 'string' ? parseIsoDateTime(value) : undefined;
  if (time === undefined) {
    problems.push(typeof value === 'number'
      ? `${where}: "${field}" is out of the range of a date: ${value} seconds since the epoch`
      : `${where}: "${field}" must be an ISO 8601 date-time with a zone (AWS CLI v2) or seconds since the epoch (AWS CLI v1), got ${JSON.stringify(value)}`);
  }
  return time;
}
