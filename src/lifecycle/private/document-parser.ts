// Turns lifecycle policy text (JSON) into the typed document model, with clear errors for malformed
// JSON, wrong types, missing required properties and properties ECR's syntax doesn't have.
// ECR's constraints on the values (priorities, count types, storage classes...) are checked by
// document-validator.ts; this file only checks the shape.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html (syntax template)

import { PolicyDocumentJson } from './policy-document';
import { describeValue, ruleName } from './problem-text';
import { problemList } from '../../private/errors';
import { isObject, plural } from '../../private/text';

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
    super(problemList(heading, problems));
    this.name = 'PolicyDocumentError';
    this.problems = problems;
  }
}

/**
 * Parses lifecycle policy text; throws a `PolicyDocumentError` listing every shape problem
 * (malformed JSON, wrong types, missing or unknown properties).
 *
 * The values are not checked against ECR's constraints: use document-validator.ts for that.
 */
export function fromJson(text: string): PolicyDocumentJson {
  const parsed = parseJson(text);
  if (parsed.problem !== undefined) {
    throw new PolicyDocumentError('Lifecycle policy text is not valid JSON', [parsed.problem]);
  }
  const problems = shapeProblems(parsed.value);
  if (problems.length > 0) {
    throw new PolicyDocumentError(`Lifecycle policy text has ${plural(problems.length, 'problem')}`, problems);
  }
  return parsed.value as PolicyDocumentJson;
}

/**
 * `JSON.parse` that reports a syntax error as a sentence instead of throwing.
 */
export function parseJson(text: string): { readonly value?: unknown; readonly problem?: string } {
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
export function shapeProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) {
    problems.push(`the policy must be a JSON object like {"rules": [...]}, got ${describeValue(value)}`);
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
    const where = ruleName(index, rule);
    if (!isObject(rule)) {
      problems.push(`${where}: a rule must be an object with rulePriority, selection and action, got ${describeValue(rule)}`);
      return;
    }
    checkProperties(rule, RULE_PROPERTIES, where, problems);
    if (isObject(rule.selection)) {
      checkProperties(rule.selection, SELECTION_PROPERTIES, `${where}: selection`, problems);
    }
    if (isObject(rule.action)) {
      checkProperties(rule.action, ACTION_PROPERTIES, `${where}: action`, problems);
    }
  });
  return problems;
}


function checkProperties(
  value: Record<string, unknown>,
  specs: Record<string, PropertySpec>,
  where: string,
  problems: string[],
): void {
  for (const [name, spec] of Object.entries(specs)) {
    const property = Object.hasOwn(value, name) ? value[name] : undefined;
    if (property === undefined) {
      if (spec.required) {
        problems.push(`${where}: "${name}" is required`);
      }
      continue;
    }
    if (!hasType(property, spec.type)) {
      problems.push(`${where}: "${name}" must be ${typeName(spec.type)}, got ${describeValue(property)}`);
    }
  }
  for (const name of Object.keys(value)) {
    // Own properties only: `"constructor" in specs` is true of every object.
    if (!Object.hasOwn(specs, name)) {
      problems.push(`${where}: unknown property "${name}"; ECR's lifecycle policy syntax has ${Object.keys(specs).map((s) => `"${s}"`).join(', ')}`);
    }
  }
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'object':
      return isObject(value);
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
