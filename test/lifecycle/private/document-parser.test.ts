// Parsing lifecycle policy text: malformed JSON and wrong shapes give clear errors listing every problem.
import { PolicyDocumentError } from '../../../src/lifecycle/private/document-parser';
import * as documentParser from '../../../src/lifecycle/private/document-parser';
import { describeValue } from '../../../src/lifecycle/private/problem-text';
import { plural } from '../../../src/private/text';

const VALID = '{"rules":[{"rulePriority":1,"description":"Keep ten","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}';

test('fromJson returns the document of valid text', () => {
  expect(documentParser.fromJson(VALID)).toEqual({
    rules: [{ rulePriority: 1, description: 'Keep ten', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 }, action: { type: 'expire' } }],
  });
});

test('fromJson refuses malformed JSON, saying why', () => {
  expect(() => documentParser.fromJson('{"rules": [')).toThrow(/^Lifecycle policy text is not valid JSON:\n  - the text is not valid JSON \(.+\)/);
});

test('fromJson lists every shape problem in one PolicyDocumentError', () => {
  const text = JSON.stringify({ rules: [{ rulePriority: '1', selection: { tagStatus: 'tagged', tagPrefixList: 'prod', countNumber: 1 }, action: {} }] });
  let error: PolicyDocumentError | undefined;
  try {
    documentParser.fromJson(text);
  } catch (e) {
    error = e as PolicyDocumentError;
  }
  expect(error).toBeInstanceOf(PolicyDocumentError);
  expect(error?.problems).toEqual([
    'rules[0] (rulePriority "1"): "rulePriority" must be a number, got string "1"',
    'rules[0] (rulePriority "1"): selection: "tagPrefixList" must be an array of strings, got string "prod"',
    'rules[0] (rulePriority "1"): selection: "countType" is required',
    'rules[0] (rulePriority "1"): action: "type" is required',
  ]);
  expect(error?.message).toMatch(/^Lifecycle policy text has 4 problems:\n  - rules\[0\]/);
});

test.each([
  ['an array', '[]', 'the policy must be a JSON object like {"rules": [...]}, got an array []'],
  ['a string', '"rules"', 'the policy must be a JSON object like {"rules": [...]}, got string "rules"'],
  ['null', 'null', 'the policy must be a JSON object like {"rules": [...]}, got null'],
  ['no rules', '{}', 'the policy: "rules" is required'],
  ['rules that are not an array', '{"rules": {}}', 'the policy: "rules" must be an array, got object {}'],
  ['a tag list with a number', '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["a*",1],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
    'rules[0] (rulePriority 1): selection: "tagPatternList" must be an array of strings, got an array ["a*",1]'],
  ['an unknown action property', '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire","storageClass":"archive"}}]}',
    'rules[0] (rulePriority 1): action: unknown property "storageClass"; ECR\'s lifecycle policy syntax has "type", "targetStorageClass"'],
  ['a missing selection and action', '{"rules":[{"rulePriority":1}]}', 'rules[0] (rulePriority 1): "selection" is required'],
])('shapeProblems reports %s', (_, text, problem) => {
  expect(documentParser.shapeProblems(JSON.parse(text))).toContain(problem);
});

test('problem text quotes long values shortened, and counts nouns', () => {
  expect(describeValue('x'.repeat(100))).toBe(`string "${'x'.repeat(56)}...`);
  expect(describeValue(undefined)).toBe('nothing');
  expect(plural(1, 'problem')).toBe('1 problem');
  expect(plural(3, 'rule')).toBe('3 rules');
});

// JSON.parse makes "__proto__", "constructor" and "toString" own properties; none is in ECR's syntax.
test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('an unknown property named %p is reported at every level', (name) => {
  const extra = `"${name}": {}`;
  const text = `{${extra}, "rules":[{${extra}, "rulePriority":1,"selection":{${extra}, "tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{${extra}, "type":"expire"}}]}`;
  expect(documentParser.shapeProblems(JSON.parse(text))).toEqual([
    `the policy: unknown property "${name}"; ECR's lifecycle policy syntax has "rules"`,
    `rules[0] (rulePriority 1): unknown property "${name}"; ECR's lifecycle policy syntax has "rulePriority", "description", "selection", "action"`,
    `rules[0] (rulePriority 1): selection: unknown property "${name}"; ECR's lifecycle policy syntax has "tagStatus", "tagPatternList", "tagPrefixList", "storageClass", "countType", "countUnit", "countNumber"`,
    `rules[0] (rulePriority 1): action: unknown property "${name}"; ECR's lifecycle policy syntax has "type", "targetStorageClass"`,
  ]);
});
