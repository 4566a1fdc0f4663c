// Safety warnings: valid lifecycle policies that can still delete images their authors mean to keep.
// EcrRepository reports them as acknowledgeable warnings; the list and its reasons are in the README.
import { Annotations, aws_ecr as ecr } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EcrLifecycleRule } from '../lifecycle-rule';
import { EcrLifecyclePolicy } from '../policy';
import { PolicyDocumentJson, PolicyRuleJson } from './policy-document';
import * as ruleCheck from './rule-check';

/** One warning: an acknowledgeable id and a message naming the rules and the way out. */
export interface SafetyWarning {
  readonly id: string;
  readonly message: string;
}

const AGE_COUNT_TYPES = ['sinceImagePushed', 'sinceImagePulled'];

/**
 * Whether a rule can take part in any warning: only then is the rule set worth checking again.
 */
export function mayTakePartInWarning(rule: EcrLifecycleRule): boolean {
  if (ruleCheck.shapeProblems(rule, 0).length > 0) return false;
  const json = ruleCheck.renderRule({ rule: ruleCheck.withTagStatus(rule), rulePriority: 1, declaredIndex: 0 });
  return json.selection.tagPrefixList !== undefined || expiresEveryImageByAge(json) || expiresEveryTaggedImageByAge(json)
    || expiresEveryArchivedImage(json);
}

/**
 * The warnings for a valid policy document.
 *
 * @param immutableTags whether the repository's tags are immutable (releases, as in `forProduction`).
 */
export function warnings(document: PolicyDocumentJson, immutableTags: boolean): SafetyWarning[] {
  const standard = document.rules.filter(rule => (rule.selection.storageClass ?? 'standard') === 'standard');
  return [
    ...standard.filter(expiresEveryImageByAge).map(rule => anyRuleWarning(rule, immutableTags)),
    ...standard.filter(expiresEveryTaggedImageByAge).map(rule => wildcardRuleWarning(rule, immutableTags)),
    ...standard.filter(keepsNewest).flatMap(keep => standard
      .filter(earlier => earlier.rulePriority < keep.rulePriority && removesByAge(earlier) && coversTags(earlier, keep))
      .map(earlier => undercutWarning(earlier, keep))),
    ...document.rules.filter(expiresEveryArchivedImage).map(archiveWarning),
  ];
}

function label(rule: PolicyRuleJson): string {
  return rule.description ? `rule ${rule.rulePriority} ('${rule.description}')` : `rule ${rule.rulePriority}`;
}

function removesByAge(rule: PolicyRuleJson): boolean {
  return AGE_COUNT_TYPES.includes(rule.selection.countType);
}

// ECR allows only `sinceImagePushed` with `expire` in standard storage (`sinceImagePulled` only transitions).
function expiresEveryImageByAge(rule: PolicyRuleJson): boolean {
  return rule.selection.tagStatus === 'any' && rule.action.type === 'expire' && rule.selection.countType === 'sinceImagePushed';
}

// A pattern of wildcards only (`*`) matches every tag; a pattern list selects images matching all of its patterns.
function selectsEveryTaggedImage(rule: PolicyRuleJson): boolean {
  const patterns = rule.selection.tagPatternList;
  return rule.selection.tagStatus === 'tagged' && patterns !== undefined && patterns.length > 0
    && patterns.every(pattern => pattern.length > 0 && [...pattern].every(c => c === '*'));
}

function expiresEveryTaggedImageByAge(rule: PolicyRuleJson): boolean {
  return selectsEveryTaggedImage(rule) && rule.action.type === 'expire' && rule.selection.countType === 'sinceImagePushed';
}

// ECR allows only `sinceImageTransitioned` with `expire` in archive storage.
function expiresEveryArchivedImage(rule: PolicyRuleJson): boolean {
  return rule.selection.storageClass === 'archive' && rule.action.type === 'expire'
    && (rule.selection.tagStatus === 'any' || selectsEveryTaggedImage(rule));
}

function keepsNewest(rule: PolicyRuleJson): boolean {
  return rule.selection.tagStatus === 'tagged' && rule.selection.countType === 'imageCountMoreThan'
    && rule.selection.tagPrefixList !== undefined;
}

// Every image the keep rule selects is selected by `earlier` too when each of earlier's prefixes is a prefix
// of one of the keep rule's (prefix lists are AND: an image matches when every entry matches one of its tags).
// Pattern lists are not compared.
function coversTags(earlier: PolicyRuleJson, keep: PolicyRuleJson): boolean {
  const earlierPrefixes = earlier.selection.tagPrefixList;
  if (earlier.selection.tagStatus !== 'tagged' || earlierPrefixes === undefined) return false;
  return earlierPrefixes.every(prefix => keep.selection.tagPrefixList!.some(kept => kept.startsWith(prefix)));
}

function anyRuleWarning(rule: PolicyRuleJson, immutableTags: boolean): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:anyRuleExpiresByAge',
    message: `${label(rule)} expires EVERY image pushed more than ${rule.selection.countNumber} days ago, tagged or not, including images still deployed.${releasesSentence(immutableTags)} Prefer keepLastNImages (which always keeps the newest), or acknowledge this warning.`,
  };
}

function wildcardRuleWarning(rule: PolicyRuleJson, immutableTags: boolean): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:wildcardRuleExpiresByAge',
    message: `${label(rule)} expires EVERY tagged image pushed more than ${rule.selection.countNumber} days ago (its tagPatternList ${JSON.stringify(rule.selection.tagPatternList)} matches every tag), including images still deployed.${releasesSentence(immutableTags)} Select the tags to expire (e.g. tagPatternList: ['pr-*']) or keep the newest with maxImageCount, or acknowledge this warning.`,
  };
}

function archiveWarning(rule: PolicyRuleJson): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:archiveRuleExpiresEveryImage',
    message: `${label(rule)} deletes EVERY archived image ${rule.selection.countNumber} days after it was archived, tagged or not: after that an archived release can no longer be restored. Select the tags to delete (tagPrefixList or tagPatternList), or acknowledge this warning if archived images are never needed again.`,
  };
}

function undercutWarning(earlier: PolicyRuleJson, keep: PolicyRuleJson): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:keepRuleUndercut',
    message: `${label(earlier)} removes images by age that ${label(keep)} is meant to keep: ECR applies rule ${earlier.rulePriority} first, so images tagged ${keep.selection.tagPrefixList!.map(p => `'${p}*'`).join(' and ')} are removed after ${earlier.selection.countNumber} days even when they are among the newest ${keep.selection.countNumber}. Give the keep rule the lower rulePriority (declare it first), or acknowledge this warning.`,
  };
}

function releasesSentence(immutableTags: boolean): string {
  return immutableTags ? ' With immutable tags these are releases: a rollback or a scale-out to one of them fails.' : '';
}

/**
 * Reports the warnings of a valid policy on `scope` as acknowledgeable warnings (an invalid policy fails synthesis
 * instead). Immutable tags (`IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION`) make deleting a release worse.
 */
export function reportWarnings(scope: IConstruct, policy: EcrLifecyclePolicy, mutability: ecr.TagMutability): void {
  if (policy.validate().length > 0) return;
  const immutableTags = mutability === ecr.TagMutability.IMMUTABLE || mutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION;
  for (const warning of warnings(JSON.parse(policy.toJson()), immutableTags)) {
    Annotations.of(scope).addWarningV2(warning.id, warning.message);
  }
}
