import { Duration, aws_ecr as ecr } from 'aws-cdk-lib';
import { EcrLifecycleRules, EcrRepository, ImageStorageClass, LifecycleAction, EcrLifecyclePolicy } from '../../src';
import { lifecycleRulesOf, newStack } from '../util';

const DAY = 24 * 3600 * 1000;

describe('archive-tier lifecycle rules', () => {
  test('archiveAfterDaysSinceLastPull transitions unpulled images to archive', () => {
    expect(EcrLifecycleRules.archiveAfterDaysSinceLastPull(30)).toEqual({
      description: 'Archive images not pulled for 30 days',
      tagStatus: ecr.TagStatus.ANY,
      action: LifecycleAction.TRANSITION,
      maxAgeSinceLastPull: Duration.days(30),
    });
  });

  test('deleteFromArchiveAfterDays expires archived images', () => {
    expect(EcrLifecycleRules.deleteFromArchiveAfterDays(180)).toEqual({
      description: 'Delete archived images 180 days after archiving',
      tagStatus: ecr.TagStatus.ANY,
      storageClass: ImageStorageClass.ARCHIVE,
      maxAgeSinceArchived: Duration.days(180),
    });
  });

  test.each([1, 89])('deleteFromArchiveAfterDays refuses %p days: ECR keeps archived images 90 days', (days) => {
    expect(() => EcrLifecycleRules.deleteFromArchiveAfterDays(days))
      .toThrow(`deleteFromArchiveAfterDays: days must be at least 90 (ECR keeps archived images 90 days before they can be deleted), got ${days}`);
  });

  test.each([0, 2.5])('archiveAfterDaysSinceLastPull refuses %p days', (days) => {
    expect(() => EcrLifecycleRules.archiveAfterDaysSinceLastPull(days))
      .toThrow(`archiveAfterDaysSinceLastPull: days must be a whole number >= 1, got ${days}`);
  });

  test('a repository renders the archive tier as ECR documents it, one ANY rule per storage class', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [
        EcrLifecycleRules.deleteUntaggedAfterDays(7),
        EcrLifecycleRules.archiveAfterDaysSinceLastPull(60),
        EcrLifecycleRules.deleteFromArchiveAfterDays(365),
      ],
    });

    expect(lifecycleRulesOf(stack)).toEqual([
      expect.objectContaining({ rulePriority: 1, selection: expect.objectContaining({ tagStatus: 'untagged' }) }),
      {
        rulePriority: 2,
        description: 'Archive images not pulled for 60 days',
        selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 60 },
        action: { type: 'transition', targetStorageClass: 'archive' },
      },
      {
        rulePriority: 3,
        description: 'Delete archived images 365 days after archiving',
        selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 },
        action: { type: 'expire' },
      },
    ]);
  });

  test('the archive rules preview as they will act: unpulled images archived, long-archived ones deleted', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const policy = EcrLifecyclePolicy.fromRules([
      EcrLifecycleRules.archiveAfterDaysSinceLastPull(60),
      EcrLifecycleRules.deleteFromArchiveAfterDays(90),
    ]);
    const result = policy.preview([
      { digest: 'sha256:fresh', tags: ['v3'], pushedAt: new Date(now.getTime() - 100 * DAY), lastPulledAt: new Date(now.getTime() - DAY) },
      { digest: 'sha256:stale', tags: ['v2'], pushedAt: new Date(now.getTime() - 100 * DAY) },
      {
        digest: 'sha256:old',
        tags: ['v1'],
        pushedAt: new Date(now.getTime() - 400 * DAY),
        storageClass: ImageStorageClass.ARCHIVE,
        lastArchivedAt: new Date(now.getTime() - 91 * DAY),
      },
    ], { now });

    expect(result.transitioned.map(v => v.digest)).toEqual(['sha256:stale']);
    expect(result.expired.map(v => v.digest)).toEqual(['sha256:old']);
    expect(result.kept.map(v => v.digest)).toEqual(['sha256:fresh']);
  });

  test('ECR\'s pairing rules are enforced on hand-written archive rules', () => {
    expect(EcrLifecyclePolicy.fromRules([{ maxAgeSinceLastPull: Duration.days(30) }]).validate())
      .toEqual(['lifecycle rule 1: maxAgeSinceLastPull can only be used with action: LifecycleAction.TRANSITION, got action: LifecycleAction.EXPIRE; to delete unpulled images, transition them to archive, then expire them with maxAgeSinceArchived']);
    expect(EcrLifecyclePolicy.fromRules([{ maxAgeSinceArchived: Duration.days(120) }]).validate())
      .toEqual(['lifecycle rule 1: maxAgeSinceArchived needs storageClass: ImageStorageClass.ARCHIVE, got none (standard); select archived images with storageClass: ImageStorageClass.ARCHIVE']);
  });

  test('two ANY rules in the same storage class are still refused', () => {
    expect(EcrLifecyclePolicy.fromRules([
      EcrLifecycleRules.keepLastNImages(10),
      EcrLifecycleRules.archiveAfterDaysSinceLastPull(30),
    ]).validate()).toEqual([
      expect.stringMatching(/^lifecycle rule 1 .* and lifecycle rule 2 .*: only one rule of storage class ImageStorageClass.STANDARD may have TagStatus.ANY; merge them into one rule$/),
    ]);
    expect(EcrLifecyclePolicy.fromRules([
      { ...EcrLifecycleRules.deleteFromArchiveAfterDays(90), rulePriority: 1 },
      { tagStatus: ecr.TagStatus.UNTAGGED, storageClass: ImageStorageClass.ARCHIVE, maxAgeSinceArchived: Duration.days(90), rulePriority: 2 },
      { tagStatus: ecr.TagStatus.UNTAGGED, storageClass: ImageStorageClass.ARCHIVE, maxAgeSinceArchived: Duration.days(91), rulePriority: 3 },
    ]).validate()).toEqual([
      expect.stringMatching(/^lifecycle rule 2 .* and lifecycle rule 3 .*: only one rule of storage class ImageStorageClass.ARCHIVE may have TagStatus.UNTAGGED/),
      expect.stringMatching(/^lifecycle rule 1 .*: a rule with TagStatus.ANY must have the highest rulePriority of the rules of storage class ImageStorageClass.ARCHIVE, but lifecycle rule 2 .* and lifecycle rule 3 .* come after it/),
    ]);
  });
});
