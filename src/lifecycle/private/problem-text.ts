// The wording shared by every lifecycle policy problem message: how a rule, a field and a bad value are named.
// The constraints are written once against a Vocabulary; the JSON one here names them as the policy text does,
// rule-check.ts's names them as the user's CDK props do.
import { isObject } from '../../private/text';

/** A field of a rule, by its path in the policy JSON; `[]` names one entry of a list. */
export type RuleField = 'rulePriority' | 'selection.tagStatus' | 'selection.tagPrefixList' | 'selection.tagPrefixList[]'
| 'selection.tagPatternList' | 'selection.tagPatternList[]' | 'selection.storageClass' | 'selection.countType'
| 'selection.countUnit' | 'selection.countNumber' | 'action.type' | 'action.targetStorageClass';

/**
 * How problems name the rules of a policy, their fields and values: as the JSON text has them
 * (`rules[1] (rulePriority 2)`, `selection.countNumber`), or as the user wrote them (`lifecycle rule 2
 * ('keep 10')`, `maxImageCount`). `index` is the rule's index in the document's `rules`.
 */
export interface Vocabulary {
  /** How to fix rule priorities: renumber them, or leave the numbering to EcrLifecyclePolicy. */
  readonly priorityFix: string;
  /** The rule, as every problem of it starts. */
  rule(index: number): string;
  /** The rule and its rulePriority, for problems about priorities. */
  ruleWithPriority(index: number): string;
  /** A field of the rule, e.g. `selection.countNumber` or `maxImageCount`. */
  field(index: number, field: RuleField): string;
  /** A value of that field as the user would write it, e.g. `"archive"` or `ImageStorageClass.ARCHIVE`. */
  value(index: number, field: RuleField, value: unknown): string;
  /** The field set to a value, e.g. `countType "sinceImagePulled"` or `maxAgeSinceLastPull`. */
  setting(index: number, field: RuleField, value: unknown): string;
}

/** The vocabulary of the policy JSON: rules by index and rulePriority as the text has them, fields by JSON path. */
export function jsonVocabulary(rules: readonly unknown[]): Vocabulary {
  const name = (index: number) => ruleName(index, rules[index]);
  return {
    rule: name,
    ruleWithPriority: name,
    field: (_, field) => field.endsWith('[]') ? `an entry of ${field.slice(0, -2)}` : field,
    value: (_, __, value) => JSON.stringify(value),
    setting: (_, field, value) => `${field === 'action.type' ? 'action' : field.replace(/^.*\./, '')} ${JSON.stringify(value)}`,
    priorityFix: 'renumber the rules',
  };
}

/** How problems name a rule of a policy document: its index in `rules` and its `rulePriority`. */
export function ruleName(index: number, rule: unknown): string {
  const priority = isObject(rule) ? rule.rulePriority : undefined;
  return priority === undefined ? `rules[${index}]` : `rules[${index}] (rulePriority ${JSON.stringify(priority)})`;
}

/** A value as problems quote it: JSON, with its kind spelled out. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'null';
  }
  const kind = Array.isArray(value) ? 'an array' : typeof value;
  return `${kind} ${truncate(JSON.stringify(value))}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
