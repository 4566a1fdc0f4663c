// Safety warnings: valid lifecycle policies that can still delete images their authors mean to keep.
// EcrRepository and creation templates report them as acknowledgeable warnings, once, from the final rule set,
// naming the rules as their errors do; the list and its reasons are in the README.
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

/** A rule of the document and how the warnings name it. */
interface Named {
  readonly rule: PolicyRuleJson;
  readonly name: string;
}

/**
 * The warnings for a valid policy document.
 *
 * @param immutableTags whether the repository's tags are immutable (releases, as in `forProduction`).
 * @param name how to name the rule at `index` of the document's rules, as their problems name it
 */
export function warnings(document: PolicyDocumentJson, immutableTags: boolean, name: (index: number) => string): SafetyWarning[] {
  const named = document.rules.map((rule, index) => ({ rule, name: name(index) }));
  const standard = named.filter(({ rule }) => (rule.selection.storageClass ?? 'standard') === 'standard');
  return [
    ...standard.filter(r => expiresEveryImageByAge(r.rule)).map(r => anyRuleWarning(r, immutableTags)),
    ...standard.filter(r => expiresEveryTaggedImageByAge(r.rule)).map(r => wildcardRuleWarning(r, immutableTags)),
    ...standard.filter(r => keepsNewest(r.rule)).flatMap(keep => standard
      .filter(earlier => earlier.rule.rulePriority < keep.rule.rulePriority && removesByAge(earlier.rule) && coversTags(earlier.rule, keep.rule))
      .map(earlier => undercutWarning(earlier, keep))),
    ...named.filter(r => expiresEveryArchivedImage(r.rule)).map(archiveWarning),
  ];
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

function anyRuleWarning({ rule, name }: Named, immutableTags: boolean): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:anyRuleExpiresByAge',
    message: `${name} expires EVERY image pushed more than ${rule.selection.countNumber} days ago, tagged or not, including images still deployed.${releasesSentence(immutableTags)} Prefer keepLastNImages (which always keeps the newest), or acknowledge this warning.`,
  };
}

function wildcardRuleWarning({ rule, name }: Named, immutableTags: boolean): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:wildcardRuleExpiresByAge',
    message: `${name} expires EVERY tagged image pushed more than ${rule.selection.countNumber} days ago (its tagPatternList ${JSON.stringify(rule.selection.tagPatternList)} matches every tag), including images still deployed.${releasesSentence(immutableTags)} Select the tags to expire (e.g. tagPatternList: ['pr-*']) or keep the newest with maxImageCount, or acknowledge this warning.`,
  };
}

function archiveWarning({ rule, name }: Named): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:archiveRuleExpiresEveryImage',
    message: `${name} deletes EVERY archived image ${rule.selection.countNumber} days after it was archived, tagged or not: after that an archived release can no longer be restored. Select the tags to delete (tagPrefixList or tagPatternList), or acknowledge this warning if archived images are never needed again.`,
  };
}

function undercutWarning(earlier: Named, keep: Named): SafetyWarning {
  return {
    id: 'cdk-secure-ecr:keepRuleUndercut',
    message: `${earlier.name} removes images by age that ${keep.name} is meant to keep: ECR applies the lower rulePriority (${earlier.rule.rulePriority}) first, so images tagged ${keep.rule.selection.tagPrefixList!.map(p => `'${p}*'`).join(' and ')} are removed after ${earlier.rule.selection.countNumber} days even when they are among the newest ${keep.rule.selection.countNumber}. Give the keep rule the lower rulePriority (declare it first), or acknowledge this warning.`,
  };
}

function releasesSentence(immutableTags: boolean): string {
  return immutableTags ? ' With immutable tags these are releases: a rollback or a scale-out to one of them fails.' : '';
}

/**
 * Reports the warnings of the final rule set as acknowledgeable warnings, once, at synthesis (an invalid policy
 * fails synthesis instead): each rule named as its errors name it, by where it was declared and the rulePriority
 * it finally has (`lifecycle rule 1 ('old', rulePriority 4, numbered automatically)`). Immutable tags
 * (`IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION`) make deleting a release worse.
 *
 * @param resource the L1 whose lifecycle policy it is, which the warnings are on: a warning added at synthesis must
 * be below the construct users acknowledge it on (`Annotations.of(repo).acknowledgeWarning(id)` before synthesis),
 * since aws-cdk-lib 2.230 (the floor) matches an earlier acknowledgement only on the ancestors of where a warning is added
 * @param rules the rules as declared, read at synthesis (rules added later change the numbering)
 * @param policy their policy, read at synthesis (the caller's, already rendered for the template)
 */
export function reportAtSynthesis(
  resource: IConstruct, rules: () => readonly EcrLifecycleRule[], policy: () => EcrLifecyclePolicy, mutability: ecr.TagMutability,
): void {
  const immutableTags = mutability === ecr.TagMutability.IMMUTABLE || mutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION;
  resource.node.addValidation({
    validate: () => {
      const declared = [...rules()];
      const final = policy();
      if (declared.length === 0 || final.validate().length > 0) return [];
      const vocabulary = ruleCheck.cdkVocabulary(ruleCheck.numberRules(declared));
      for (const warning of warnings(JSON.parse(final.toJson()), immutableTags, index => vocabulary.ruleWithPriority(index))) {
        Annotations.of(resource).addWarningV2(warning.id, warning.message);
      }
      return [];
    },
  });
}
