// Every ECR limit in limits.ts is enforced on both paths, at its boundary: rules written as CDK structs
// (EcrLifecyclePolicy.fromRules, EcrRepository) and policy text (EcrLifecyclePolicy.fromJson, the CLI).
// A limit added to limits.ts without a case here does not compile (and fails the last test).
import { App, Duration, aws_ecr as ecr } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { EcrLifecycleRule, EcrRepository, ImageStorageClass, LifecycleAction, EcrLifecyclePolicy } from '../../../src';
import * as documentValidator from '../../../src/lifecycle/private/document-validator';
import * as limits from '../../../src/lifecycle/private/limits';
import * as ruleCheck from '../../../src/lifecycle/private/rule-check';
import { newStack } from '../../util';

interface LimitCase {
  /** Rules at the limit: accepted. */
  readonly within: EcrLifecycleRule[];
  /** The same rules one step past it: refused. */
  readonly beyond: EcrLifecycleRule[];
  /** The problem both paths report for `beyond`. */
  readonly problem: RegExp;
}

const teams = (count: number, description = 'x'): EcrLifecycleRule[] =>
  Array.from({ length: count }, (_, i) => ({ description, tagPrefixList: [`team-${i}-`], maxImageCount: 5 }));
const pattern = (wildcards: number): EcrLifecycleRule[] => [{ tagPatternList: [`v${'*'.repeat(wildcards)}`], maxImageCount: 1 }];
const archived = (days: number): EcrLifecycleRule[] =>
  [{ tagStatus: ecr.TagStatus.ANY, storageClass: ImageStorageClass.ARCHIVE, maxAgeSinceArchived: Duration.days(days) }];

const CASES: Record<keyof typeof limits, LimitCase> = {
  MIN_POLICY_TEXT_LENGTH: { within: teams(1), beyond: [], problem: /shorter than 100 characters/ },
  MAX_POLICY_TEXT_LENGTH: {
    within: withTextLength(limits.MAX_POLICY_TEXT_LENGTH),
    beyond: withTextLength(limits.MAX_POLICY_TEXT_LENGTH + 1),
    problem: /the policy text is 30721 characters; ECR accepts at most 30720/,
  },
  MAX_RULES_PER_POLICY: { within: teams(50), beyond: teams(51), problem: /a lifecycle policy holds at most 50 rules \(an ECR service quota that cannot be raised\), got 51/ },
  MAX_WILDCARDS_PER_PATTERN: { within: pattern(4), beyond: pattern(5), problem: /has 5 wildcards \(\*\); ECR allows at most 4 per pattern/ },
  MIN_DAYS_IN_ARCHIVE_BEFORE_EXPIRE: { within: archived(90), beyond: archived(89), problem: /must be at least 90 \(ECR keeps archived images 90 days before they can be deleted\), got 89/ },
  MIN_WHOLE_NUMBER: {
    within: [{ maxImageCount: 1, rulePriority: 1 }],
    beyond: [{ maxImageCount: 0, rulePriority: 1 }],
    problem: /must be a whole number >= 1, got 0/,
  },
};

/** The JSON the rules render to, checked or not. */
function render(rules: EcrLifecycleRule[]): string {
  return JSON.stringify({ rules: ruleCheck.numberRules(rules).map(ruleCheck.renderRule) });
}

/** 40 rules whose text is exactly `length` characters long. */
function withTextLength(length: number): EcrLifecycleRule[] {
  const rules = teams(40, '');
  const padding = length - render(rules).length;
  return rules.map((rule, i) => ({ ...rule, description: 'x'.repeat(Math.floor(padding / 40) + (i < padding % 40 ? 1 : 0)) }));
}

describe.each(Object.entries(CASES))('%s', (_, { within, beyond, problem }) => {
  test('fromRules accepts rules at the limit and refuses them past it', () => {
    expect(EcrLifecyclePolicy.fromRules(within).validate()).toEqual([]);
    expect(EcrLifecyclePolicy.fromRules(beyond).validate()).toContainEqual(expect.stringMatching(problem));
  });

  test('fromJson accepts their text at the limit and refuses it past it', () => {
    expect(EcrLifecyclePolicy.fromJson(render(within)).toJson()).toBe(render(within));
    expect(() => EcrLifecyclePolicy.fromJson(render(beyond))).toThrow(problem);
  });
});

// Service quotas: "Rules per lifecycle policy: 50" (not adjustable).
test('the construct refuses more than 50 rules at synth, naming itself', () => {
  const stack = newStack();
  new EcrRepository(stack, 'Repo', { lifecycleRules: teams(51) });
  expect(() => App.of(stack)!.synth()).toThrow(/TestStack\/Repo[\s\S]*a lifecycle policy holds at most 50 rules/);
});

test('every limit in limits.ts has a case', () => {
  expect(Object.keys(CASES).sort()).toEqual(Object.keys(limits).sort());
});

// Rule sets near the boundary of validity: mostly well-formed rules, each field now and then wrong. Each rule has
// one count prop (its JSON can't lack one). About a third of the sets are valid.
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const PULL = { action: LifecycleAction.TRANSITION };
const ARCHIVED = { storageClass: ImageStorageClass.ARCHIVE };
const anyRule: fc.Arbitrary<EcrLifecycleRule> = fc.record({
  rulePriority: sometimes(fc.integer({ min: 0, max: 6 })),
  description: sometimes(fc.constant('d')),
  tagStatus: sometimes(fc.constantFrom(ecr.TagStatus.ANY, ecr.TagStatus.TAGGED, ecr.TagStatus.UNTAGGED)),
  tagPrefixList: fc.option(fc.array(fc.constantFrom('', ' ', 'a', 'ab', 'b', 'c'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  tagPatternList: sometimes(fc.array(fc.constantFrom('', '*', 'a*', 'a*b*c*d*e*'), { maxLength: 2 })),
  storageClass: sometimes(fc.constantFrom(ImageStorageClass.STANDARD, ImageStorageClass.ARCHIVE)),
  action: sometimes(fc.constantFrom(LifecycleAction.EXPIRE, LifecycleAction.TRANSITION)),
}, { requiredKeys: [] }).chain(rule => fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 30 }).map(maxImageCount => ({ ...rule, maxImageCount })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 30 }).map(days => ({ ...rule, maxImageAge: Duration.days(days) })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }).map(days => ({ ...rule, ...PULL, maxAgeSinceLastPull: Duration.days(days) })) },
  { weight: 1, arbitrary: fc.integer({ min: 88, max: 91 }).map(days => ({ ...rule, ...ARCHIVED, maxAgeSinceArchived: Duration.days(days) })) },
));

test('fromRules and the JSON validator refuse the same rule sets, with as many problems', () => {
  let valid = 0;
  fc.assert(fc.property(fc.array(anyRule, { maxLength: 4 }), (rules) => {
    const fromRules = EcrLifecyclePolicy.fromRules(rules).validate();
    const fromText = documentValidator.validateText(render(rules));
    expect(fromRules).toHaveLength(fromText.length);
    valid += fromRules.length === 0 ? 1 : 0;
  }), { numRuns: 500 });
  // Both kinds were seen: the property compared valid sets too, not only invalid ones.
  expect(valid).toBeGreaterThan(50);
  expect(valid).toBeLessThan(450);
});
