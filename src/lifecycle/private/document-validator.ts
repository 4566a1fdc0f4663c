// ECR-exact validation of a lifecycle policy document: every constraint the ECR User Guide documents,
// reported all at once, each problem naming the rule (index and rulePriority) and the fix.
// Sources (read whole):
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html (evaluation rules)
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html (properties)
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html (syntax, archive notes)
//   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html (text length)
// Limits ECR does not document are deliberately not checked (see NOT CHECKED below).

import * as documentParser from './document-parser';
import { PolicyDocumentJson, PolicyRuleJson } from './policy-document';
import { ruleName } from './problem-text';
import { isObject } from '../../private/text';

/** `lifecyclePolicyText`: "Length Constraints: Minimum length of 100. Maximum length of 30720." */
const MIN_POLICY_TEXT_LENGTH = 100;
const MAX_POLICY_TEXT_LENGTH = 30_720;
/** "There is a maximum limit of four wildcards (*) per string." */
export const MAX_WILDCARDS_PER_PATTERN = 4;
/** "Images must be in archive storage for a minimum of 90 days before deletion." */
export const MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE = 90;

const TAG_STATUSES = ['tagged', 'untagged', 'any'];
const STORAGE_CLASSES = ['standard', 'archive'];
const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'];
const DAY_COUNT_TYPES = ['sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'];
const ACTION_TYPES = ['expire', 'transition'];

// NOT CHECKED, because ECR documents no limit for them: the number of rules in a policy, the largest
// rulePriority or countNumber, the length of a description, the number of entries in a tag list, the
// content of a prefix or pattern entry (an empty string, or `*` in a prefix), and `targetStorageClass`
// given with an `expire` action (the docs only say it is required for `transition`).
// Not checkable from the document: "If an image is referenced by a manifest list, it cannot be expired
// or archived without the manifest list being deleted or archived first."

/**
 * Every problem of a lifecycle policy document, one sentence each (empty when ECR would accept it).
 *
 * The document may come from untrusted JSON: values of the wrong type are reported, never trusted.
 *
 * @param document the parsed document
 * @param policyText the text ECR receives, for the length limits
 * @default policyText - `JSON.stringify(document)`, the text the construct emits
 */
export function validate(document: PolicyDocumentJson, policyText: string = JSON.stringify(document)): string[] {
  return [...documentProblems(document), ...lengthProblems(policyText)];
}

/**
 * Every problem of the document itself (shape, rules, rule set), without the text length limits:
 * for documents whose final text is not known yet (it still holds unresolved tokens).
 */
export function documentProblems(document: PolicyDocumentJson): string[] {
  const problems = documentParser.shapeProblems(document);
  const rules = Array.isArray(document?.rules) ? document.rules : undefined;
  if (rules === undefined) {
    return problems;
  }
  if (rules.length === 0) {
    problems.push('"rules" is empty: a lifecycle policy contains one or more rules; add a rule');
  }
  rules.forEach((rule, index) => problems.push(...ruleProblems(rule, index)));
  problems.push(...crossRuleProblems(rules));
  return problems;
}

/**
 * The problems of the policy text's length: ECR takes 100 to 30,720 characters.
 */
export function lengthProblems(policyText: string): string[] {
  if (policyText.length < MIN_POLICY_TEXT_LENGTH) {
    return [`the policy text is ${policyText.length} characters; ECR needs at least ${MIN_POLICY_TEXT_LENGTH}: add a rule description`];
  }
  if (policyText.length > MAX_POLICY_TEXT_LENGTH) {
    return [`the policy text is ${policyText.length} characters; ECR accepts at most ${MAX_POLICY_TEXT_LENGTH}: remove rules or shorten descriptions`];
  }
  return [];
}

/**
 * Every problem of lifecycle policy text: malformed JSON, shape, then ECR's constraints.
 */
export function validateText(text: string): string[] {
  const parsed = documentParser.parseJson(text);
  if (parsed.problem !== undefined) {
    return [parsed.problem, ...lengthProblems(text)];
  }
  return validate(parsed.value as PolicyDocumentJson, text);
}

function ruleProblems(rule: PolicyRuleJson, index: number): string[] {
  const problems: string[] = [];
  if (!isObject(rule)) {
    return problems; // reported by the shape check
  }
  const where = ruleName(index, rule);
  const say = (problem: string) => problems.push(`${where}: ${problem}`);

  if (typeof rule.rulePriority === 'number' && !(Number.isInteger(rule.rulePriority) && rule.rulePriority >= 1)) {
    say(`rulePriority must be a whole number >= 1, got ${rule.rulePriority}; rules are applied from 1 upwards`);
  }

  const selection = isObject(rule.selection) ? rule.selection : undefined;
  const action = isObject(rule.action) ? rule.action : undefined;
  const tagStatus = stringOrUndefined(selection?.tagStatus);
  const countType = stringOrUndefined(selection?.countType);
  const storageClass = stringOrUndefined(selection?.storageClass);
  const actionType = stringOrUndefined(action?.type);
  const targetStorageClass = stringOrUndefined(action?.targetStorageClass);

  if (selection !== undefined) {
    const prefixes = selection.tagPrefixList;
    const patterns = selection.tagPatternList;
    if (tagStatus !== undefined && !TAG_STATUSES.includes(tagStatus)) {
      say(`selection.tagStatus must be one of ${quoteAll(TAG_STATUSES)}, got ${JSON.stringify(tagStatus)}`);
    }
    if (tagStatus === 'tagged') {
      if (prefixes !== undefined && patterns !== undefined) {
        say('a tagged rule may specify tagPrefixList or tagPatternList, not both; split it into two rules');
      } else if (prefixes === undefined && patterns === undefined) {
        say('a tagged rule needs a tagPrefixList or a tagPatternList; add one, or use tagStatus "any"');
      }
      if (Array.isArray(prefixes) && prefixes.length === 0) {
        say('selection.tagPrefixList is empty; list at least one tag prefix');
      }
      if (Array.isArray(patterns) && patterns.length === 0) {
        say('selection.tagPatternList is empty; list at least one tag pattern');
      }
    } else if (tagStatus === 'untagged' || tagStatus === 'any') {
      for (const [name, list] of [['tagPrefixList', prefixes], ['tagPatternList', patterns]] as const) {
        if (list !== undefined) {
          say(`selection.${name} may only be used with tagStatus "tagged", got tagStatus "${tagStatus}"; remove ${name} or use "tagged"`);
        }
      }
    }
    if (Array.isArray(patterns)) {
      for (const pattern of patterns) {
        const wildcards = typeof pattern === 'string' ? pattern.split('*').length - 1 : 0;
        if (wildcards > MAX_WILDCARDS_PER_PATTERN) {
          say(`tag pattern ${JSON.stringify(pattern)} has ${wildcards} wildcards (*); ECR allows at most ${MAX_WILDCARDS_PER_PATTERN} per pattern`);
        }
      }
    }

    if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass)) {
      say(`selection.storageClass must be one of ${quoteAll(STORAGE_CLASSES)}, got ${JSON.stringify(storageClass)}`);
    }
    if (countType !== undefined && !COUNT_TYPES.includes(countType)) {
      say(`selection.countType must be one of ${quoteAll(COUNT_TYPES)}, got ${JSON.stringify(countType)}`);
    }
    if (countType === 'sinceImageTransitioned' && storageClass !== 'archive') {
      say(`countType "sinceImageTransitioned" needs selection.storageClass "archive", got ${storageClass === undefined ? 'none (standard)' : JSON.stringify(storageClass)}; set storageClass to "archive"`);
    }
    if (countType !== undefined && countType !== 'sinceImageTransitioned' && COUNT_TYPES.includes(countType) && storageClass === 'archive') {
      say(`countType "${countType}" only selects storage class "standard", got storageClass "archive"; use countType "sinceImageTransitioned" to act on archived images`);
    }

    const isDayCount = countType !== undefined && DAY_COUNT_TYPES.includes(countType);
    if (isDayCount && selection.countUnit === undefined) {
      say(`countType "${countType}" needs selection.countUnit "days"; add "countUnit": "days"`);
    } else if (isDayCount && selection.countUnit !== 'days') {
      say(`selection.countUnit must be "days", got ${JSON.stringify(selection.countUnit)}`);
    } else if (countType === 'imageCountMoreThan' && selection.countUnit !== undefined) {
      say(`selection.countUnit is only used with day-based count types, got ${JSON.stringify(selection.countUnit)} with countType "imageCountMoreThan"; remove countUnit`);
    }

    const countNumber = selection.countNumber;
    if (typeof countNumber === 'number' && !(Number.isInteger(countNumber) && countNumber >= 1)) {
      say(`selection.countNumber must be a whole number >= 1, got ${countNumber}`);
    } else if (
      typeof countNumber === 'number' && countNumber < MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE &&
      countType === 'sinceImageTransitioned' && actionType === 'expire'
    ) {
      say(`archived images can't be expired before ${MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE} days in archive, got countNumber ${countNumber}; use ${MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE} or more`);
    }
  }

  if (action !== undefined) {
    if (actionType !== undefined && !ACTION_TYPES.includes(actionType)) {
      say(`action.type must be one of ${quoteAll(ACTION_TYPES)}, got ${JSON.stringify(actionType)}`);
    }
    if (actionType === 'transition' && action.targetStorageClass === undefined) {
      say('action "transition" needs action.targetStorageClass "archive"; add "targetStorageClass": "archive"');
    }
    if (targetStorageClass !== undefined && targetStorageClass !== 'archive') {
      say(`action.targetStorageClass must be "archive" (the only storage class to transition to), got ${JSON.stringify(targetStorageClass)}`);
    }
  }

  if (countType === 'sinceImagePulled' && actionType === 'expire') {
    say('countType "sinceImagePulled" can only be used with action "transition", got "expire"; to delete unpulled images, transition them to archive, then expire them with "sinceImageTransitioned"');
  }
  if (countType === 'sinceImageTransitioned' && actionType === 'transition') {
    say('countType "sinceImageTransitioned" can only be used with action "expire", got "transition"; archived images can only be expired');
  }
  return problems;
}

function crossRuleProblems(rules: PolicyRuleJson[]): string[] {
  const problems: string[] = [];
  const entries = rules
    .map((rule, index) => ({ rule, index, where: ruleName(index, rule) }))
    .filter(({ rule }) => isObject(rule));

  const byPriority = new Map<number, string[]>();
  for (const { rule, where } of entries) {
    if (typeof rule.rulePriority === 'number') {
      byPriority.set(rule.rulePriority, [...(byPriority.get(rule.rulePriority) ?? []), where]);
    }
  }
  for (const [priority, wheres] of byPriority) {
    if (wheres.length > 1) {
      problems.push(`${wheres.join(' and ')}: rulePriority ${priority} is used ${wheres.length} times; each rule needs a unique rulePriority`);
    }
  }

  for (const storageClass of STORAGE_CLASSES) {
    const inClass = entries.filter(({ rule }) => (rule.selection?.storageClass ?? 'standard') === storageClass);

    const untagged = inClass.filter(({ rule }) => rule.selection?.tagStatus === 'untagged');
    if (untagged.length > 1) {
      problems.push(`${untagged.map((e) => e.where).join(' and ')}: only one rule selecting storage class "${storageClass}" may select untagged images; merge them into one rule`);
    }

    for (const anyRule of inClass.filter(({ rule }) => rule.selection?.tagStatus === 'any')) {
      const priority = anyRule.rule.rulePriority;
      const later = inClass.filter(
        (other) => other !== anyRule && typeof other.rule.rulePriority === 'number' && typeof priority === 'number' && other.rule.rulePriority > priority,
      );
      if (later.length > 0) {
        problems.push(`${anyRule.where}: a rule with tagStatus "any" must have the highest rulePriority of the rules selecting storage class "${storageClass}", but ${later.map((e) => e.where).join(' and ')} come${later.length === 1 ? 's' : ''} after it; give the "any" rule the highest rulePriority`);
      }
    }

    // "The set of all rules selecting a specific storage class must contain a unique set of prefixes."
    const seen = new Map<string, string>();
    for (const { rule, where } of inClass) {
      const prefixes = rule.selection?.tagPrefixList;
      if (rule.selection?.tagStatus !== 'tagged' || !Array.isArray(prefixes) || prefixes.length === 0) {
        continue;
      }
      const key = JSON.stringify([...new Set(prefixes)].sort());
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, where);
      } else {
        problems.push(`${first} and ${where}: both select tag prefixes ${key} in storage class "${storageClass}"; the rules of a storage class need unique sets of tag prefixes, so merge them into one rule`);
      }
    }
  }
  return problems;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function quoteAll(values: string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}
