// Every documented ECR lifecycle policy constraint, each with its message; every problem reported at once.
import * as documentValidator from '../../../src/lifecycle/private/document-validator';
import { PolicyDocumentJson, PolicyRuleJson } from '../../../src/lifecycle/private/policy-document';
import { policy, rule, TRANSITION } from '../../util';

const tagged = (priority: number, prefixes: string[]) =>
  rule(priority, { tagStatus: 'tagged', tagPrefixList: prefixes, countType: 'imageCountMoreThan', countNumber: 5 });
const anyCount = (priority: number) => rule(priority, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 });
const untaggedDays = (priority: number) => rule(priority, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 });
const archiveExpire = (priority: number, days = 90) =>
  rule(priority, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: days });
/** A rule whose selection and action are replaced by loosely typed JSON, as a user's file may hold. */
const raw = (priority: number, selection: object, action: object = { type: 'expire' }) =>
  ({ rulePriority: priority, description: `Rule ${priority}`, selection, action } as unknown as PolicyRuleJson);

describe('valid policies', () => {
  test.each<[string, PolicyDocumentJson]>([
    ['a tagged prefix rule, an untagged rule and a last any rule', policy(tagged(1, ['prod']), untaggedDays(2), anyCount(3))],
    ['an archive transition and an archive expiry, each class with its own any rule', policy(
      rule(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, TRANSITION), archiveExpire(2, 365))],
    ['one untagged rule per storage class', policy(untaggedDays(1),
      rule(2, { tagStatus: 'untagged', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }))],
    ['a pattern with exactly four wildcards', policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['*test*1*2*3', 'test*1*2*3*'], countType: 'imageCountMoreThan', countNumber: 1 }))],
    ['non-sequential priorities', policy(tagged(10, ['a']), tagged(20, ['b']), anyCount(100))],
    ['the same prefixes in different storage classes', policy(tagged(1, ['v']),
      rule(2, { tagStatus: 'tagged', tagPrefixList: ['v'], storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }))],
  ])('%s has no problem', (_, doc) => {
    expect(documentValidator.validate(doc)).toEqual([]);
  });
});

describe('each documented constraint', () => {
  test.each<[string, PolicyDocumentJson, RegExp]>([
    ['rulePriority 0', policy(tagged(0, ['a'])), /^rules\[0\] \(rulePriority 0\): rulePriority must be a whole number >= 1, got 0/],
    ['fractional rulePriority', policy(tagged(1.5, ['a'])), /rulePriority must be a whole number >= 1, got 1.5/],
    ['duplicate rulePriority', policy(tagged(1, ['a']), tagged(1, ['b'])), /^rules\[0\] \(rulePriority 1\) and rules\[1\] \(rulePriority 1\): rulePriority 1 is used 2 times, but each rule needs a unique one; renumber the rules$/],
    ['unknown tagStatus', policy(raw(1, { tagStatus: 'TAGGED', countType: 'imageCountMoreThan', countNumber: 1 })), /selection.tagStatus must be one of "tagged", "untagged", "any", got "TAGGED"/],
    ['tagged without a list', policy(raw(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 })), /tagStatus "tagged" needs a selection.tagPrefixList or a selection.tagPatternList; add one, or use tagStatus "any"/],
    ['tagged with both lists', policy(raw(1, { tagStatus: 'tagged', tagPrefixList: ['a'], tagPatternList: ['b*'], countType: 'imageCountMoreThan', countNumber: 1 })), /a rule may have selection.tagPrefixList or selection.tagPatternList, not both/],
    ['tagged with an empty prefix list', policy(tagged(1, [])), /selection.tagPrefixList is empty; list at least one tag prefix/],
    ['tagged with an empty pattern list', policy(raw(1, { tagStatus: 'tagged', tagPatternList: [], countType: 'imageCountMoreThan', countNumber: 1 })), /selection.tagPatternList is empty/],
    ['untagged with a prefix list', policy(raw(1, { tagStatus: 'untagged', tagPrefixList: ['a'], countType: 'imageCountMoreThan', countNumber: 1 })), /selection.tagPrefixList may only be used with tagStatus "tagged", got tagStatus "untagged"/],
    ['any with a pattern list', policy(raw(1, { tagStatus: 'any', tagPatternList: ['a*'], countType: 'imageCountMoreThan', countNumber: 1 })), /selection.tagPatternList may only be used with tagStatus "tagged", got tagStatus "any"/],
    ['five wildcards in a pattern', policy(raw(1, { tagStatus: 'tagged', tagPatternList: ['test*1*2*3*4*5*6'], countType: 'imageCountMoreThan', countNumber: 1 })), /tag pattern "test\*1\*2\*3\*4\*5\*6" has 6 wildcards \(\*\); ECR allows at most 4 per pattern/],
    ['unknown storageClass', policy(raw(1, { tagStatus: 'any', storageClass: 'glacier', countType: 'imageCountMoreThan', countNumber: 1 })), /selection.storageClass must be one of "standard", "archive", got "glacier"/],
    ['unknown countType', policy(raw(1, { tagStatus: 'any', countType: 'sinceImageBuilt', countUnit: 'days', countNumber: 1 })), /selection.countType must be one of "imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned", got "sinceImageBuilt"/],
    ['sinceImageTransitioned without storageClass', policy(raw(1, { tagStatus: 'any', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 })), /countType "sinceImageTransitioned" needs storageClass "archive", got none \(standard\)/],
    ['sinceImageTransitioned on standard', policy(raw(1, { tagStatus: 'any', storageClass: 'standard', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 })), /needs storageClass "archive", got storageClass "standard"/],
    ['a count rule on archive', policy(raw(1, { tagStatus: 'any', storageClass: 'archive', countType: 'imageCountMoreThan', countNumber: 1 })), /countType "imageCountMoreThan" only selects images in storageClass "standard", got storageClass "archive"/],
    ['a day rule without countUnit', policy(raw(1, { tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 1 })), /countType "sinceImagePushed" needs countUnit "days"/],
    ['a countUnit other than days', policy(raw(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'hours', countNumber: 1 })), /selection.countUnit must be "days", got "hours"/],
    ['countUnit with imageCountMoreThan', policy(raw(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 1 })), /selection.countUnit is only used with day-based count types, got "days" with countType "imageCountMoreThan"; remove countUnit/],
    ['countNumber 0', policy(raw(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 0 })), /selection.countNumber must be a whole number >= 1, got 0/],
    ['fractional countNumber', policy(raw(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1.5 })), /selection.countNumber must be a whole number >= 1, got 1.5/],
    ['unknown action type', policy(raw(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, { type: 'delete' })), /action.type must be one of "expire", "transition", got "delete"/],
    ['transition without targetStorageClass', policy(raw(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, { type: 'transition' })), /action "transition" needs targetStorageClass "archive"/],
    ['targetStorageClass other than archive', policy(raw(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, { type: 'transition', targetStorageClass: 'standard' })), /action.targetStorageClass must be "archive" \(the only storage class to transition to\), got "standard"/],
    ['sinceImagePulled with expire', policy(raw(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 })), /countType "sinceImagePulled" can only be used with action "transition", got action "expire"/],
    ['sinceImageTransitioned with transition', policy(raw(1, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }, TRANSITION)), /countType "sinceImageTransitioned" can only be used with action "expire", got action "transition"/],
    ['deleting from archive before 90 days', policy(archiveExpire(1, 89)), /selection.countNumber must be at least 90 \(ECR keeps archived images 90 days before they can be deleted\), got 89/],
    ['two untagged rules in one storage class', policy(untaggedDays(1), rule(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 3 })), /^rules\[0\] \(rulePriority 1\) and rules\[1\] \(rulePriority 2\): only one rule of storage class "standard" may have tagStatus "untagged"/],
    ['any before another rule of its storage class', policy(anyCount(1), tagged(2, ['a'])), /^rules\[0\] \(rulePriority 1\): a rule with tagStatus "any" must have the highest rulePriority of the rules of storage class "standard", but rules\[1\] \(rulePriority 2\) comes after it/],
    ['two any rules in one storage class', policy(anyCount(1), anyCount(2)), /^rules\[0\] \(rulePriority 1\) and rules\[1\] \(rulePriority 2\): only one rule of storage class "standard" may have tagStatus "any"; merge them into one rule$/],
    ['the same prefix set twice in one storage class', policy(tagged(1, ['v', 'prod']), tagged(2, ['prod', 'v'])), /^rules\[0\] \(rulePriority 1\) and rules\[1\] \(rulePriority 2\): both select tag prefixes \["prod","v"\] in storage class "standard"/],
    ['no rules', { rules: [] }, /^a lifecycle policy needs at least one rule, got none: ECR refuses its text \{"rules":\[\]\}, which is shorter than 100 characters; add a rule, or set no lifecycle policy$/],
  ])('%s', (_, doc, message) => {
    const problems = documentValidator.validate(doc);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});

describe('policy text length', () => {
  test('text shorter than 100 characters is refused', () => {
    expect(documentValidator.validate(policy(anyCount(1)), '{"rules":[]}')).toContainEqual(
      expect.stringMatching(/^the policy text is 12 characters; ECR needs at least 100/));
  });

  test('text longer than 30,720 characters is refused', () => {
    const rules = Array.from({ length: 50 }, (_, i) => ({ ...tagged(i + 1, [`prefix-${i}`]), description: 'x'.repeat(600) }));
    const problems = documentValidator.validate(policy(...rules));
    expect(problems).toEqual([expect.stringMatching(/^the policy text is \d+ characters; ECR accepts at most 30720/)]);
  });

  test('the default text is the document as JSON', () => {
    expect(documentValidator.validate(policy(anyCount(1)))).toEqual([]);
  });
});

describe('every problem at once', () => {
  test('problems of several rules and of the rule set are all reported, each naming its rule', () => {
    const problems = documentValidator.validate(policy(
      anyCount(1),
      raw(2, { tagStatus: 'tagged', countType: 'sinceImagePulled', countNumber: 0 }),
      raw(2, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }),
    ));
    expect(problems).toHaveLength(6);
    expect(problems.filter((p) => p.startsWith('rules[1] (rulePriority 2): '))).toHaveLength(4);
  });
});

describe('validateText', () => {
  test('reports malformed JSON with the reason', () => {
    expect(documentValidator.validateText('{"rules": [}')).toEqual([
      expect.stringMatching(/^the text is not valid JSON \(.+\); check for a missing comma, quote or brace$/),
      expect.stringMatching(/at least 100/),
    ]);
  });

  test('reports shape and constraint problems together', () => {
    const text = JSON.stringify({ rules: [{ rulePriority: 0, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: '5' }, action: { type: 'expire' }, extra: true }] });
    expect(documentValidator.validateText(text)).toEqual([
      'rules[0] (rulePriority 0): unknown property "extra"; ECR\'s lifecycle policy syntax has "rulePriority", "description", "selection", "action"',
      'rules[0] (rulePriority 0): selection: "countNumber" must be a number, got string "5"',
      'rules[0] (rulePriority 0): rulePriority must be a whole number >= 1, got 0; rules are applied from 1 upwards',
    ]);
  });

  test('accepts a valid policy', () => {
    expect(documentValidator.validateText(JSON.stringify(policy(untaggedDays(1), anyCount(2))))).toEqual([]);
  });

  test('values of the wrong type are reported once, not trusted', () => {
    const text = JSON.stringify({ rules: [null, { rulePriority: 'one', selection: [], action: 'expire' }], version: 1 });
    expect(documentValidator.validateText(text)).toEqual([
      'the policy: unknown property "version"; ECR\'s lifecycle policy syntax has "rules"',
      'rules[0]: a rule must be an object with rulePriority, selection and action, got null',
      'rules[1] (rulePriority "one"): "rulePriority" must be a number, got string "one"',
      'rules[1] (rulePriority "one"): "selection" must be an object, got an array []',
      'rules[1] (rulePriority "one"): "action" must be an object, got string "expire"',
      'the policy text is 84 characters; ECR needs at least 100: add a rule description',
    ]);
  });
});

describe('documents that are not of the typed shape', () => {
  test.each<[string, unknown, string]>([
    ['null', null, 'the policy must be a JSON object like {"rules": [...]}, got null'],
    ['no rules', {}, 'the policy: "rules" is required'],
    ['a selection that is a string', { rules: [{ rulePriority: 1, selection: 'any', action: { type: 'expire' } }] }, 'rules[0] (rulePriority 1): "selection" must be an object, got string "any"'],
    ['a tag pattern that is a number', { rules: [{ rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: [1, 'a*'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] },
      'rules[0] (rulePriority 1): selection: "tagPatternList" must be an array of strings, got an array [1,"a*"]'],
  ])('%s is reported, not trusted', (_, doc, problem) => {
    expect(documentValidator.validate(doc as PolicyDocumentJson, 'x'.repeat(100))).toContain(problem);
  });
});
