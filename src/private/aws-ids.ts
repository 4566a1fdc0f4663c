// What AWS's own identifiers look like, checked once for every prop that takes one: account ids, regions,
// organization ids, repository names and the filters and prefixes that match them.
// Every pattern here sees user input, so each must run in linear time: no quantified group whose body can
// match the same text in two ways (test/private/aws-ids.test.ts times long near-misses for each export).
import { Token } from 'aws-cdk-lib';

/** What an AWS region name looks like: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
export const REGION = /^[a-z]{2,4}(-(gov|iso|isob|isoe|isof))?-[a-z]+-\d{1,2}$/;

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** An AWS Organizations id: `o-` and 10 to 32 lower-case letters or digits. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * An ECR repository name (the pattern of CreateRepository's repositoryName): lower-case name parts separated
 * by single `.`, `_` or `-`, with `/` between namespaces.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
export const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * A registry scanning filter: ECR's ScanningRepositoryFilter pattern `^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`
 * (runs of name characters and `*`, single separators between them), rewritten so that it cannot backtrack
 * exponentially: ECR's own form splits a run of letters in exponentially many ways before it fails.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ScanningRepositoryFilter.html
 */
export const SCANNING_FILTER = /^[a-z0-9*]+(?:[._\-/][a-z0-9*]+)*$/;

/**
 * A replication repository filter: the start of a repository name (the pattern of RepositoryFilter).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RepositoryFilter.html
 */
export const REPLICATION_PREFIX = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

/**
 * A pull through cache repository prefix (the pattern of CreatePullThroughCacheRule's ecrRepositoryPrefix).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
 */
export const CACHE_PREFIX = /^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*\/?|ROOT)$/;

/**
 * A repository creation template prefix (the pattern of CreateRepositoryCreationTemplate's prefix), or `ROOT`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html
 */
export const TEMPLATE_PREFIX = /^(?:[a-z0-9]+(?:(?:\.|__?|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|__?|-+)[a-z0-9]+)*)*\/?|ROOT)$/;

/**
 * A signing repository filter (the pattern of SigningRepositoryFilter's filter): a repository name with `*` wildcards.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SigningRepositoryFilter.html
 */
export const SIGNING_FILTER = /^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*\/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$/;

/** An AWS Signer profile name, as the signing configuration's profile ARN pattern allows it. */
export const SIGNING_PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/;

/**
 * The ARN of an IAM role or user (the pattern of RegisterPullTimeUpdateExclusion's principalArn).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RegisterPullTimeUpdateExclusion.html
 */
export const ROLE_OR_USER_ARN = /^arn:aws(?:-[a-z]+)*:iam::[0-9]{12}:(?:role|user)\/[\w+=,.@-]+(?:\/[\w+=,.@-]+)*$/;

/**
 * An ECR repository ARN; its account is the first group. The partition, region and account may be anything but
 * `:`, `*` and `?` (a pseudo parameter, flattened, stands there).
 */
export const REPOSITORY_ARN = /^arn:[^:*?]+:ecr:[^:*?]+:([^:*?]+):repository\/.+$/;

/** An ECR Public registry alias: `[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*` (a separator splits the groups). */
export const PUBLIC_REGISTRY_ALIAS = /^[a-z][a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** An image tag as Docker and ECR accept it: up to 128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`. */
export const IMAGE_TAG = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/;

/** An image manifest digest as ECR writes it: `sha256:` and 64 lowercase hex digits. */
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * An Amazon ECR private registry host, capturing its registry id (the account): `<account>.dkr.ecr.<region>.amazonaws.com`
 * (`.amazonaws.com.cn` in China, `dkr.ecr-fips` for FIPS endpoints, `<account>.dkr-ecr.<region>.on.aws` for dual-stack).
 */
export const ECR_REGISTRY_HOST = /^(\d{12})\.dkr[.-]ecr(?:-fips)?\.[a-z0-9-]+\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;

/** The ARN of one ECR image as Amazon Inspector names it: `arn:<partition>:ecr:<region>:<account>:repository/<name>/sha256:<hex>`. */
export const ECR_IMAGE_ARN = /^arn:([^:]+):ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)\/(sha256:[a-f0-9]{64})$/;

/** A Microsoft Azure Container Registry name: 5 to 50 letters and digits. */
export const AZURE_REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;

/**
 * The repository names under a prefix, as a resource name with a wildcard: `prod` and `prod/` give `prod/*`
 * (ECR adds the `/` to a template or pull through cache prefix), `ROOT` gives `*` (every repository).
 */
export function repositoriesUnder(prefix: string): string {
  return prefix === 'ROOT' ? '*' : `${prefix.replace(/\/$/, '')}/*`;
}

/** True when the value is a literal (not a token) that does not look like an AWS region. */
export function isBadRegion(value: string): boolean {
  return !Token.isUnresolved(value) && !REGION.test(value);
}

/** True when the value is a literal (not a token) that is not a 12-digit AWS account id. */
export function isBadAccount(value: string): boolean {
  return !Token.isUnresolved(value) && !ACCOUNT_ID.test(value);
}

/**
 * True when the value is a literal that is not a pull through cache prefix: 2 to 30 characters of `CACHE_PREFIX`
 * (`*`, an empty prefix, `/` and spaces are refused, as ECR refuses them).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
 */
export function isBadCachePrefix(value: string): boolean {
  return !Token.isUnresolved(value) && (value.length < 2 || value.length > 30 || !CACHE_PREFIX.test(value));
}
