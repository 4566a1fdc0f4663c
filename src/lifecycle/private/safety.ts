// Safety warnings: valid lifecycle policies that can still delete images their authors mean to keep.
// EcrRepository reports them as acknowledgeable warnings; the list and its reasons are in the README.
import { aws_ecr as ecr } from 'aws-cdk-lib';
import { EcrLifecycleRule } from '../lifecycle-rule';
import { PolicyDocumentJson, PolicyRuleJson } from './policy-document';

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
  const selectsEveryImageByAge = rule.tagPrefixList === undefined && rule.tagPatternList === undefined
    && (rule.tagStatus ?? ecr.TagStatus.ANY) === ecr.TagStatus.ANY && rule.maxImageAge !== undefined;
  return selectsEveryImageByAge || rule.tagPrefixList !== undefined;
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
    ...standard.filter(keepsNewest).flatMap(keep => standard
      .filter(earlier => earlier.rulePriority < keep.rulePriority && removesByAge(earlier) && coversTags(earlier, keep))
      .map(earlier => undercutWarning(earlier, keep))),
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
  const releases = immutableTags ? ' With immutable tags these are releases: a rollback or a scale-out to one of them fails.' : '';
  return {
    id: 'cdk-secure-ecr:anyRuleExpiresByAge',
    message: `${label(rule)} expires EVERY image pushed more than ${rule.selection.countNumber} days ago, tagged or not, including images still deployed.${releases} Prefer keepLastNImages (which always keeps the newest), or acknowledge this warning.`,
  };
}

function undercutWarning(earlier: PolicyRuleJson, keep: PolicyRuleJson): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:keepRuleUndercut',
    message: `${label(earlier)} removes images by age that ${label(keep)} is meant to keep: ECR applies rule ${earlier.rulePriority} first, so images tagged ${keep.selection.tagPrefixList!.map(p => `'${p}*'`).join(' and ')} are removed after ${earlier.selection.countNumber} days even when they are among the newest ${keep.selection.countNumber}. Give the keep rule the lower rulePriority (declare it first), or acknowledge this warning.`,
  };
}
