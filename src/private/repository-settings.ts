// Checks of the repository settings that an EcrRepository and a repository creation template share: tag
// mutability and its exclusion filters, encryption and its key, resource tags. One source for both.
import { Annotations, aws_ecr as ecr, aws_kms as kms, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import * as keys from './keys';
import { implementing, instanceOf, listOf, mapOf, oneOf, Schema, string } from './prop-types';
import { tagProblems } from './tags';
import { RepositoryAccessProps } from '../access/repository-access-props';
import { RepositorySettingsProps } from '../repository-settings-props';

/** ECR allows 1 to 5 exclusion filters, and only with a `*_WITH_EXCLUSION` mode. */
const MAX_EXCLUSION_FILTERS = 5;

/** The settings both kinds of props have, under the same names. */
export type RepositorySettings = Omit<RepositorySettingsProps, keyof RepositoryAccessProps | 'lifecycleRules'>;

/** How a repository, or the repositories a template creates, are encrypted: decided once, here, for both. */
export interface ResolvedEncryption {
  /** `encryption`, or its default: KMS with a key, AES-256 without. */
  readonly encryption: ecr.RepositoryEncryption;
  /** Whether the encryption takes a KMS key (KMS or KMS_DSSE). */
  readonly withKey: boolean;
  /** `encryptionKey`, or the key created for KMS or KMS_DSSE without one. */
  readonly key?: kms.IKey;
  /** The key created here, if any. */
  readonly createdKey?: kms.Key;
}

/**
 * The encryption of the settings: the default, and for KMS or KMS_DSSE without an `encryptionKey` a rotating
 * key created as `scope`'s child `Key`; KMS_DSSE outside the AWS GovCloud (US) Regions warns
 * (`cdk-secure-ecr:dsseRegion`): "Dual-layer server-side encryption with AWS KMS (DSSE-KMS) is only available in
 * the AWS GovCloud (US) Regions."
 *
 * @param description the created key's description
 * @param removalPolicy the created key's removal policy
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 */
export function resolveEncryption(scope: Construct, settings: RepositorySettings, description: string,
  removalPolicy: RemovalPolicy): ResolvedEncryption {
  const encryption = settings.encryption ?? (settings.encryptionKey ? ecr.RepositoryEncryption.KMS : ecr.RepositoryEncryption.AES_256);
  const withKey = encryption.value !== ecr.RepositoryEncryption.AES_256.value;
  const createdKey = settings.encryptionKey === undefined && withKey
    ? keys.createRotatingKey(scope, 'Key', description, removalPolicy)
    : undefined;
  const region = Stack.of(scope).region;
  if (encryption.value === ecr.RepositoryEncryption.KMS_DSSE.value && !Token.isUnresolved(region) && !region.startsWith('us-gov-')) {
    Annotations.of(scope).addWarningV2('cdk-secure-ecr:dsseRegion', 'encryption KMS_DSSE is only available in the AWS GovCloud (US) '
      + `Regions, and this stack deploys to ${region}: creating the repository will fail there. Use RepositoryEncryption.KMS, or acknowledge `
      + 'this warning if DSSE-KMS has come to your region.');
  }
  return { encryption, withKey, key: settings.encryptionKey ?? createdKey, createdKey };
}

/** An exclusion filter of only `*`: tags are letters, digits, `.`, `_` and `-`, so it matches every one of them. */
const EVERY_TAG = /^\*+$/;

/**
 * The tag immutability that the rendered repository or template finally has, checked at synthesis: with
 * `IMMUTABLE_WITH_EXCLUSION`, an exclusion filter that matches every tag (`*`, `**`) leaves no tag immutable.
 * That warns (`cdk-secure-ecr:exclusionMatchesEveryTag`) on `resource`, below the construct users acknowledge it
 * on; where a preset promises IMMUTABLE tags (`promisedBy`, e.g. `forCompliance`), it is an error, returned for
 * `node.addValidation`.
 *
 * @param resource the L1 (`CfnRepository`, `CfnRepositoryCreationTemplate`)
 * @param properties its properties as the template finally says them (`final-template.ts`'s `rendered`)
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
 */
export function immutabilityProblems(resource: IConstruct, properties: Record<string, unknown>, promisedBy?: string): string[] {
  if (properties.ImageTagMutability !== ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION) {
    return [];
  }
  const rendered: unknown[] = [properties.ImageTagMutabilityExclusionFilters ?? []].flat();
  const everyTag = rendered
    .map(f => (f as { ImageTagMutabilityExclusionFilterValue?: unknown } | undefined)?.ImageTagMutabilityExclusionFilterValue)
    .filter((value): value is string => typeof value === 'string' && EVERY_TAG.test(value));
  if (everyTag.length === 0) {
    return [];
  }
  const filter = everyTag.map(v => `'${v}'`).join(', ');
  const problem = `the exclusion filter ${filter} of IMMUTABLE_WITH_EXCLUSION matches every tag, so no tag is immutable: any tag can be `
    + 'moved to another image';
  if (promisedBy !== undefined) {
    return [`${promisedBy} promises IMMUTABLE tags, but ${problem}. Exclude only the tags that must move (e.g. `
      + "ImageTagMutabilityExclusionFilter.wildcard('latest')), or use new EcrRepository(...) for mutable tags"];
  }
  Annotations.of(resource).addWarningV2('cdk-secure-ecr:exclusionMatchesEveryTag', `${problem[0].toUpperCase()}${problem.slice(1)}. `
    + "Exclude only the tags that must move (e.g. ImageTagMutabilityExclusionFilter.wildcard('latest')), use TagMutability.MUTABLE to "
    + 'say so, or acknowledge this warning.');
  return [];
}

/** The types of the shared settings (`checkProps` refuses a wrong one before `settingsProblems` runs). */
export const SETTINGS_TYPES: Schema = {
  imageTagMutability: oneOf('TagMutability', Object.values(ecr.TagMutability)),
  imageTagMutabilityExclusionFilters: listOf(instanceOf('ImageTagMutabilityExclusionFilter', ecr.ImageTagMutabilityExclusionFilter,
    "use ImageTagMutabilityExclusionFilter.wildcard('latest')")),
  encryption: instanceOf('RepositoryEncryption', ecr.RepositoryEncryption, 'use RepositoryEncryption.AES_256, KMS or KMS_DSSE'),
  encryptionKey: implementing('kms.IKey', { keyArn: 'string', grant: 'function' }, 'pass a kms.Key, or kms.Key.fromKeyArn(...) for an existing key'),
  tags: mapOf(string),
};

/** Every problem with the shared settings, each naming the prop, the bad value and the fix. */
export function settingsProblems(props: RepositorySettings): string[] {
  const problems: string[] = [];
  const encryptions = [ecr.RepositoryEncryption.AES_256, ecr.RepositoryEncryption.KMS, ecr.RepositoryEncryption.KMS_DSSE].map(e => e.value);
  if (props.encryption !== undefined && !encryptions.includes(props.encryption.value)) {
    problems.push(`encryption: '${props.encryption.value}' is not an encryption ECR knows; use RepositoryEncryption.AES_256, KMS or KMS_DSSE`);
  }
  if (props.encryptionKey && props.encryption?.value === ecr.RepositoryEncryption.AES_256.value) {
    problems.push(`encryptionKey needs encryption: RepositoryEncryption.KMS or KMS_DSSE, got ${props.encryption.value}; remove encryption or set it to KMS`);
  }
  const withExclusion = props.imageTagMutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION
    || props.imageTagMutability === ecr.TagMutability.MUTABLE_WITH_EXCLUSION;
  const filters = props.imageTagMutabilityExclusionFilters;
  if (filters !== undefined && !withExclusion) {
    problems.push(`imageTagMutabilityExclusionFilters need imageTagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, got ${props.imageTagMutability ?? 'MUTABLE (the default)'}`);
  }
  if (withExclusion && (filters === undefined || filters.length === 0)) {
    problems.push(`imageTagMutability ${props.imageTagMutability} needs 1 to ${MAX_EXCLUSION_FILTERS} imageTagMutabilityExclusionFilters, e.g. [ImageTagMutabilityExclusionFilter.wildcard('latest')]`);
  }
  if (filters !== undefined && filters.length > MAX_EXCLUSION_FILTERS) {
    problems.push(`imageTagMutabilityExclusionFilters allows at most ${MAX_EXCLUSION_FILTERS} filters, got ${filters.length}`);
  }
  problems.push(...tagProblems(props.tags ?? {}));
  return problems;
}
