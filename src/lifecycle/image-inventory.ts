// Reads a repository's images from `aws ecr describe-images` output, for previewing a lifecycle policy
// against what a repository really holds.
// Timestamps: AWS CLI v2 prints ISO 8601 strings ("2026-05-01T12:00:00.000000+02:00"); AWS CLI v1 (and
// v2 with `cli_timestamp_format = wire`) prints seconds since the epoch (1746093600.0). Both are read.
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html
// @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageDetail.html

import { ImageDetail, ImageStorageClass } from './image';
import { problemList } from '../private/errors';
import { isObject, plural } from '../private/text';

/** How many problems an error lists before summarizing the rest. */
const MAX_LISTED_PROBLEMS = 20;
/** ISO 8601 date-time, as AWS CLI v2 prints it: a date, `T`, a time, and a zone (`Z` or an offset). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

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
 * Reads repository images for lifecycle policy previews.
 */
export class ImageInventory {
  /**
   * The images of `aws ecr describe-images` output: `{"imageDetails": [...]}` (a bare array of image
   * details is accepted too).
   *
   * Reads `imageDigest`, `imageTags`, `imagePushedAt`, `lastRecordedPullTime`, `imageStatus`
   * (`ACTIVE`, `ARCHIVED`, `ACTIVATING`), `lastArchivedAt` and `lastActivatedAt`; other fields are ignored.
   * Throws one error listing every problem (malformed JSON, missing digest or push time, bad timestamps).
   *
   * @param jsonText the JSON text printed by `aws ecr describe-images --repository-name NAME`
   */
  public static fromDescribeImagesOutput(jsonText: string): ImageDetail[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(jsonText);
    } catch (e) {
      throw new Error(`describe-images output is not valid JSON: ${(e as Error).message}`);
    }
    const details = Array.isArray(parsed) ? parsed : isObject(parsed) ? parsed.imageDetails : undefined;
    if (!Array.isArray(details)) {
      throw new Error('describe-images output must be an object with an "imageDetails" array (the output of `aws ecr describe-images`), '
        + `got ${parsed === null ? 'null' : typeof parsed}${isObject(parsed) ? ' without "imageDetails"' : ''}`);
    }
    const problems: string[] = [];
    const images: ImageDetail[] = [];
    details.forEach((detail, index) => {
      const image = readDetail(detail, `imageDetails[${index}]`, problems);
      if (image !== undefined) {
        images.push(image);
      }
    });
    if (problems.length > 0) {
      throw new Error(problemList(`describe-images output has ${plural(problems.length, 'problem')}`, problems, MAX_LISTED_PROBLEMS));
    }
    return images;
  }

  private constructor() {}
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
  const status = detail.imageStatus;
  let storageClass: ImageStorageClass | undefined;
  if (status !== undefined) {
    storageClass = typeof status === 'string' ? STORAGE_CLASS_BY_STATUS[status] : undefined;
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
  };
}

function readTime(detail: Record<string, unknown>, field: string, where: string, problems: string[], required: boolean): Date | undefined {
  const value = detail[field];
  if (value === undefined || value === null) {
    if (required) {
      problems.push(`${where}: "${field}" is required`);
    }
    return undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(Math.round(value * 1000)); // AWS CLI v1: seconds since the epoch
  }
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) {
      return new Date(time);
    }
  }
  problems.push(`${where}: "${field}" must be an ISO 8601 date-time (AWS CLI v2) or seconds since the epoch (AWS CLI v1), got ${JSON.stringify(value)}`);
  return undefined;
}
