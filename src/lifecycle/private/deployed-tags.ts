// The synth-time warning for the most common way a deploy breaks: a workload of the app runs an EcrRepository's
// image by tag, and one of the repository's own rules expires or archives that tag by age. ECS, Lambda and the
// other services pull the image again when a task starts, scales out or a function cold-starts; once the rule
// acts, that pull fails.
// How the tag is found: every aws-cdk-lib path that deploys a repository's image by tag builds the image URI
// with the repository's `repositoryUriForTag` (ecs.ContainerImage.fromEcrRepository and lambda.DockerImageCode.fromEcr
// through `repositoryUriForTagOrDigest`, codebuild.LinuxBuildImage.fromEcrRepository, sagemaker's
// DockerImage.fromEcrRepository, in aws-cdk-lib 2.230 and 2.278 alike). EcrRepository records each URI it
// returns, with its tag; at synthesis the app's workloads are searched for those exact strings:
// `ecs.ContainerDefinition.imageName` (the task definition renders its containers lazily), and the string
// properties of every L1 resource (`CfnFunction.code.imageUri`, `CfnProject.environment.image`, a hand-written
// `CfnTaskDefinition`). The URI is a string with tokens; newer aws-cdk-lib makes new tokens on every call, so
// the exact string is what ties a workload to its repository, not the repository name.
// Which rule: ECR applies rules in priority order and an image is acted on only by the first rule (in standard
// storage) that selects it. That rule warns when it counts days (`sinceImagePushed`, `sinceImagePulled`);
// a count rule (`imageCountMoreThan`) keeps the newest images and does not warn. A digest never warns.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules

import { Annotations, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PolicyRuleJson } from './policy-document';
import * as tagMatcher from './tag-matcher';

/** The warning's id, to acknowledge it. */
export const WARNING_ID = 'cdk-secure-ecr:deployedTagExpires';

const AGE_COUNT_TYPES = ['sinceImagePushed', 'sinceImagePulled'];
/** How deep the properties of an L1 resource are searched: container definitions are 3 levels down. */
const MAX_DEPTH = 6;
/** Members of a CfnResource that are no resource properties (or not public). */
const NOT_PROPERTIES = new Set(['node', 'stack', 'logicalId', 'cfnOptions', 'cfnResourceType', 'dependsOn', 'cfnPropertyNames',
  'logicalIdOverride', 'logicalIdLocked', 'cfnProperties', 'crossStackReferenceStrength']);

/** One workload that deploys the repository's image by tag. */
export interface DeployedTag {
  readonly workload: IConstruct;
  readonly tag: string;
}

/**
 * The workloads under `root` that deploy one of `uris` (image URI to tag), each tag once per workload.
 */
export function deployedTags(root: IConstruct, uris: ReadonlyMap<string, string>): DeployedTag[] {
  const found: DeployedTag[] = [];
  const seen = new Set<string>();
  const add = (workload: IConstruct, uri: string) => {
    const tag = uris.get(uri);
    const key = `${workload.node.path}\u0000${tag}`;
    if (tag !== undefined && !seen.has(key)) {
      seen.add(key);
      found.push({ workload, tag });
    }
  };
  for (const construct of root.node.findAll()) {
    const imageName = (construct as { imageName?: unknown }).imageName;
    if (typeof imageName === 'string' && typeof (construct as { containerName?: unknown }).containerName === 'string') {
      add(construct, imageName); // an ecs.ContainerDefinition
    } else if (CfnResource.isCfnResource(construct)) {
      // On the L1 itself (`Fn/Resource`), so that acknowledging on the L2 (`Fn`) works: aws-cdk-lib 2.230 honours an
      // acknowledgement made before the warning only on a scope above the warned construct.
      for (const name of propertyNames(construct)) {
        visitStrings((construct as unknown as Record<string, unknown>)[name], MAX_DEPTH, (text) => add(construct, text));
      }
    }
  }
  return found;
}

/**
 * The public property names of an L1: its own fields (aws-cdk-lib 2.230: `code`), or the public getters of its
 * `_`-prefixed fields (2.278 stores `_code` behind a `code` getter).
 */
function propertyNames(resource: CfnResource): string[] {
  const names: string[] = [];
  for (const key of Object.keys(resource)) {
    const name = key.startsWith('_') ? key.slice(1) : key;
    if (!NOT_PROPERTIES.has(name) && name in resource) names.push(name);
  }
  return names;
}

/** Calls `visit` with every string in plain objects and arrays under `value` (tokens and class instances are skipped). */
function visitStrings(value: unknown, depth: number, visit: (text: string) => void): void {
  if (typeof value === 'string') {
    visit(value);
  } else if (depth > 0 && Array.isArray(value)) {
    for (const item of value) visitStrings(item, depth - 1, visit);
  } else if (depth > 0 && typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) visitStrings(item, depth - 1, visit);
  }
}

/**
 * The rule that acts on an image tagged `tag` when it counts days: the first rule (by priority) of standard
 * storage that selects the tag, if it is a `sinceImagePushed` or `sinceImagePulled` rule.
 */
export function expiringRule(rules: readonly PolicyRuleJson[], tag: string): PolicyRuleJson | undefined {
  const ordered = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const first = ordered.find((rule) => (rule.selection.storageClass ?? 'standard') === 'standard' && selects(rule, tag));
  return first !== undefined && AGE_COUNT_TYPES.includes(first.selection.countType) ? first : undefined;
}

function selects(rule: PolicyRuleJson, tag: string): boolean {
  const s = rule.selection;
  if (s.tagStatus === 'any') return true;
  if (s.tagStatus !== 'tagged') return false;
  return s.tagPrefixList !== undefined ? tagMatcher.forPrefixes(s.tagPrefixList)([tag]) : tagMatcher.forPatterns(s.tagPatternList ?? [])([tag]);
}

/**
 * Warns on each workload of the app that deploys one of the repository's images by a tag one of `rules` expires
 * or archives by age.
 */
export function reportWarnings(repository: IConstruct, uris: ReadonlyMap<string, string>, rules: readonly PolicyRuleJson[]): void {
  if (uris.size === 0 || rules.length === 0) return;
  for (const { workload, tag } of deployedTags(repository.node.root, uris)) {
    const rule = expiringRule(rules, tag);
    if (rule !== undefined) Annotations.of(workload).addWarningV2(WARNING_ID, message(repository, tag, rule));
  }
}

function message(repository: IConstruct, tag: string, rule: PolicyRuleJson): string {
  const days = rule.selection.countNumber;
  const label = rule.description ? `rule ${rule.rulePriority} ('${rule.description}')` : `rule ${rule.rulePriority}`;
  const verb = rule.action.type === 'transition' ? 'archives' : 'expires';
  const when = rule.selection.countType === 'sinceImagePulled' ? `not pulled for more than ${days} days` : `pushed more than ${days} days ago`;
  return `deploys the image tagged '${tag}' of ${repository.node.path}, whose lifecycle ${label} ${verb} images ${when}: `
    + 'after that, this workload can no longer start, restart or scale out (the pull fails). Deploy by digest, keep the tag with an '
    + 'earlier count rule (keepLastNImages) or leave it out of the rule\'s selection, or acknowledge this warning.';
}
