// The settings of a repository that both an EcrRepository and a repository creation template (the repositories
// ECR creates by itself) take, documented once: tag mutability, encryption, lifecycle rules, tags and access.
// EcrRepositoryProps and RepositoryCreationTemplateOptions extend it; private/repository-settings.ts checks it.
import { aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { RepositoryAccessProps } from './access/repository-access-props';
import { EcrLifecycleRule } from './lifecycle/lifecycle-rule';

/**
 * The settings of a repository, with the same secure defaults wherever a repository is made: by `EcrRepository`
 * or by ECR from an `EcrRepositoryCreationTemplate`. Every default is written into the template.
 */
export interface RepositorySettingsProps extends RepositoryAccessProps {
  /**
   * Whether a tag can be moved to another image.
   *
   * @default TagMutability.MUTABLE
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
   */
  readonly imageTagMutability?: ecr.TagMutability;

  /**
   * Tags that are exempt from `imageTagMutability`, with `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION`:
   * 1 to 5 filters.
   *
   * With `IMMUTABLE_WITH_EXCLUSION`, a filter that matches every tag (`*`) leaves no tag immutable: it warns
   * (`cdk-secure-ecr:exclusionMatchesEveryTag`), and the presets that promise IMMUTABLE tags refuse it.
   *
   * @default - no exclusions
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
   */
  readonly imageTagMutabilityExclusionFilters?: ecr.ImageTagMutabilityExclusionFilter[];

  /**
   * Encryption at rest.
   *
   * `RepositoryEncryption.KMS` (or `KMS_DSSE`, dual-layer, only in the AWS GovCloud (US) Regions: it warns
   * elsewhere) without an `encryptionKey` creates a customer-managed key with automatic rotation: an
   * `EcrRepository`'s key follows the repository's removal policy; a creation template's key is retained (the
   * images of the repositories it created need it).
   *
   * @default - RepositoryEncryption.KMS when `encryptionKey` is set, otherwise RepositoryEncryption.AES_256
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
   */
  readonly encryption?: ecr.RepositoryEncryption;

  /**
   * Customer-managed KMS key to encrypt the images with, in this region. Implies `RepositoryEncryption.KMS`
   * unless `encryption` is `KMS_DSSE`.
   *
   * @default - no customer key (AES-256; a new rotating key with `RepositoryEncryption.KMS` or `KMS_DSSE`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Lifecycle rules, numbered 1, 2, 3... in the order given, with the `TagStatus.ANY` rule last, and checked
   * (errors at the call, warnings for rules that delete images their author meant to keep at synthesis).
   *
   * Use `EcrLifecycleRules` to build them, or write `EcrLifecycleRule` structs (a plain `aws-ecr` LifecycleRule is one).
   *
   * @default - no lifecycle policy
   */
  readonly lifecycleRules?: EcrLifecycleRule[];

  /**
   * Resource tags of the repository. An `EcrRepository` tags everything it creates with them too (its key, its
   * alert rules), and `Tags.of(repo).add(key, value)` does the same after construction (checked at synthesis).
   *
   * At most 50; keys of 1 to 128 and values of up to 256 Unicode characters, neither starting with `aws:`.
   *
   * @default - no tags
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-using-tags.html
   */
  readonly tags?: { [key: string]: string };
}
