// IMMUTABLE_WITH_EXCLUSION with an exclusion filter that matches every tag (`*`, `**`) makes no tag immutable:
// it warns, and the presets that promise IMMUTABLE tags refuse it, on what the template finally says (issue 16).
// ECR: "Wildcard filters ... An asterisk (*) matches zero or more characters" and a tag that matches an exclusion
// filter stays mutable (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html).
import { Annotations as CoreAnnotations, aws_ecr as ecr } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EcrRepository, EcrRepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor } from '../src';
import { newStack } from './util';

const WARNING = 'cdk-secure-ecr:exclusionMatchesEveryTag';
const excluding = (...patterns: string[]) => ({
  imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
  imageTagMutabilityExclusionFilters: patterns.map(p => ecr.ImageTagMutabilityExclusionFilter.wildcard(p)),
});
const warningsOf = (stack: ReturnType<typeof newStack>) =>
  Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING));

describe('an exclusion filter that matches every tag', () => {
  test.each(['*', '**'])('%s in an EcrRepository warns once, naming the filter, with an id to acknowledge', pattern => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', excluding('latest', pattern));
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/TestStack/Repo/Repository/Resource');
    expect(warnings[0].entry.data).toContain(`The exclusion filter '${pattern}' of IMMUTABLE_WITH_EXCLUSION matches every tag, so no tag is immutable`);
  });

  test('the warning is acknowledged on the repository before synthesis', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', excluding('*'));
    CoreAnnotations.of(repo).acknowledgeWarning(WARNING, 'every tag is a moving tag here');
    expect(warningsOf(stack)).toEqual([]);
  });

  test('a filter that names some tags does not warn', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', excluding('latest', 'dev-*', '*-rc'));
    expect(warningsOf(stack)).toEqual([]);
  });

  test('MUTABLE_WITH_EXCLUSION with * (every tag immutable) does not warn', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { ...excluding('*'), imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION });
    expect(warningsOf(stack)).toEqual([]);
  });

  test.each([
    ['forCompliance', EcrRepository.forCompliance],
    ['forProduction', EcrRepository.forProduction],
  ])('%s refuses it at synthesis: the preset promises IMMUTABLE tags', (name, preset) => {
    const stack = newStack();
    preset(stack, 'Repo', excluding('*'));
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`\\[TestStack/Repo\\] ${name} promises IMMUTABLE tags, but the exclusion filter '\\*' `
      + 'of IMMUTABLE_WITH_EXCLUSION matches every tag'));
  });

  test('forCompliance refuses a filter of every tag that the L1 gets after construction', () => {
    const stack = newStack();
    const repo = EcrRepository.forCompliance(stack, 'Repo');
    const cfn = repo.repository.node.defaultChild as ecr.CfnRepository;
    cfn.imageTagMutability = 'IMMUTABLE_WITH_EXCLUSION';
    cfn.imageTagMutabilityExclusionFilters = [{ imageTagMutabilityExclusionFilterType: 'WILDCARD', imageTagMutabilityExclusionFilterValue: '*' }];
    expect(() => Template.fromStack(stack)).toThrow(/forCompliance promises IMMUTABLE tags/);
  });

  test('forProduction refuses a filter of every tag that an override writes (the check reads the final template)', () => {
    const stack = newStack();
    const repo = EcrRepository.forProduction(stack, 'Repo', excluding('latest'));
    (repo.node.defaultChild as ecr.CfnRepository).addPropertyOverride('ImageTagMutabilityExclusionFilters.0.ImageTagMutabilityExclusionFilterValue', '*');
    expect(() => Template.fromStack(stack)).toThrow(/forProduction promises IMMUTABLE tags, but the exclusion filter '\*'/);
  });

  test('forDevelopment (MUTABLE) only warns', () => {
    const stack = newStack();
    EcrRepository.forDevelopment(stack, 'Repo', excluding('*'));
    expect(warningsOf(stack)).toHaveLength(1);
  });

  test('a repository creation template warns the same', () => {
    const stack = newStack();
    new EcrRepositoryCreationTemplate(stack, 'Template', {
      prefix: 'prod', appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH], ...excluding('*'),
    });
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/TestStack/Template/Resource');
  });
});
