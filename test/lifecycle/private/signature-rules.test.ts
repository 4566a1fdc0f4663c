// Lifecycle rules that delete the signatures of images they keep, on repositories ECR managed signing signs: the rule
// shapes that do (unit), and the synth warning on an EcrRepository an EcrManagedSigning covers.
import { Annotations as CoreAnnotations, App, aws_ecr as ecr, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { EcrLifecycleRules } from '../../../src/lifecycle/lifecycle-rules';
import { PolicyRuleJson } from '../../../src/lifecycle/private/policy-document';
import * as signatureRules from '../../../src/lifecycle/private/signature-rules';
import { EcrManagedSigning } from '../../../src/registry/managed-signing';
import { EcrRepository } from '../../../src/repository';
import { newStack, rule, TRANSITION } from '../../util';

// ECR counts a signature like an image ("it will attempt to only keep 1 image, signature, or image index",
// https://github.com/aws/containers-roadmap/issues/2613), and a rule selects only by "tagStatus": "tagged"|"untagged"|"any",
// tag lists, storageClass and a count (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html):
// no selector for artifact types. A signature is untagged.
const untagged = (days: number, priority = 1) => rule(priority, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: days });
const anyCount = (count: number, priority = 2) => rule(priority, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count });
const anyAge = (days: number, priority = 2) => rule(priority, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: days });
const taggedCount = (count: number, priority = 1) => rule(priority, { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: count });
const taggedAge = (days: number, priority = 1) => rule(priority, { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: days });

describe('signatureRemovingRule', () => {
  test.each<[string, PolicyRuleJson[], number | undefined]>([
    ['forProduction\'s rules: the untagged rule', [untagged(14), anyCount(30)], 1],
    ['an untagged rule after tagged rules', [taggedCount(30), untagged(7, 2)], 2],
    ['an any rule by count after a tagged count rule', [taggedCount(10), anyCount(30)], 2],
    ['an any rule by count after a tagged age rule', [taggedAge(3), anyCount(30)], 2],
    ['an any rule by age after a tagged age rule of more days', [taggedAge(60), anyAge(30)], 2],
    ['an any rule archiving by pull time', [rule(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, TRANSITION)], 1],
  ])('%s removes signatures of kept images', (_, rules, priority) => {
    expect(signatureRules.signatureRemovingRule(rules)?.rulePriority).toBe(priority);
  });

  test.each<[string, PolicyRuleJson[]]>([
    ['tagged rules only', [taggedCount(30), taggedAge(7, 2)]],
    ['a single any rule by count', [anyCount(60, 1)]],
    ['an any rule by age after a tagged age rule of fewer days', [taggedAge(3), anyAge(30)]],
    ['an untagged rule for archived images only', [rule(1, { tagStatus: 'untagged', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 })]],
  ])('%s keeps signatures with their images', (_, rules) => {
    expect(signatureRules.signatureRemovingRule(rules)).toBeUndefined();
  });
});

describe('the synth warning on a signed repository', () => {
  // On the CfnRepository, whose LifecyclePolicy it is about.
  const PATH = '/TestStack/Repo/Repository/Resource';
  const WARNING = Match.stringLikeRegexp("^lifecycle rule 1 \\('Expire untagged images 14 days after push'\\) deletes the signatures that EcrManagedSigning "
    + "'TestStack/Signing' adds to this repository apart from the images they sign: .*aws/containers-roadmap#2613.*tagPatternList: \\['\\*'\\]");

  test('forProduction with its own rules, signed by a filter that matches its name, warns', () => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['prod/*'] });
    EcrRepository.forProduction(stack, 'Repo', { repositoryName: 'prod/app' });
    Annotations.fromStack(stack).hasWarning(PATH, WARNING);
  });

  test('a repository created before the signing, of any name, under a filter of * warns', () => {
    const stack = newStack();
    EcrRepository.forProduction(stack, 'Repo');
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'] });
    Annotations.fromStack(stack).hasWarning(PATH, WARNING);
  });

  test('a signing configuration in another stack of the same account and region covers the repository', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    new EcrManagedSigning(new Stack(app, 'Registry', { env }), 'Signing', { repositoryFilters: ['*'] });
    const stack = new Stack(app, 'TestStack', { env });
    EcrRepository.forProduction(stack, 'Repo');
    Annotations.fromStack(stack).hasWarning(PATH, Match.stringLikeRegexp("EcrManagedSigning 'Registry/Signing'"));
  });

  test('a rule added after construction is seen', () => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'] });
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [{ tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: 30 }] });
    repo.addLifecycleRule(EcrLifecycleRules.deleteUntaggedAfterDays(7));
    Annotations.fromStack(stack).hasWarning(PATH, Match.stringLikeRegexp("^lifecycle rule 2 \\('Expire untagged images 7 days after push'\\) deletes"));
  });

  test('the policy and the filters are read from what the template finally says (L1 setters after construction)', () => {
    const stack = newStack();
    const signing = new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['dev/*'] });
    const repo = new EcrRepository(stack, 'Repo', { repositoryName: 'prod/app' });
    signing.resource.rules = [{ signingProfileArn: signing.signingProfile.signingProfileArn, repositoryFilters: [{ filter: 'prod/*', filterType: 'WILDCARD_MATCH' }] }];
    (repo.repository.node.defaultChild as ecr.CfnRepository).lifecyclePolicy = {
      lifecyclePolicyText: JSON.stringify({ rules: [untagged(3)] }),
    };
    Annotations.fromStack(stack).hasWarning(PATH, Match.stringLikeRegexp("^lifecycle rule 1 \\('Rule 1'\\) deletes the signatures"));
  });

  test('a rule without a description that archives signatures is named by its priority', () => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'] });
    const repo = new EcrRepository(stack, 'Repo');
    const archive = { rulePriority: 4, selection: { tagStatus: 'untagged', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, action: TRANSITION };
    (repo.repository.node.defaultChild as ecr.CfnRepository).lifecyclePolicy = { lifecyclePolicyText: JSON.stringify({ rules: [archive] }) };
    Annotations.fromStack(stack).hasWarning(PATH, Match.stringLikeRegexp('^lifecycle rule 4 archives the signatures'));
  });

  test('a policy text that is not JSON is left to the other checks', () => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'] });
    const repo = new EcrRepository(stack, 'Repo');
    (repo.repository.node.defaultChild as ecr.CfnRepository).lifecyclePolicy = { lifecyclePolicyText: '{not json' };
    Annotations.fromStack(stack).hasNoWarning(PATH, Match.stringLikeRegexp('signatures'));
  });

  test('the warning can be acknowledged', () => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['*'] });
    const repo = EcrRepository.forProduction(stack, 'Repo');
    CoreAnnotations.of(repo).acknowledgeWarning(signatureRules.WARNING_ID);
    Annotations.fromStack(stack).hasNoWarning(PATH, WARNING);
  });

  test.each<[string, (stack: Stack) => void]>([
    ['tagged rules only, as the README recommends', (stack) => new EcrRepository(stack, 'Repo', {
      repositoryName: 'prod/app', lifecycleRules: [{ tagStatus: ecr.TagStatus.TAGGED, tagPatternList: ['*'], maxImageCount: 30 }],
    })],
    ['a filter that does not match the name', (stack) => EcrRepository.forProduction(stack, 'Repo', { repositoryName: 'dev/app' })],
    ['a filter other than * and a name only known at deploy time', (stack) => EcrRepository.forProduction(stack, 'Repo')],
  ])('no warning with %s', (_, makeRepository) => {
    const stack = newStack();
    new EcrManagedSigning(stack, 'Signing', { repositoryFilters: ['prod/*'] });
    makeRepository(stack);
    Annotations.fromStack(stack).hasNoWarning(PATH, Match.stringLikeRegexp('signatures'));
  });

  test('no warning without a managed signing configuration, or with one in another region', () => {
    const app = new App();
    new EcrManagedSigning(new Stack(app, 'Registry', { env: { account: '111111111111', region: 'us-east-1' } }), 'Signing', { repositoryFilters: ['*'] });
    const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
    EcrRepository.forProduction(stack, 'Repo');
    const alone = newStack();
    EcrRepository.forProduction(alone, 'Repo');
    Annotations.fromStack(stack).hasNoWarning(PATH, Match.stringLikeRegexp('signatures'));
    Annotations.fromStack(alone).hasNoWarning(PATH, Match.stringLikeRegexp('signatures'));
  });
});
