// Turns lifecycle policy text (JSON) into the typed document model, with clear errors for malformed
// JSON, wrong types, missing required properties and properties ECR's syntax doesn't have.
// ECR's constraints on the values (priorities, count types, storage classes...) are checked by
// `PolicyDocumentValidator`; this file only checks the shape.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html (syntax template)

import { PolicyDocumentJson } from './policy-document';

type JsonType = 'string' | 'number' | 'object' | 'array' | 'string[]';

interface PropertySpec {
  readonly type: JsonType;
  readonly required: boolean;
}

// The documented syntax template, property by property. It is the complete list: ECR's lifecycle
// policy syntax has no other properties.
const DOCUMENT_PROPERTIES: Record<string, PropertySpec> = {
  rules: { type: 'array', required: true },
};
const RULE_PROPERTIES: Record<string, PropertySpec> = {
  rulePriority: { type: 'number', required: true },
  description: { type: 'string', required: false },
  selection: { type: 'object', required: true },
  action: { type: 'object', required: true },
};
const SELECTION_PROPERTIES: Record<string, PropertySpec> = {
  tagStatus: { type: 'string', required: true },
  tagPatternList: { type: 'string[]', required: false },
  tagPrefixList: { type: 'string[]', required: false },
  storageClass: { type: 'string', required: false },
  countType: { type: 'string', required: true },
  countUnit: { type: 'string', required: false },
  countNumber: { type: 'number', required: true },
};
const ACTION_PROPERTIES: Record<string, PropertySpec> = {
  type: { type: 'string', required: true },
  targetStorageClass: { type: 'string', required: false },
};

/**
 * The error thrown for lifecycle policy text that can't be used: it lists every problem.
 */
export class PolicyDocumentError extends Error {
  /** Every problem found, one sentence each. */
  public readonly problems: string[];

  constructor(heading: string, problems: string[]) {
    super(`${heading}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'PolicyDocumentError';
    this.problems = problems;
  }
}

/**
 * Parses lifecycle policy text into the document model.
 */
export class PolicyDocumentParser {
  /**
   * Parses lifecycle policy text; throws a `PolicyDocumentError` listing every shape problem
   * (malformed JSON, wrong types, missing or unknown properties).
   *
   * The values are not checked against ECR's constraints: use `PolicyDocumentValidator` for that.
   */
  public static fromJson(text: string): PolicyDocumentJson {
    const parsed = PolicyDocumentParser.parseJson(text);
    if (parsed.problem !== undefined) {
      throw new PolicyDocumentError('Lifecycle policy text is not valid JSON', [parsed.problem]);
    }
    const problems = PolicyDocumentParser.shapeProblems(parsed.value);
    if (problems.length > 0) {
      throw new PolicyDocumentError(`Lifecycle policy text has ${ProblemText.count(problems.length, 'problem')}`, problems);
    }
    return parsed.value as PolicyDocumentJson;
  }

  /**
   * `JSON.parse` that reports a syntax error as a sentence instead of throwing.
   */
  public static parseJson(text: string): { readonly value?: unknown; readonly problem?: string } {
    try {
      return { value: JSON.parse(text) };
    } catch (e) {
      return { problem: `the text is not valid JSON (${(e as Error).message}); check for a missing comma, quote or brace` };
    }
  }

  /**
   * Every shape problem of a parsed JSON value: wrong types, missing required properties and
   * properties that ECR's lifecycle policy syntax doesn't have. Empty when the shape is right.
   */
  public static shapeProblems(value: unknown): string[] {
    const problems: string[] = [];
    if (!isPlainObject(value)) {
      problems.push(`the policy must be a JSON object like {"rules": [...]}, got ${ProblemText.value(value)}`);
      return problems;
    }
    checkProperties(value, DOCUMENT_PROPERTIES, 'the policy', problems);
    const rules = value.rules;
    if (rules === undefined) {
      return problems;
    }
    if (!Array.isArray(rules)) {
      return problems;
    }
    rules.forEach((rule, index) => {
      const where = ProblemText.rule(index, rule);
      if (!isPlainObject(rule)) {
        problems.push(`${where}: a rule must be an object with rulePriority, selection and action, got ${ProblemText.value(rule)}`);
        return;
      }
      checkProperties(rule, RULE_PROPERTIES, where, problems);
      if (isPlainObject(rule.selection)) {
        checkProperties(rule.selection, SELECTION_PROPERTIES, `${where}: selection`, problems);
      }
      if (isPlainObject(rule.action)) {
        checkProperties(rule.action, ACTION_PROPERTIES, `${where}: action`, problems);
      }
    });
    return problems;
  }
}

/**
 * The wording shared by every lifecycle policy problem message. Internal.
 */
export class ProblemText {
  /** How problems name a rule: its index in `rules` and its `rulePriority`. */
  public static rule(index: number, rule: unknown): string {
    const priority = isPlainObject(rule) ? rule.rulePriority : undefined;
    return priority === undefined ? `rules[${index}]` : `rules[${index}] (rulePriority ${JSON.stringify(priority)})`;
  }

  /** A value as problems quote it: JSON, with its kind spelled out. */
  public static value(value: unknown): string {
    if (value === undefined) {
      return 'nothing';
    }
    if (value === null) {
      return 'null';
    }
    const kind = Array.isArray(value) ? 'an array' : typeof value;
    return `${kind} ${truncate(JSON.stringify(value))}`;
  }

  /** `1 problem`, `2 problems`. */
  public static count(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkProperties(
  value: Record<string, unknown>,
  specs: Record<string, PropertySpec>,
  where: string,
  problems: string[],
): void {
  for (const [name, spec] of Object.entries(specs)) {
    const property = value[name];
    if (property === undefined) {
      if (spec.required) {
        problems.push(`${where}: "${name}" is required`);
      }
      continue;
    }
    if (!hasType(property, spec.type)) {
      problems.push(`${where}: "${name}" must be ${typeName(spec.type)}, got ${ProblemText.value(property)}`);
    }
  }
  for (const name of Object.keys(value)) {
    if (!(name in specs)) {
      problems.push(`${where}: unknown property "${name}"; ECR's lifecycle policy syntax has ${Object.keys(specs).map((s) => `"${s}"`).join(', ')}`);
    }
  }
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === type;
  }
}

function typeName(type: JsonType): string {
  switch (type) {
    case 'string[]':
      return 'an array of strings';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    default:
      return `a ${type}`;
  }
}
