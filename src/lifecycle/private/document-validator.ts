// Every ECR lifecycle policy constraint, coded once, on the JSON ECR reads: EcrLifecyclePolicy.fromJson, the CLI and
// the simulator check policy text with it, and the CDK rules (fromRules, EcrRepository, the EcrLifecycleRules
// helpers) are rendered to that JSON and checked with it too. A Vocabulary (problem-text.ts) makes each problem
// name the rule and its fields the way their author wrote them. Reported all at once, each with the fix.
// ECR's numbers are in limits.ts. Sources (read whole):
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html (evaluation rules)
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html (properties)
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html (syntax, archive notes)
//   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html (text length)
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html (rules per policy)

import * as documentParser from './document-parser';
import * as limits from './limits';
import { PolicyDocumentJson, PolicyRuleJson } from './policy-document';
import { jsonVocabulary, RuleField, Vocabulary } from './problem-text';
import { isObject } from '../../private/text';

const TAG_STATUSES = ['tagged', 'untagged', 'any'];
const STORAGE_CLASSES = ['standard', 'archive'];
const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'];
const DAY_COUNT_TYPES = ['sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'];
const ACTION_TYPES = ['expire', 'transition'];

// NOT CHECKED, because ECR documents no limit for them: the largest rulePriority or countNumber, the length of a
// description, the number of entries in a tag list, `*` in a prefix, and `targetStorageClass` given with an
// `expire` action (the docs only say it is required for `transition`).
// Refused although ECR documents no rule for it: an empty (or blank) prefix or pattern entry. An empty prefix
// selects every tagged image, an empty pattern none; neither is what its author meant.
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
  const problems = documentProblems(document);
  if (!Array.isArray(document?.rules)) {
    return [...problems, ...lengthProblems(policyText)];
  }
  // A policy without rules is refused for that; its text is short because it is empty.
  const count = ruleCountProblems(document.rules.length);
  return [...count, ...problems, ...(document.rules.length === 0 ? [] : lengthProblems(policyText))];
}

/**
 * Every problem of the document itself (shape, each rule, the rule set), without the limits on the number of
 * rules and the text's length: for documents whose final text is not known yet (it still holds unresolved
 * tokens), or that leave out rules which could not be rendered.
 *
 * @param vocabulary how problems name the rules; by default as the JSON does
 */
export function documentProblems(document: PolicyDocumentJson, vocabulary?: Vocabulary): string[] {
  const problems = documentParser.shapeProblems(document);
  const rules = Array.isArray(document?.rules) ? document.rules : undefined;
  if (rules === undefined) {
    return problems;
  }
  const words = vocabulary ?? jsonVocabulary(rules);
  rules.forEach((rule, index) => problems.push(...ruleProblems(rule, index, words)));
  problems.push(...crossRuleProblems(rules, words));
  return problems;
}

/** The problems of the number of rules: ECR takes 1 (a shorter text is refused) to 50. */
export function ruleCountProblems(count: number): string[] {
  if (count === 0) {
    const text = JSON.stringify({ rules: [] });
    return [`a lifecycle policy needs at least one rule, got none: ECR refuses its text ${text}, which is shorter than ${limits.MIN_POLICY_TEXT_LENGTH} characters; add a rule, or set no lifecycle policy`];
  }
  if (count > limits.MAX_RULES_PER_POLICY) {
    return [`a lifecycle policy holds at most ${limits.MAX_RULES_PER_POLICY} rules (an ECR service quota that cannot be raised), got ${count}; merge rules, e.g. list several prefixes in one tagPrefixList`];
  }
  return [];
}

/**
 * The problems of the policy text's length: ECR takes 100 to 30,720 characters.
 */
export function lengthProblems(policyText: string): string[] {
  if (policyText.length < limits.MIN_POLICY_TEXT_LENGTH) {
    return [`the policy text is ${policyText.length} characters; ECR needs at least ${limits.MIN_POLICY_TEXT_LENGTH}: add a rule description`];
  }
  if (policyText.length > limits.MAX_POLICY_TEXT_LENGTH) {
    return [`the policy text is ${policyText.length} characters; ECR accepts at most ${limits.MAX_POLICY_TEXT_LENGTH}: remove rules or shorten descriptions`];
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

/**
 * Every problem of one rule on its own (not of the rule set), each starting with the rule's name.
 *
 * @param rule a rule of the document; values of the wrong type are left to the shape check
 * @param index its index in the document's rules
 * @param vocabulary how problems name the rule, its fields and values
 */
export function ruleProblems(rule: PolicyRuleJson, index: number, vocabulary: Vocabulary): string[] {
  const problems: string[] = [];
  if (!isObject(rule)) {
    return problems; // reported by the shape check
  }
  const say = (problem: string) => problems.push(`${vocabulary.rule(index)}: ${problem}`);
  const field = (name: RuleField) => vocabulary.field(index, name);
  const value = (name: RuleField, v: unknown) => vocabulary.value(index, name, v);
  const setting = (name: RuleField, v: unknown) => vocabulary.setting(index, name, v);

  if (typeof rule.rulePriority === 'number' && !isWholeNumber(rule.rulePriority)) {
    say(`${field('rulePriority')} must be a whole number >= ${limits.MIN_WHOLE_NUMBER}, got ${value('rulePriority', rule.rulePriority)}; rules are applied from ${limits.MIN_WHOLE_NUMBER} upwards`);
  }

  const selection = isObject(rule.selection) ? rule.selection : undefined;
  const action = isObject(rule.action) ? rule.action : undefined;
  const tagStatus = stringOrUndefined(selection?.tagStatus);
  const countType = stringOrUndefined(selection?.countType);
  const storageClass = stringOrUndefined(selection?.storageClass);
  const actionType = stringOrUndefined(action?.type);
  const targetStorageClass = stringOrUndefined(action?.targetStorageClass);

  if (selection !== undefined) {
    const lists = [
      ['selection.tagPrefixList', selection.tagPrefixList, 'prefix such as \'feature-\''],
      ['selection.tagPatternList', selection.tagPatternList, 'pattern such as \'release-*\''],
    ] as const;
    if (tagStatus !== undefined && !TAG_STATUSES.includes(tagStatus)) {
      say(`${field('selection.tagStatus')} must be one of ${quoteAll(TAG_STATUSES)}, got ${value('selection.tagStatus', tagStatus)}`);
    }
    if (tagStatus === 'tagged') {
      if (selection.tagPrefixList !== undefined && selection.tagPatternList !== undefined) {
        say(`a rule may have ${field('selection.tagPrefixList')} or ${field('selection.tagPatternList')}, not both; split it into two rules`);
      } else if (selection.tagPrefixList === undefined && selection.tagPatternList === undefined) {
        say(`${setting('selection.tagStatus', 'tagged')} needs a ${field('selection.tagPrefixList')} or a ${field('selection.tagPatternList')}; add one, or use ${setting('selection.tagStatus', 'any')}`);
      }
      for (const [name, list] of lists) {
        if (Array.isArray(list) && list.length === 0) {
          say(`${field(name)} is empty; list at least one tag ${name === 'selection.tagPrefixList' ? 'prefix' : 'pattern'}`);
        }
      }
    } else if (tagStatus === 'untagged' || tagStatus === 'any') {
      for (const [name, list] of lists) {
        if (list !== undefined) {
          say(`${field(name)} may only be used with ${setting('selection.tagStatus', 'tagged')}, got ${setting('selection.tagStatus', tagStatus)}; remove ${field(name)} or use ${setting('selection.tagStatus', 'tagged')}`);
        }
      }
    }
    for (const [name, list, example] of lists) {
      const entry = `${name}[]` as RuleField;
      for (const item of Array.isArray(list) ? list : []) {
        if (typeof item === 'string' && item.trim().length === 0) {
          say(`${field(entry)} must be a non-empty tag ${example}, got ${value(entry, item)}`);
        }
      }
    }
    for (const pattern of Array.isArray(selection.tagPatternList) ? selection.tagPatternList : []) {
      const wildcards = typeof pattern === 'string' ? pattern.split('*').length - 1 : 0;
      if (wildcards > limits.MAX_WILDCARDS_PER_PATTERN) {
        say(`tag pattern ${value('selection.tagPatternList[]', pattern)} has ${wildcards} wildcards (*); ECR allows at most ${limits.MAX_WILDCARDS_PER_PATTERN} per pattern`);
      }
    }

    if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass)) {
      say(`${field('selection.storageClass')} must be one of ${quoteAll(STORAGE_CLASSES)}, got ${value('selection.storageClass', storageClass)}`);
    }
    if (countType !== undefined && !COUNT_TYPES.includes(countType)) {
      say(`${field('selection.countType')} must be one of ${quoteAll(COUNT_TYPES)}, got ${value('selection.countType', countType)}`);
    }
    if (countType === 'sinceImageTransitioned' && storageClass !== 'archive') {
      say(`${setting('selection.countType', countType)} needs ${setting('selection.storageClass', 'archive')}, got ${storageClass === undefined ? 'none (standard)' : setting('selection.storageClass', storageClass)}; select archived images with ${setting('selection.storageClass', 'archive')}`);
    }
    if (countType !== undefined && countType !== 'sinceImageTransitioned' && COUNT_TYPES.includes(countType) && storageClass === 'archive') {
      say(`${setting('selection.countType', countType)} only selects images in ${setting('selection.storageClass', 'standard')}, got ${setting('selection.storageClass', storageClass)}; use ${setting('selection.countType', 'sinceImageTransitioned')} to act on archived images`);
    }

    const isDayCount = countType !== undefined && DAY_COUNT_TYPES.includes(countType);
    if (isDayCount && selection.countUnit === undefined) {
      say(`${setting('selection.countType', countType)} needs ${setting('selection.countUnit', 'days')}; add "countUnit": "days"`);
    } else if (isDayCount && selection.countUnit !== 'days') {
      say(`${field('selection.countUnit')} must be "days", got ${value('selection.countUnit', selection.countUnit)}`);
    } else if (countType === 'imageCountMoreThan' && selection.countUnit !== undefined) {
      say(`${field('selection.countUnit')} is only used with day-based count types, got ${value('selection.countUnit', selection.countUnit)} with ${setting('selection.countType', countType)}; remove countUnit`);
    }

    const countNumber = selection.countNumber;
    if (typeof countNumber === 'number' && !isWholeNumber(countNumber)) {
      say(`${field('selection.countNumber')} must be a whole number >= ${limits.MIN_WHOLE_NUMBER}, got ${value('selection.countNumber', countNumber)}`);
    } else if (
      typeof countNumber === 'number' && countNumber < limits.MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE &&
      countType === 'sinceImageTransitioned' && actionType === 'expire'
    ) {
      say(`${field('selection.countNumber')} must be at least ${limits.MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE} (ECR keeps archived images ${limits.MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE} days before they can be deleted), got ${value('selection.countNumber', countNumber)}`);
    }
  }

  if (action !== undefined) {
    if (actionType !== undefined && !ACTION_TYPES.includes(actionType)) {
      say(`${field('action.type')} must be one of ${quoteAll(ACTION_TYPES)}, got ${value('action.type', actionType)}`);
    }
    if (actionType === 'transition' && action.targetStorageClass === undefined) {
      say(`${setting('action.type', 'transition')} needs ${setting('action.targetStorageClass', 'archive')}; add "targetStorageClass": "archive"`);
    }
    if (targetStorageClass !== undefined && targetStorageClass !== 'archive') {
      say(`${field('action.targetStorageClass')} must be "archive" (the only storage class to transition to), got ${value('action.targetStorageClass', targetStorageClass)}`);
    }
  }

  if (countType === 'sinceImagePulled' && actionType === 'expire') {
    say(`${setting('selection.countType', countType)} can only be used with ${setting('action.type', 'transition')}, got ${setting('action.type', actionType)}; to delete unpulled images, transition them to archive, then expire them with ${setting('selection.countType', 'sinceImageTransitioned')}`);
  }
  if (countType === 'sinceImageTransitioned' && actionType === 'transition') {
    say(`${setting('selection.countType', countType)} can only be used with ${setting('action.type', 'expire')}, got ${setting('action.type', actionType)}; archived images can only be expired`);
  }
  return problems;
}

// "When you add rules to a lifecycle policy, you must give them each a unique value for rulePriority. [...]
// A rule with a tagStatus value of any must have the highest value for rulePriority and be evaluated last."
// Archived images are selected by rules of their own (storageClass "archive"), so each storage class has its own
// last rule and its own untagged rule.
function crossRuleProblems(rules: PolicyRuleJson[], vocabulary: Vocabulary): string[] {
  const problems: string[] = [];
  const entries = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => isObject(rule));
  const names = (some: { index: number }[]) => some.map(e => vocabulary.ruleWithPriority(e.index)).join(' and ');
  const setting = (field: RuleField, value: string) => vocabulary.setting(0, field, value);
  const isAny = (rule: PolicyRuleJson) => rule.selection?.tagStatus === 'any';

  const byPriority = new Map<number, typeof entries>();
  for (const entry of entries) {
    if (typeof entry.rule.rulePriority === 'number') {
      byPriority.set(entry.rule.rulePriority, [...(byPriority.get(entry.rule.rulePriority) ?? []), entry]);
    }
  }
  for (const [priority, same] of byPriority) {
    if (same.length > 1) {
      const anyLast = same.some(e => isAny(e.rule)) ? `, and a rule with ${setting('selection.tagStatus', 'any')} must come last` : '';
      problems.push(`${names(same)}: rulePriority ${priority} is used ${same.length} times, but each rule needs a unique one${anyLast}; ${vocabulary.priorityFix}`);
    }
  }

  for (const storageClass of STORAGE_CLASSES) {
    const inClass = entries.filter(({ rule }) => (rule.selection?.storageClass ?? 'standard') === storageClass);
    const storage = `storage class ${vocabulary.value(0, 'selection.storageClass', storageClass)}`;

    for (const tagStatus of ['any', 'untagged']) {
      const same = inClass.filter(({ rule }) => rule.selection?.tagStatus === tagStatus);
      if (same.length > 1) {
        problems.push(`${names(same)}: only one rule of ${storage} may have ${setting('selection.tagStatus', tagStatus)}; merge them into one rule`);
      }
    }

    for (const anyRule of inClass.filter(({ rule }) => isAny(rule))) {
      const priority = anyRule.rule.rulePriority;
      const later = inClass.filter(
        (other) => !isAny(other.rule) && typeof other.rule.rulePriority === 'number' && typeof priority === 'number' && other.rule.rulePriority > priority,
      );
      if (later.length > 0) {
        problems.push(`${vocabulary.ruleWithPriority(anyRule.index)}: a rule with ${setting('selection.tagStatus', 'any')} must have the highest rulePriority of the rules of ${storage}, but ${names(later)} come${later.length === 1 ? 's' : ''} after it; ${vocabulary.priorityFix}`);
      }
    }

    // "The set of all rules selecting a specific storage class must contain a unique set of prefixes."
    const seen = new Map<string, number>();
    for (const { rule, index } of inClass) {
      const prefixes = rule.selection?.tagPrefixList;
      if (rule.selection?.tagStatus !== 'tagged' || !Array.isArray(prefixes) || prefixes.length === 0) {
        continue;
      }
      const key = JSON.stringify([...new Set(prefixes)].sort());
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
      } else {
        problems.push(`${vocabulary.rule(first)} and ${vocabulary.rule(index)}: both select tag prefixes ${key} in ${storage}; the rules of a storage class need unique sets of tag prefixes, so merge them into one rule`);
      }
    }
  }
  return problems;
}

function isWholeNumber(value: number): boolean {
  return Number.isInteger(value) && value >= limits.MIN_WHOLE_NUMBER;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function quoteAll(values: string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}
