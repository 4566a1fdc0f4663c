import { Annotations as CoreAnnotations, Duration, aws_ecr as ecr } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { EcrLifecycleRules, EcrRepository, ImageStorageClass, LifecycleAction } from '../../../src';
import { newStack } from '../../util';

const release = (count: number) => ({ description: `keep ${count} releases`, tagPrefixList: ['release-'], maxImageCount: count });

describe('lifecycle safety warnings', () => {
  test('an ANY rule by age warns that it expires every image', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules: [{ tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(30) }] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo/Repository/Resource', Match.stringLikeRegexp(
      '^lifecycle rule 1 \\(rulePriority 1, numbered automatically\\) expires EVERY image pushed more than 30 days ago, tagged or not, including images still deployed\\. Prefer keepLastNImages.*\\[ack: cdk-secure-ecr:anyRuleExpiresByAge\\]'));
  });

  test('in a production repository the warning says the images are releases', () => {
    const stack = newStack();
    EcrRepository.forProduction(stack, 'Prod', { lifecycleRules: [{ description: 'old', tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(90) }] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Prod/Repository/Resource', Match.stringLikeRegexp(
      "^lifecycle rule 1 \\('old', rulePriority 1, numbered automatically\\) expires EVERY image .* With immutable tags these are releases"));
  });

  test('transitioning every unpulled image to archive is not a deletion and does not warn', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.archiveAfterDaysSinceLastPull(30)] });

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('an age rule before a keep rule over the same tags warns that it undercuts the keep rule', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('release', 30), release(10)] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo/Repository/Resource', Match.stringLikeRegexp(
      "^lifecycle rule 1 \\('Expire images tagged 'release\\*' 30 days after push', rulePriority 1, numbered automatically\\) removes images by age that lifecycle rule 2 \\('keep 10 releases', rulePriority 2, numbered automatically\\) is meant to keep: ECR applies the lower rulePriority \\(1\\) first, so images tagged 'release-\\*' are removed after 30 days even when they are among the newest 10.*cdk-secure-ecr:keepRuleUndercut"));
  });

  test('archiving by last pull before a keep rule warns too', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [{ tagPrefixList: ['release'], action: LifecycleAction.TRANSITION, maxAgeSinceLastPull: Duration.days(30) }, release(10)],
    });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo/Repository/Resource', Match.stringLikeRegexp("removes images by age that lifecycle rule 2 \\('keep 10 releases'"));
  });

  test.each([
    ['the keep rule comes first', [release(10), EcrLifecycleRules.deleteTaggedAfterDays('release', 30)]],
    ['the tags do not overlap', [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3), release(10)]],
    ['the age rule is narrower than the keep rule', [EcrLifecycleRules.deleteTaggedAfterDays('release-rc', 3), release(10)]],
    ['the standard production set', EcrLifecycleRules.standardProd()],
    ['untagged clean-up before a keep rule', [EcrLifecycleRules.deleteUntaggedAfterDays(1), release(10)]],
    ['tag-prefix clean-up with a global cap', [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3), EcrLifecycleRules.keepLastNImages(30)]],
  ])('no warning when %s', (_, lifecycleRules) => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules });

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  // Issue 16: warned after each added rule, the ANY rule was "rule 1" and then "rule 4" (a later rule's
  // rulePriority 3 moves it), so the same rule warned twice under two names.
  test('a warning is reported once, from the final rule set, naming the rule as errors do', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [{ tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(30) }, { tagPrefixList: ['v'], maxImageCount: 5, rulePriority: 3 }],
    });

    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-secure-ecr:anyRuleExpiresByAge'));
    expect(warnings.map(w => w.entry.data)).toEqual([expect.stringMatching(
      /^lifecycle rule 1 \(rulePriority 4, numbered automatically\) expires EVERY image pushed more than 30 days ago/)]);
  });

  test('a rule added later renumbers the rule a warning names, and the warning names it once', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [{ description: 'old', tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(30) }] });
    repo.addLifecycleRule({ ...release(10), rulePriority: 5 });

    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-secure-ecr:anyRuleExpiresByAge'));
    expect(warnings.map(w => w.entry.data)).toEqual([expect.stringMatching(
      /^lifecycle rule 1 \('old', rulePriority 6, numbered automatically\) expires EVERY image/)]);
  });

  test('the warning is acknowledgeable', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('release', 30), release(10)] });
    CoreAnnotations.of(repo).acknowledgeWarning('cdk-secure-ecr:keepRuleUndercut', 'releases older than 30 days are never deployed');

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  // tagPatternList: "you can use the tag pattern list prod* to specify all of them"; `*` alone matches every tag.
  test.each([[['*']], [['*', '**']]])('an age rule on tagPatternList %p in a production repository warns that it expires every release', (tagPatternList) => {
    const stack = newStack();
    EcrRepository.forProduction(stack, 'Prod', { lifecycleRules: [{ tagPatternList, maxImageAge: Duration.days(60) }] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Prod/Repository/Resource', Match.stringLikeRegexp(
      `^lifecycle rule 1 \\(rulePriority 1, numbered automatically\\) expires EVERY tagged image pushed more than 60 days ago \\(its tagPatternList ${JSON.stringify(tagPatternList).replace(/[[\]*]/g, '\\$&')} matches every tag\\), including images still deployed\\. With immutable tags these are releases.*\\[ack: cdk-secure-ecr:wildcardRuleExpiresByAge\\]`));
  });

  test('a wildcard age rule added later warns too', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    repo.addLifecycleRule({ tagPatternList: ['*'], maxImageAge: Duration.days(60) });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo/Repository/Resource', Match.stringLikeRegexp('cdk-secure-ecr:wildcardRuleExpiresByAge'));
  });

  test.each([
    ['a pattern that names tags', { tagPatternList: ['v*'], maxImageAge: Duration.days(60) }],
    ['a wildcard pattern with another pattern', { tagPatternList: ['*', 'v*'], maxImageAge: Duration.days(60) }],
    ['a wildcard pattern that keeps the newest', { tagPatternList: ['*'], maxImageCount: 10 }],
    ['a wildcard pattern that archives', { tagPatternList: ['*'], action: LifecycleAction.TRANSITION, maxAgeSinceLastPull: Duration.days(60) }],
  ])('no wildcard warning for %s', (_, rule) => {
    const stack = newStack();
    EcrRepository.forProduction(stack, 'Prod', { lifecycleRules: [rule] });

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  // "Images must be in archive storage for a minimum of 90 days before deletion." After that they are gone.
  test('a rule that deletes every archived image warns', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteFromArchiveAfterDays(180)] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo/Repository/Resource', Match.stringLikeRegexp(
      "^lifecycle rule 1 \\('Delete archived images 180 days after archiving', rulePriority 1, numbered automatically\\) deletes EVERY archived image 180 days after it was archived, tagged or not.*\\[ack: cdk-secure-ecr:archiveRuleExpiresEveryImage\\]"));
  });

  test('deleting archived images of chosen tags does not warn', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [{ tagPrefixList: ['pr-'], storageClass: ImageStorageClass.ARCHIVE, maxAgeSinceArchived: Duration.days(90) }],
    });

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});
