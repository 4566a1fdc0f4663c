import { Duration, Lazy, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { EcrLifecycleRules, EcrLifecyclePolicy } from '../../src';

describe('LifecyclePolicy.fromRules', () => {
  test('renders the exact LifecyclePolicyText, rules in priority order', () => {
    const policy = EcrLifecyclePolicy.fromRules([EcrLifecycleRules.keepLastNImages(10), EcrLifecycleRules.deleteUntaggedAfterDays(7)]);

    expect(policy.validate()).toEqual([]);
    expect(policy.toJson()).toBe(JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: 'Expire untagged images 7 days after push',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: 'Keep only the 10 most recent images',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
          action: { type: 'expire' },
        },
      ],
    }));
  });

  // "lifecyclePolicyText [...] Length Constraints: Minimum length of 100." The text of no rules is 12 characters.
  test('an empty rule list is no valid policy: ECR refuses its text', () => {
    const policy = EcrLifecyclePolicy.fromRules([]);

    expect(policy.validate()).toEqual([
      'a lifecycle policy needs at least one rule, got none: ECR refuses its text {"rules":[]}, which is shorter than 100 characters; add a rule, or set no lifecycle policy',
    ]);
    expect(() => policy.toJson()).toThrow(/^Invalid lifecycle policy:\n  - a lifecycle policy needs at least one rule/);
  });

  test('toJson refuses an invalid policy and lists every problem', () => {
    const policy = EcrLifecyclePolicy.fromRules([{ maxImageCount: 0 }, { maxImageCount: 1 }]);

    expect(policy.validate()).toHaveLength(2);
    expect(() => policy.toJson()).toThrow(/^Invalid lifecycle policy:\n  - lifecycle rule 1: maxImageCount must be a whole number >= 1, got 0\n  - lifecycle rule 1 .* and lifecycle rule 2 .*: only one rule of storage class ImageStorageClass.STANDARD may have TagStatus.ANY/);
  });

  test('validate returns a copy', () => {
    const policy = EcrLifecyclePolicy.fromRules([{ maxImageCount: 0 }]);
    policy.validate().pop();
    expect(policy.validate()).toHaveLength(1);
  });

  test('tag patterns render as tagPatternList', () => {
    const policy = EcrLifecyclePolicy.fromRules([{ tagPatternList: ['prod*'], maxImageAge: Duration.days(365) }]);
    expect(JSON.parse(policy.toJson()).rules[0].selection).toEqual({
      tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 365,
    });
  });

  test('token numbers are refused: the policy is checked at synth and needs literal numbers', () => {
    const count = Token.asNumber(Lazy.number({ produce: () => 5 }));
    const days = Duration.days(Token.asNumber(Lazy.number({ produce: () => 5 })));

    expect(EcrLifecyclePolicy.fromRules([{ maxImageCount: count }]).validate())
      .toEqual(['lifecycle rule 1: maxImageCount must be a whole number >= 1, got a token (lifecycle rules are validated at synth and need literal numbers)']);
    expect(EcrLifecyclePolicy.fromRules([{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: days }]).validate())
      .toEqual(['lifecycle rule 1: maxImageAge must be a whole number >= 1, got a token (lifecycle rules are validated at synth and need literal numbers)']);
  });

  test('token tag prefixes and patterns are not checked', () => {
    const tag = Lazy.string({ produce: () => 'release-' });
    expect(EcrLifecyclePolicy.fromRules([{ tagPrefixList: [tag], maxImageCount: 1 }]).validate()).toEqual([]);
    expect(EcrLifecyclePolicy.fromRules([{ tagPatternList: [tag], maxImageCount: 1 }]).validate()).toEqual([]);
  });

  test('helpers accept tokens and leave them to synthesis', () => {
    expect(EcrLifecycleRules.keepLastNImages(Token.asNumber(Lazy.number({ produce: () => 3 }))).tagStatus).toBe(ecr.TagStatus.ANY);
  });

  // "A rule with a tagStatus value of any must have the highest value for rulePriority and be evaluated last."
  test('an explicit priority that collides with an automatic one says which rule has which, and that ANY goes last', () => {
    const policy = EcrLifecyclePolicy.fromRules([
      { description: 'keep 5', rulePriority: 1, maxImageCount: 5 },
      EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3),
    ]);

    expect(policy.validate()).toEqual([
      'lifecycle rule 1 (\'keep 5\', rulePriority 1, as written) and lifecycle rule 2 (\'Expire images tagged \'pr-*\' 3 days after push\', rulePriority 1, numbered automatically): '
      + 'rulePriority 1 is used 2 times, but each rule needs a unique one, and a rule with TagStatus.ANY must come last; '
      + 'remove rulePriority to have the rules numbered in declared order, the TagStatus.ANY rule last',
    ]);
  });
});
