// The images a lifecycle policy preview reads and the verdicts it returns.
// Public structs and enums (jsii): used by `EcrLifecyclePolicy.preview`, `ImageInventory` and the
// `ecr-lifecycle-preview` CLI.

/**
 * The storage class of an image in an Amazon ECR repository.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export enum ImageStorageClass {
  /** ECR standard storage: the image can be pulled. Lifecycle rules select it with `storageClass: standard` (the default). */
  STANDARD = 'standard',
  /** ECR archive storage: the image can't be pulled until it is restored. Lifecycle rules select it with `storageClass: archive`. */
  ARCHIVE = 'archive',
}

/**
 * One image of a repository, as a lifecycle policy sees it.
 *
 * `ImageInventory.fromDescribeImagesOutput` builds these from `aws ecr describe-images` output.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageDetail.html
 */
export interface ImageDetail {
  /**
   * The digest of the image manifest (`imageDigest`), for example `sha256:4f0a...`.
   */
  readonly digest: string;

  /**
   * The tags of the image (`imageTags`).
   *
   * @default - no tags: the image is untagged
   */
  readonly tags?: string[];

  /**
   * When the image was pushed (`imagePushedAt`).
   */
  readonly pushedAt: Date;

  /**
   * When ECR last recorded a pull of the image (`lastRecordedPullTime`).
   *
   * @default - never pulled: `sinceImagePulled` rules use `pushedAt` (or `lastActivatedAt` for a restored image)
   */
  readonly lastPulledAt?: Date;

  /**
   * The storage class the image is in.
   *
   * @default ImageStorageClass.STANDARD
   */
  readonly storageClass?: ImageStorageClass;

  /**
   * When the image was last transitioned to the archive storage class (`lastArchivedAt`).
   *
   * `sinceImageTransitioned` rules count their days from this time.
   *
   * @default - never archived
   */
  readonly lastArchivedAt?: Date;

  /**
   * When the image was last restored from archive to standard storage (`lastActivatedAt`).
   *
   * For a restored image, lifecycle rules use this time instead of `pushedAt` (and instead of
   * `lastPulledAt` when the image was not pulled since it was restored).
   *
   * @default - never restored
   */
  readonly lastActivatedAt?: Date;

  /**
   * The size of the image in bytes (`imageSizeInBytes`), for the preview's freed and archived totals.
   *
   * @default - unknown: counted as 0 bytes
   */
  readonly sizeInBytes?: number;

  /**
   * The media type of the image manifest (`imageManifestMediaType`).
   *
   * An image index (`application/vnd.oci.image.index.v1+json`) or manifest list
   * (`application/vnd.docker.distribution.manifest.list.v2+json`) references other images of the repository,
   * which ECR doesn't expire or archive while it is there.
   *
   * @default - unknown
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
   */
  readonly manifestMediaType?: string;

  /**
   * The digests of the manifests this image index or manifest list references (its `manifests[].digest`).
   *
   * `describe-images` doesn't list them; `ImageInventory.fromDescribeImagesOutput` reads them from
   * `aws ecr batch-get-image` output. An index without them makes the preview mark what it expires or
   * archives in the repository as uncertain.
   *
   * @default - unknown (or not an index)
   */
  readonly manifestDigests?: string[];

  /**
   * The digest of the image this one refers to (`subjectManifestDigest`): set on a signature, SBOM or
   * attestation. ECR expires or archives such a reference artifact with its subject.
   *
   * @default - not a reference artifact
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
   */
  readonly subjectDigest?: string;
}

/**
 * What a lifecycle policy does to one image, and why.
 */
export interface ImageVerdict {
  /**
   * The digest of the image.
   */
  readonly digest: string;

  /**
   * The tags of the image (empty when untagged).
   */
  readonly tags: string[];

  /**
   * The `rulePriority` of the rule that expires or transitions the image (for a reference artifact that
   * follows its subject, the rule that acts on the subject), or, for a kept image, of the highest-priority
   * rule whose selection matches it (and which therefore protects it from lower-priority rules).
   *
   * @default - no rule selects the image
   */
  readonly rulePriority?: number;

  /**
   * Why, in one sentence: the rule and the criterion that acts on the image, or what keeps it.
   */
  readonly reason: string;

  /**
   * The storage class the image is in now (before the policy acts).
   */
  readonly storageClass: ImageStorageClass;

  /**
   * The size of the image in bytes, when the input gave it.
   *
   * @default - unknown
   */
  readonly sizeInBytes?: number;

  /**
   * Why the verdict may not hold, when the preview can't know: for example an image an image index may
   * reference, when the index's manifest was not given.
   *
   * @default - the verdict is certain, as far as ECR documents its behaviour
   */
  readonly caveat?: string;

  /**
   * The digest of an image that stays (kept, or in archive) while this one is expired or archived apart from it:
   * the subject of this signature, SBOM or attestation (verifying the subject's signature then fails), or an
   * image index in archive that references this platform image (the restored index then lacks it).
   *
   * ECR lifecycle rules select reference artifacts as untagged images, with no selector of their own, so an
   * `untagged` rule deletes the signatures of the releases a tagged rule keeps. The verdict's `caveat` says why.
   *
   * @default - the image is not separated from an image it belongs to
   * @see https://github.com/aws/containers-roadmap/issues/2613
   */
  readonly separatedFrom?: string;
}

/**
 * The outcome of previewing a lifecycle policy against a list of images.
 *
 * Each list is ordered as the policy sees the images: newest push first, equal push times by digest (the
 * preview's own tie-break: ECR documents none).
 */
export interface LifecyclePreviewResult {
  /**
   * The images the policy deletes (action `expire`).
   */
  readonly expired: ImageVerdict[];

  /**
   * The images the policy moves to archive storage (action `transition`).
   */
  readonly transitioned: ImageVerdict[];

  /**
   * The images the policy leaves alone.
   */
  readonly kept: ImageVerdict[];

  /**
   * The total size of the expired images, in bytes (images of unknown size count as 0).
   */
  readonly expiredBytes: number;

  /**
   * The total size of the images moved to archive storage, in bytes (images of unknown size count as 0).
   */
  readonly transitionedBytes: number;

  /**
   * The total size of the kept images, in bytes (images of unknown size count as 0).
   */
  readonly keptBytes: number;

  /**
   * What the input may be missing for a faithful preview, and what the policy breaks: for example archive rules
   * but no archived image (`describe-images` lists only ACTIVE images unless asked), image indexes whose manifests
   * were not given, or signatures expired apart from the images they sign (see `ImageVerdict.separatedFrom`).
   */
  readonly warnings: string[];
}

/**
 * Options for previewing a lifecycle policy.
 */
export interface LifecyclePreviewOptions {
  /**
   * The moment the policy is evaluated at: day-based rules measure image ages from it.
   *
   * @default - the current time
   */
  readonly now?: Date;
}
