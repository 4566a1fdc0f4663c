import { Duration, aws_ecr as ecr } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EcrLifecycleRules } from '../../src';
import { newStack } from '../util';

describe('EcrLifecycleRules', () => {
  test('deleteUntaggedAfterDays selects untagged images by days since push', () => {
    expect(EcrLifecycleRules.deleteUntaggedAfterDays(7)).toEqual({
      description: 'Expire untagged images 7 days after push',
      tagStatus: ecr.TagStatus.UNTAGGED,
      maxImageAge: Duration.days(7),
    });
  });

  test('keepLastNImages selects any image by count', () => {
    expect(EcrLifecycleRules.keepLastNImages(10)).toEqual({
      description: 'Keep only the 10 most recent images',
      tagStatus: ecr.TagStatus.ANY,
      maxImageCount: 10,
    });
  });

  test('deleteTaggedAfterDays selects images with the tag prefix by days since push', () => {
    expect(EcrLifecycleRules.deleteTaggedAfterDays('feature-', 7)).toEqual({
      description: 'Expire images tagged \'feature-*\' 7 days after push',
      tagStatus: ecr.TagStatus.TAGGED,
      tagPrefixList: ['feature-'],
      maxImageAge: Duration.days(7),
    });
  });

  test('descriptions use the singular for one', () => {
    expect(EcrLifecycleRules.deleteUntaggedAfterDays(1).description).toBe('Expire untagged images 1 day after push');
    expect(EcrLifecycleRules.keepLastNImages(1).description).toBe('Keep only the 1 most recent image');
  });

  test('standardDev is untagged after 7 days, then keep the last 10', () => {
    expect(EcrLifecycleRules.standardDev()).toEqual([
      EcrLifecycleRules.deleteUntaggedAfterDays(7),
      EcrLifecycleRules.keepLastNImages(10),
    ]);
  });

  test('standardProd is untagged after 14 days, then keep the last 30', () => {
    expect(EcrLifecycleRules.standardProd()).toEqual([
      EcrLifecycleRules.deleteUntaggedAfterDays(14),
      EcrLifecycleRules.keepLastNImages(30),
    ]);
  });

  test('the rules are accepted by aws-ecr\'s own Repository.addLifecycleRule', () => {
    const stack = newStack();
    const repository = new ecr.Repository(stack, 'Plain');
    repository.addLifecycleRule(EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3));
    EcrLifecycleRules.standardProd().forEach(rule => repository.addLifecycleRule(rule));

    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"tagPrefixList":\\["pr-"\\]') },
    });
  });

  test.each([0, -1, 1.5, NaN, Infinity])('deleteUntaggedAfterDays rejects %p days', (days) => {
    expect(() => EcrLifecycleRules.deleteUntaggedAfterDays(days))
      .toThrow(`deleteUntaggedAfterDays: days must be a whole number >= 1, got ${days}`);
  });

  test.each([0, -3, 2.5])('keepLastNImages rejects a count of %p', (count) => {
    expect(() => EcrLifecycleRules.keepLastNImages(count))
      .toThrow(`keepLastNImages: count must be a whole number >= 1, got ${count}`);
  });

  test.each([0, 0.5])('deleteTaggedAfterDays rejects %p days', (days) => {
    expect(() => EcrLifecycleRules.deleteTaggedAfterDays('pr-', days))
      .toThrow(`deleteTaggedAfterDays: days must be a whole number >= 1, got ${days}`);
  });

  test.each(['', '   '])('deleteTaggedAfterDays rejects the empty prefix %p', (prefix) => {
    expect(() => EcrLifecycleRules.deleteTaggedAfterDays(prefix, 7))
      .toThrow(/deleteTaggedAfterDays: tagPrefix must be a non-empty tag prefix such as 'feature-'/);
  });
});
