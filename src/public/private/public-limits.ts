// The limits and checks of ECR Public that EcrPublicRepository's props go through, each coded once: the
// repository name (CreateRepository), the Gallery catalog data (RepositoryCatalogDataInput and the stricter
// AWS::ECR::PublicRepository schema), the registry alias (RegistryAlias), the tags and the one region.
// @see https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_CreateRepository.html
// @see https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_RepositoryCatalogDataInput.html
// @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecr-publicrepository-repositorycatalogdata.html
import { Token } from 'aws-cdk-lib';
import { IMAGE_TAG, PUBLIC_REGISTRY_ALIAS, REPOSITORY_NAME } from '../../private/aws-ids';

/** The only region that has ECR Public repositories (AWS::ECR::PublicRepository). */
export const PUBLIC_REGION = 'us-east-1';

/** CreateRepository: "Minimum length of 2. Maximum length of 205." (CloudFormation's schema allows 256.) */
const NAME_MIN = 2;
const NAME_MAX = 205;
/** The most characters of each Gallery text: the CloudFormation schema's maxLength (the API allows more for about/usage). */
export const DESCRIPTION_MAX = 1024;
export const ABOUT_TEXT_MAX = 10240;
export const USAGE_TEXT_MAX = 10240;
/** Architectures and operating systems: at most 50 items, each 1 to 50 characters, no repeats. */
const BADGES_MAX = 50;
const BADGE_LENGTH_MAX = 50;
/** RegistryAlias name: 2 to 50 characters (the pattern is PUBLIC_REGISTRY_ALIAS). */
const ALIAS_MAX = 50;
/** AWS::ECR::PublicRepository Tag: Key 1 to 127, Value 1 to 255 characters (stricter than a private repository's). */
const TAG_KEY_MAX = 127;
const TAG_VALUE_MAX = 255;

/** The problems of a repository name, as ECR Public's CreateRepository checks it; none for a token. */
export function nameProblems(name: string | undefined): string[] {
  if (name === undefined || Token.isUnresolved(name)) return [];
  const problems: string[] = [];
  if (name.length < NAME_MIN || name.length > NAME_MAX) {
    problems.push(`repositoryName must be ${NAME_MIN} to ${NAME_MAX} characters long (an ECR Public limit), got ${name.length}`);
  }
  if (!REPOSITORY_NAME.test(name)) {
    problems.push(`repositoryName '${name}' is not a valid ECR Public name: use lowercase letters and digits, separated by single '.', '_' or '-', `
      + "with '/' between namespaces (e.g. 'project-a/nginx-web-app')");
  }
  return problems;
}

/** The problems of one Gallery text: at most `max` characters; none for a token. */
export function textProblems(prop: string, text: string | undefined, max: number): string[] {
  if (text === undefined || Token.isUnresolved(text)) return [];
  const length = [...text].length;
  return length > max ? [`${prop} must be at most ${max} characters (the AWS::ECR::PublicRepository limit), got ${length}`] : [];
}

/** The problems of a list of Gallery badges (architectures or operating systems). */
export function badgeProblems(prop: string, values: readonly string[]): string[] {
  const problems = values.length > BADGES_MAX ? [`${prop}: at most ${BADGES_MAX} values, got ${values.length}`] : [];
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (Token.isUnresolved(value)) return;
    if (value.length < 1 || value.length > BADGE_LENGTH_MAX) {
      problems.push(`${prop}[${i}]: '${value}' must be 1 to ${BADGE_LENGTH_MAX} characters long`);
    }
    if (seen.has(value)) {
      problems.push(`${prop}[${i}]: '${value}' is listed twice; list it once`);
    }
    seen.add(value);
  });
  return problems;
}

/** The problems of a registry alias, as ECR Public's RegistryAlias defines it; none for a token. */
export function aliasProblems(alias: string | undefined): string[] {
  if (alias === undefined || Token.isUnresolved(alias)) return [];
  return alias.length > ALIAS_MAX || !PUBLIC_REGISTRY_ALIAS.test(alias)
    ? [`registryAlias '${alias}' is not a registry alias: use 2 to ${ALIAS_MAX} characters, a lowercase letter first, then lowercase letters `
      + "and digits, separated by single '.', '_' or '-' (the alias in public.ecr.aws/<alias>/<name>, e.g. 'my-team')"]
    : [];
}

/** The problems of an image tag for `repositoryUriForTag`; none for a token. */
export function imageTagProblems(tag: string): string[] {
  if (Token.isUnresolved(tag) || IMAGE_TAG.test(tag)) return [];
  return [`tag '${tag}' is not an image tag: use 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`];
}

/** The tag limits of AWS::ECR::PublicRepository that are stricter than ECR's general ones (`private/tags.ts`). */
export function publicTagProblems(tags: Record<string, string>): string[] {
  return Object.entries(tags).flatMap(([key, value]) => {
    const problems: string[] = [];
    if (!Token.isUnresolved(key) && [...key].length > TAG_KEY_MAX) {
      problems.push(`tags: key '${key}' must be at most ${TAG_KEY_MAX} characters on a public repository, got ${[...key].length}`);
    }
    if (!Token.isUnresolved(value) && ([...value].length < 1 || [...value].length > TAG_VALUE_MAX)) {
      problems.push(`tags: the value of '${key}' must be 1 to ${TAG_VALUE_MAX} characters on a public repository, got ${[...value].length}`);
    }
    return problems;
  });
}
