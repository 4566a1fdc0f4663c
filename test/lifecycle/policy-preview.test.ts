// EcrLifecyclePolicy wired to the engine: fromJson (parse + validate), preview, and validate() including
// every documented ECR constraint on the rendered document.
import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Duration, Lazy } from 'aws-cdk-lib';
import { EcrLifecycleRules, EcrRepository, ImageInventory, EcrLifecyclePolicy } from '../../src';
import { ImageStorageClass } from '../../src/lifecycle/image';
import { daysAgo, image, names, nameSet, NOW, newStack } from '../util';

const ARCHIVE_POLICY = JSON.stringify({
  rules: [
    { rulePriority: 1, description: 'Archive images not pulled for 90 days', selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, action: { type: 'transition', targetStorageClass: 'archive' } },
    { rulePriority: 2, description: 'Delete images archived for a year', selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }, action: { type: 'expire' } },
  ],
});

describe('LifecyclePolicy.fromJson', () => {
  test('reads a valid policy, archive rules included', () => {
    const policy = EcrLifecyclePolicy.fromJson(ARCHIVE_POLICY);
    expect(policy.validate()).toEqual([]);
    expect(policy.toJson()).toBe(ARCHIVE_POLICY);
  });

  test('round-trips the text fromRules renders', () => {
    const text = EcrLifecyclePolicy.fromRules(EcrLifecycleRules.standardProd()).toJson();
    expect(EcrLifecyclePolicy.fromJson(text).toJson()).toBe(text);
  });

  test('throws one error listing every problem', () => {
    const text = JSON.stringify({
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, action: { type: 'expire' } },
        { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 0 }, action: { type: 'expire' } },
      ],
    });
    expect(() => EcrLifecyclePolicy.fromJson(text)).toThrow([
      'Invalid lifecycle policy:',
      '  - rules[0] (rulePriority 1): countType "sinceImagePulled" can only be used with action "transition", got action "expire"; to delete unpulled images, transition them to archive, then expire them with countType "sinceImageTransitioned"',
      '  - rules[1] (rulePriority 1): selection.countNumber must be a whole number >= 1, got 0',
      '  - rules[0] (rulePriority 1) and rules[1] (rulePriority 1): rulePriority 1 is used 2 times, but each rule needs a unique one, and a rule with tagStatus "any" must come last; renumber the rules',
    ].join('\n'));
  });

  test('throws for malformed JSON, saying why', () => {
    expect(() => EcrLifecyclePolicy.fromJson('{"rules": [')).toThrow(/^Invalid lifecycle policy:\n  - the text is not valid JSON \(/);
  });
});

describe('LifecyclePolicy.validate', () => {
  test('includes every ECR constraint, named as the rules were written: one set of tag prefixes per storage class', () => {
    const policy = EcrLifecyclePolicy.fromRules([EcrLifecycleRules.deleteTaggedAfterDays('pr-', 7), { tagPrefixList: ['pr-'], maxImageCount: 3 }]);
    expect(policy.validate()).toEqual([
      'lifecycle rule 1 (\'Expire images tagged \'pr-*\' 7 days after push\') and lifecycle rule 2: both select tag prefixes ["pr-"] in storage class ImageStorageClass.STANDARD; the rules of a storage class need unique sets of tag prefixes, so merge them into one rule',
    ]);
    expect(() => policy.toJson()).toThrow(/^Invalid lifecycle policy:\n  - lifecycle rule 1 .* and lifecycle rule 2: both select/);
  });

  test('EcrRepository reports those problems at synth, with the construct path', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 7), { tagPrefixList: ['pr-'], maxImageCount: 3 }],
    });
    expect(() => App.of(stack)!.synth()).toThrow(/TestStack\/Repo[\s\S]*both select tag prefixes \["pr-"\] in storage class ImageStorageClass.STANDARD/);
  });

  test('includes the policy text length limit', () => {
    const rules = Array.from({ length: 40 }, (_, i) => ({ tagPrefixList: [`team-${i}-`], maxImageCount: 5, description: 'x'.repeat(800) }));
    expect(EcrLifecyclePolicy.fromRules(rules).validate()).toEqual([expect.stringMatching(/^the policy text is \d+ characters; ECR accepts at most 30720/)]);
  });

  test('does not check the length of text that still holds tokens', () => {
    const prefix = Lazy.string({ produce: () => 'release-' });
    const rules = Array.from({ length: 40 }, (_, i) => ({ tagPrefixList: [`${prefix}${i}`], maxImageCount: 5, description: 'x'.repeat(800) }));
    expect(EcrLifecyclePolicy.fromRules(rules).validate()).toEqual([]);
  });
});

describe('LifecyclePolicy.preview', () => {
  test('previews the rules a repository takes', () => {
    const policy = EcrLifecyclePolicy.fromRules([EcrLifecycleRules.deleteUntaggedAfterDays(7), EcrLifecycleRules.keepLastNImages(2)]);
    const result = policy.preview([
      image('untagged-old', [], 8), image('untagged-new', [], 1),
      image('v3', ['v3'], 2), image('v2', ['v2'], 3), image('v1', ['v1'], 4),
    ], { now: NOW });
    expect(names(result.expired)).toEqual(['v2', 'v1', 'untagged-old']);
    expect(names(result.kept)).toEqual(['untagged-new', 'v3']);
    expect(result.transitioned).toEqual([]);
  });

  test('previews archive rules read from JSON', () => {
    const result = EcrLifecyclePolicy.fromJson(ARCHIVE_POLICY).preview([
      image('idle', ['a'], 200, { lastPulledAt: daysAgo(100) }),
      image('gone', ['b'], 900, { storageClass: ImageStorageClass.ARCHIVE, lastArchivedAt: daysAgo(400) }),
    ], { now: NOW });
    expect(names(result.transitioned)).toEqual(['idle']);
    expect(names(result.expired)).toEqual(['gone']);
  });

  test('evaluates at the current time by default', () => {
    const policy = EcrLifecyclePolicy.fromRules([{ maxImageAge: Duration.days(1) }]);
    expect(names(policy.preview([{ digest: 'sha256:a', pushedAt: new Date(Date.now() - 2 * 86_400_000) }]).expired)).toEqual(['a']);
  });

  test('refuses to preview an invalid policy, listing every problem', () => {
    const policy = EcrLifecyclePolicy.fromRules([{ maxImageCount: 0 }]);
    expect(() => policy.preview([])).toThrow(/^Invalid lifecycle policy:\n  - lifecycle rule 1: maxImageCount must be a whole number >= 1, got 0$/);
  });
});

describe('LifecyclePolicy.preview with linked images and sizes', () => {
  test('a policy from JSON previews a multi-arch repository read with its index manifests', () => {
    const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
    const images = ImageInventory.fromDescribeImagesOutput(fixture('multi-arch.json'), { batchGetImageOutputs: [fixture('batch-get-image.json')] });
    const result = EcrLifecyclePolicy.fromJson(fixture('multi-arch-policy.json')).preview(images, { now: NOW });
    expect(nameSet(result.expired)).toEqual([`${'e'.repeat(64)}`, `${'f'.repeat(64)}`]);
    expect([result.expiredBytes, result.transitionedBytes, result.keptBytes]).toEqual([209715200 + 4096, 0, 1024 + 2 * 104857600]);
    expect(result.warnings).toEqual([]);
  });
});
