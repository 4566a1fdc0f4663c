// The CDK side of the lifecycle checks: numbers and renders EcrLifecycleRule structs to ECR's JSON, checks what
// only the struct can get wrong (its count props), and names problems the way the user wrote the rules. ECR's
// constraints themselves are checked once, on the rendered JSON, by document-validator.ts.
import { Duration, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import * as documentValidator from './document-validator';
import { PolicyRuleJson, PolicySelectionJson } from './policy-document';
import { RuleField, Vocabulary } from './problem-text';
import { ownValue } from '../../private/text';
import { ImageStorageClass } from '../image';
import { EcrLifecycleRule, LifecycleAction } from '../lifecycle-rule';

// Each selects images a different way (ECR's countType); a rule has exactly one.
const COUNT_PROPS = {
  imageCountMoreThan: 'maxImageCount',
  sinceImagePushed: 'maxImageAge',
  sinceImagePulled: 'maxAgeSinceLastPull',
  sinceImageTransitioned: 'maxAgeSinceArchived',
} as const;
type CountProp = typeof COUNT_PROPS[keyof typeof COUNT_PROPS];

/** A rule with the priority EcrLifecyclePolicy gives it, and where the user declared it. */
export interface NumberedRule {
  readonly rule: EcrLifecycleRule;
  readonly rulePriority: number;
  readonly declaredIndex: number;
}

/**
 * The rule with its tagStatus filled in the way aws-ecr does: TAGGED when it lists tags, ANY otherwise.
 */
export function withTagStatus(rule: EcrLifecycleRule): EcrLifecycleRule {
  if (rule.tagStatus !== undefined) return rule;
  const listsTags = rule.tagPrefixList !== undefined || rule.tagPatternList !== undefined;
  return { ...rule, tagStatus: listsTags ? ecr.TagStatus.TAGGED : ecr.TagStatus.ANY };
}

/**
 * The rules numbered and sorted by priority: an explicit `rulePriority` is kept, the others follow the highest
 * explicit one in declared order, the `TagStatus.ANY` rules last.
 */
export function numberRules(rules: EcrLifecycleRule[]): NumberedRule[] {
  const declared = rules.map((rule, declaredIndex) => ({ rule: withTagStatus(rule), declaredIndex }));
  const isAny = (r: EcrLifecycleRule) => r.tagStatus === ecr.TagStatus.ANY;
  const explicit = declared
    .filter(d => !isAny(d.rule) && d.rule.rulePriority !== undefined)
    .map(d => d.rule.rulePriority!);
  let next = Math.max(0, ...explicit) + 1;
  const take = (d: { rule: EcrLifecycleRule; declaredIndex: number }): NumberedRule =>
    ({ ...d, rulePriority: d.rule.rulePriority ?? next++ });
  const numbered = [
    ...declared.filter(d => !isAny(d.rule)).map(take),
    ...declared.filter(d => isAny(d.rule)).map(take),
  ];
  return numbered.sort((a, b) => a.rulePriority - b.rulePriority || a.declaredIndex - b.declaredIndex);
}

/** The rule as ECR's JSON has it; an age that is not a whole number of days renders as it is, for the checks. */
export function renderRule({ rule, rulePriority }: NumberedRule): PolicyRuleJson {
  const action = rule.action ?? LifecycleAction.EXPIRE;
  return {
    rulePriority,
    description: rule.description,
    selection: {
      tagStatus: rule.tagStatus!,
      tagPrefixList: rule.tagPrefixList,
      tagPatternList: rule.tagPatternList,
      storageClass: rule.storageClass,
      ...renderCount(rule),
    },
    action: { type: action, targetStorageClass: action === LifecycleAction.TRANSITION ? ImageStorageClass.ARCHIVE : undefined },
  };
}

/** How problems name a rule: its position as declared, its description when it has one, then `details`. */
export function ruleLabel(rule: EcrLifecycleRule, index: number, ...details: string[]): string {
  const all = rule.description ? [`'${rule.description}'`, ...details] : details;
  return all.length > 0 ? `lifecycle rule ${index + 1} (${all.join(', ')})` : `lifecycle rule ${index + 1}`;
}

/**
 * What only the struct can get wrong, that no JSON can express: a rule needs exactly one count prop.
 * Empty when the rule can be rendered.
 */
export function shapeProblems(rule: EcrLifecycleRule, index: number): string[] {
  const counts = Object.values(COUNT_PROPS).filter(prop => rule[prop] !== undefined);
  if (counts.length === 1) return [];
  return [`${ruleLabel(rule, index)}: set exactly one of maxImageCount (keep the newest N), maxImageAge (days since push), maxAgeSinceLastPull and maxAgeSinceArchived, got ${counts.length === 0 ? 'none' : counts.join(' and ')}`];
}

/**
 * Every problem of this rule on its own (not of the rule set it will join); empty when it is valid.
 *
 * @param index where the user declared it, for its name in the problems
 */
export function ruleProblems(rule: EcrLifecycleRule, index: number): string[] {
  const shape = shapeProblems(rule, index);
  if (shape.length > 0) return shape;
  const numbered = { rule: withTagStatus(rule), rulePriority: rule.rulePriority ?? 1, declaredIndex: index };
  return documentValidator.ruleProblems(renderRule(numbered), 0, cdkVocabulary([numbered]));
}

/**
 * The problems of the rule an `EcrLifecycleRules` helper builds, named after the helper and its arguments, e.g.
 * `keepLastNImages: count must be a whole number >= 1, got 0`. A count that is a token is left to synthesis.
 *
 * @param args the helper's argument for each field it sets, e.g. `{ 'selection.countNumber': 'days' }`
 * @param count the helper's count argument, which the rule's countNumber is (in days for an age)
 */
export function helperProblems(helper: string, rule: EcrLifecycleRule, args: Partial<Record<RuleField, string>>, count: number): string[] {
  if (Token.isUnresolved(count)) return [];
  const numbered = { rule: withTagStatus(rule), rulePriority: 1, declaredIndex: 0 };
  const rendered = renderRule(numbered);
  const cdk = cdkVocabulary([numbered]);
  const vocabulary: Vocabulary = {
    ...cdk,
    rule: () => helper,
    field: (index, field) => args[field] ?? cdk.field(index, field),
    value: (index, field, value) => args[field] === undefined ? cdk.value(index, field, value)
      : typeof value === 'string' ? `'${value}'` : String(value),
  };
  return documentValidator.ruleProblems({ ...rendered, selection: { ...rendered.selection, countNumber: count } }, 0, vocabulary);
}

/**
 * The vocabulary of the CDK props: rules by declared position and description, fields by prop name
 * (`maxImageCount` where the JSON says countNumber), values as TypeScript writes them.
 *
 * @param rules the rules in the order of the rendered document
 */
export function cdkVocabulary(rules: readonly NumberedRule[]): Vocabulary {
  const countProp = (index: number): CountProp =>
    Object.values(COUNT_PROPS).find(prop => rules[index].rule[prop] !== undefined) ?? 'maxImageCount';
  const field = (index: number, name: RuleField): string => {
    switch (name) {
      case 'selection.countType':
      case 'selection.countUnit':
      case 'selection.countNumber':
        return countProp(index);
      case 'selection.tagPrefixList[]':
      case 'selection.tagPatternList[]':
        return `an entry of ${name.slice('selection.'.length, -2)}`;
      case 'action.type':
      case 'action.targetStorageClass':
        return 'action';
      default:
        return name.replace(/^selection\./, '');
    }
  };
  const value = (index: number, name: RuleField, v: unknown): string => {
    switch (name) {
      case 'selection.tagStatus':
        return `TagStatus.${String(v).toUpperCase()}`;
      case 'selection.storageClass':
        return `ImageStorageClass.${String(v).toUpperCase()}`;
      case 'action.type':
        return `LifecycleAction.${String(v).toUpperCase()}`;
      case 'selection.countNumber':
        return countValue(rules[index].rule, countProp(index), v as number);
      default:
        return typeof v === 'string' ? `'${v}'` : String(v);
    }
  };
  return {
    rule: (index) => ruleLabel(rules[index].rule, rules[index].declaredIndex),
    ruleWithPriority: (index) => {
      const { rule, rulePriority, declaredIndex } = rules[index];
      const how = rule.rulePriority === undefined ? 'numbered automatically' : 'as written';
      return ruleLabel(rule, declaredIndex, `rulePriority ${rulePriority}`, how);
    },
    field,
    value,
    setting: (index, name, v) => {
      switch (name) {
        case 'selection.countType':
          return ownValue<string>(COUNT_PROPS, String(v)) ?? String(v);
        case 'selection.tagStatus':
          return value(index, name, v);
        default:
          return `${field(index, name)}: ${value(index, name, v)}`;
      }
    },
    priorityFix: 'remove rulePriority to have the rules numbered in declared order, the TagStatus.ANY rule last',
  };
}

function renderCount(rule: EcrLifecycleRule): Pick<PolicySelectionJson, 'countType' | 'countUnit' | 'countNumber'> {
  if (rule.maxImageCount !== undefined) return { countType: 'imageCountMoreThan', countNumber: rule.maxImageCount };
  const [countType, age] = rule.maxAgeSinceLastPull !== undefined ? ['sinceImagePulled', rule.maxAgeSinceLastPull]
    : rule.maxAgeSinceArchived !== undefined ? ['sinceImageTransitioned', rule.maxAgeSinceArchived]
      : ['sinceImagePushed', rule.maxImageAge!];
  return { countType, countUnit: 'days', countNumber: ageInDays(age) };
}

function ageInDays(age: Duration): number {
  return age.isUnresolved() ? NaN : age.toDays({ integral: false });
}

function isToken(value: number | Duration | undefined): boolean {
  return value instanceof Duration ? value.isUnresolved() : Token.isUnresolved(value);
}

// A count prop's value as the user wrote it: a number, a number of days, or a token the checks can't read.
function countValue(rule: EcrLifecycleRule, prop: CountProp, countNumber: number): string {
  if (isToken(rule[prop])) return 'a token (lifecycle rules are validated at synth and need literal numbers)';
  if (prop === 'maxImageCount') return String(countNumber);
  return Number.isInteger(countNumber) ? `${countNumber} days` : `${countNumber} days; use Duration.days(n)`;
}
