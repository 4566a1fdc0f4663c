// Every example of the ECR User Guide's "Examples of lifecycle policies" page, transcribed: the
// repository contents, the policy text and the documented result. Examples that give no repository
// contents get a small repository chosen to show the documented behaviour.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html
import * as simulator from '../../../src/lifecycle/private/simulator';
import { archivedImage, daysAgo, image, nameSet, NOW, policy, rule, TRANSITION } from '../../util';

const preview = (doc: Parameters<typeof simulator.preview>[0], images: Parameters<typeof simulator.preview>[1]) =>
  simulator.preview(doc, images, { now: NOW });

describe('Filtering on image age', () => {
  const doc = policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }));

  test('expires prod* images older than 14 days and keeps the rest', () => {
    const result = preview(doc, [image('old-prod', ['prod-1'], 15), image('new-prod', ['prod-2'], 13), image('old-dev', ['dev-1'], 30)]);
    expect(nameSet(result.expired)).toEqual(['old-prod']);
    expect(nameSet(result.kept)).toEqual(['new-prod', 'old-dev']);
  });
});

describe('Filtering on last pulled time', () => {
  const doc = policy(rule(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, TRANSITION));

  test('archives images not pulled in 90 days, using the push time for never-pulled images', () => {
    const result = preview(doc, [
      image('pulled-long-ago', ['a'], 200, { lastPulledAt: daysAgo(100) }),
      image('pulled-recently', ['b'], 200, { lastPulledAt: daysAgo(10) }),
      image('never-pulled-old', [], 120),
      image('never-pulled-new', [], 30),
    ]);
    expect(nameSet(result.transitioned)).toEqual(['never-pulled-old', 'pulled-long-ago']);
    expect(nameSet(result.kept)).toEqual(['never-pulled-new', 'pulled-recently']);
    expect(result.expired).toEqual([]);
  });
});

describe('Filtering on archive transition time', () => {
  const doc = policy(rule(1, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }));

  test('expires images archived for more than 365 days and leaves standard images alone', () => {
    const result = preview(doc, [
      archivedImage('archived-400', ['a'], 800, 400),
      archivedImage('archived-100', ['b'], 800, 100),
      image('standard-old', ['c'], 800),
    ]);
    expect(nameSet(result.expired)).toEqual(['archived-400']);
    expect(nameSet(result.kept)).toEqual(['archived-100', 'standard-old']);
  });
});

describe('Filtering on image count', () => {
  const doc = policy(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }));

  test('keeps only the newest untagged image', () => {
    const result = preview(doc, [image('u1', [], 3), image('u2', [], 2), image('u3', [], 1), image('t1', ['v1'], 5)]);
    expect(nameSet(result.expired)).toEqual(['u1', 'u2']);
    expect(nameSet(result.kept)).toEqual(['t1', 'u3']);
  });
});

describe('Filtering on multiple rules', () => {
  const repository = [image('A', ['beta-1', 'prod-1'], 10), image('B', ['beta-2', 'prod-2'], 9), image('C', ['beta-3'], 8)];
  const prod = { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'imageCountMoreThan', countNumber: 1 };
  const beta = { tagStatus: 'tagged', tagPatternList: ['beta*'], countType: 'imageCountMoreThan', countNumber: 1 };

  test('Example A: Image A is expired; Image B is skipped because it would violate Rule 1', () => {
    const result = preview(policy(rule(1, prod), rule(2, beta)), repository);
    expect(nameSet(result.expired)).toEqual(['A']);
    expect(nameSet(result.kept)).toEqual(['B', 'C']);
  });

  test('Example B: Images A and B are expired', () => {
    const result = preview(policy(rule(1, beta), rule(2, prod)), repository);
    expect(nameSet(result.expired)).toEqual(['A', 'B']);
    expect(nameSet(result.kept)).toEqual(['C']);
  });
});

describe('Filtering on multiple tags in a single rule', () => {
  test('Example A: images must match all listed patterns; Image C is expired', () => {
    const doc = policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['alpha*', 'beta*'], countType: 'sinceImagePushed', countNumber: 5, countUnit: 'days' }));
    const result = preview(doc, [
      image('A', ['alpha-1'], 12), image('B', ['beta-1'], 11), image('C', ['alpha-2', 'beta-2'], 10),
      image('D', ['alpha-3'], 4), image('E', ['beta-3'], 3), image('F', ['alpha-4', 'beta-4'], 2),
    ]);
    expect(nameSet(result.expired)).toEqual(['C']);
  });

  test('Example B: tags are not exclusive; Images A and B are expired', () => {
    const doc = policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['alpha*', 'beta*'], countType: 'imageCountMoreThan', countNumber: 1 }));
    const result = preview(doc, [
      image('A', ['alpha-1', 'beta-1', 'gamma-1'], 10), image('B', ['alpha-2', 'beta-2'], 9), image('C', ['alpha-3', 'beta-3', 'gamma-2'], 8),
    ]);
    expect(nameSet(result.expired)).toEqual(['A', 'B']);
  });
});

describe('Filtering on all images', () => {
  test('Example A: keeps only the newest image; Images A, B and C are expired', () => {
    const doc = policy(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }));
    const result = preview(doc, [image('A', ['alpha-1'], 4), image('B', ['beta-1'], 3), image('C', [], 2), image('D', ['alpha-2'], 1)]);
    expect(nameSet(result.expired)).toEqual(['A', 'B', 'C']);
  });

  test('Example B: all rule types combined; Images A, B and D are expired', () => {
    const doc = policy(
      rule(1, { tagStatus: 'tagged', tagPatternList: ['alpha*'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }),
      rule(3, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }),
    );
    // The guide says D and E were both pushed "1 day ago" and that Rule 3 keeps the newest image and marks
    // D: so E is the newer of the two. E is given 0.9 days; D exactly 1 day (not older than 1 day).
    const result = preview(doc, [
      image('A', ['alpha-1', 'beta-1'], 4), image('B', [], 3), image('C', ['alpha-2'], 2), image('D', ['git hash'], 1), image('E', [], 0.9),
    ]);
    expect(nameSet(result.expired)).toEqual(['A', 'B', 'D']);
    expect(nameSet(result.kept)).toEqual(['C', 'E']);
  });
});

describe('Archive examples', () => {
  test('archives prod* images older than 30 days', () => {
    const doc = policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, TRANSITION));
    const result = preview(doc, [image('old-prod', ['prod'], 31), image('new-prod', ['prod1'], 29), image('old-dev', ['dev'], 31)]);
    expect(nameSet(result.transitioned)).toEqual(['old-prod']);
    expect(nameSet(result.kept)).toEqual(['new-prod', 'old-dev']);
  });

  test('archives images not pulled in 90 days', () => {
    const doc = policy(rule(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, TRANSITION));
    const result = preview(doc, [image('idle', ['v1'], 365, { lastPulledAt: daysAgo(91) }), image('busy', ['v2'], 365, { lastPulledAt: daysAgo(1) })]);
    expect(nameSet(result.transitioned)).toEqual(['idle']);
  });

  test('combining archive and expire rules: archives after 30 days, expires after 365 days in archive', () => {
    const doc = policy(
      rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, TRANSITION),
      rule(2, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }),
    );
    const result = preview(doc, [
      image('fresh', ['v3'], 10), image('stale', ['v2'], 40),
      archivedImage('long-archived', ['v0'], 800, 400), archivedImage('recently-archived', ['v1'], 200, 100),
    ]);
    expect(nameSet(result.transitioned)).toEqual(['stale']);
    expect(nameSet(result.expired)).toEqual(['long-archived']);
    expect(nameSet(result.kept)).toEqual(['fresh', 'recently-archived']);
  });
});
