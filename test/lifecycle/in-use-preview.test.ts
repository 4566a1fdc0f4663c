// The preview with in-use references (LifecyclePreviewOptions.inUse): matching by repository, digest and tag,
// index children, the at-risk and missing lists.
import { readFileSync } from 'fs';
import { join } from 'path';
import { EcrLifecyclePolicy, ImageDetail, ImageInventory, InUseReferences } from '../../src';
import { daysAgo, NOW } from '../util';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-app';
const d = (c: string) => `sha256:${c.repeat(64)}`;
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

function img(c: string, tags: string[], pushedDaysAgo: number, extra: Partial<ImageDetail> = {}): ImageDetail {
  return { digest: d(c), tags, pushedAt: daysAgo(pushedDaysAgo), repositoryName: 'my-app', registryId: '123456789012', ...extra };
}

// Keep the newest prod image; expire untagged images after 7 days.
const POLICY = EcrLifecyclePolicy.fromJson(JSON.stringify({
  rules: [
    { rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: ['prod-*'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
    { rulePriority: 2, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
  ],
}));
const IMAGES = [img('1', ['prod-2'], 1), img('2', ['prod-1'], 30), img('3', [], 20), img('4', [], 1)];

describe('in-use references in the preview', () => {
  test('a reference by digest marks that image, and it is at risk when the policy expires it', () => {
    const result = POLICY.preview(IMAGES, { now: NOW, inUse: [{ image: `${REPO}@${d('2')}`, source: 'ecs task prod/1 (web)' }] });
    expect(result.inUseAtRisk.map((v) => [v.digest, v.inUseBy])).toEqual([[d('2'), ['ecs task prod/1 (web)']]]);
    expect(result.expired.find((v) => v.digest === d('2'))?.inUseBy).toEqual(['ecs task prod/1 (web)']);
  });

  test('a reference by tag marks the image carrying the tag now', () => {
    const result = POLICY.preview(IMAGES, { now: NOW, inUse: [{ image: `${REPO}:prod-1`, source: 'pod shop/web (web)' }] });
    expect(result.inUseAtRisk.map((v) => v.tags)).toEqual([['prod-1']]);
  });

  test('a bare digest matches whatever the repository', () => {
    const result = POLICY.preview(IMAGES, { now: NOW, inUse: [{ image: d('3') }] });
    expect(result.inUseAtRisk.map((v) => [v.digest, v.inUseBy])).toEqual([[d('3'), [d('3')]]]);
  });

  test('a kept in-use image is marked and not at risk', () => {
    const result = POLICY.preview(IMAGES, { now: NOW, inUse: [{ image: `${REPO}:prod-2`, source: 'web' }] });
    expect(result.inUseAtRisk).toEqual([]);
    expect(result.kept.find((v) => v.digest === d('1'))?.inUseBy).toEqual(['web']);
  });

  test('every verdict says who uses it, empty when no one does', () => {
    const result = POLICY.preview(IMAGES, { now: NOW });
    expect([...result.expired, ...result.kept].map((v) => v.inUseBy)).toEqual([[], [], [], []]);
    expect(result.inUseMissing).toEqual([]);
    expect(result.inUseOtherRepositories).toBe(0);
  });

  test('each source is listed once per image, references by digest before references by tag', () => {
    const inUse = [{ image: `${REPO}:prod-1`, source: 'b' }, { image: `${REPO}@${d('2')}`, source: 'a' }, { image: `${REPO}:prod-1`, source: 'b' }];
    expect(POLICY.preview(IMAGES, { now: NOW, inUse }).inUseAtRisk[0].inUseBy).toEqual(['a', 'b']);
  });

  test.each([
    ['another repository of the registry', '123456789012.dkr.ecr.us-east-1.amazonaws.com/other:prod-1'],
    ['the same name in another account', '999999999999.dkr.ecr.us-east-1.amazonaws.com/my-app:prod-1'],
    ['Docker Hub', 'my-app:prod-1'],
    ['another registry', 'ghcr.io/acme/my-app:prod-1'],
  ])('a reference to %s is ignored and counted', (_, image) => {
    const result = POLICY.preview(IMAGES, { now: NOW, inUse: [{ image }] });
    expect(result.inUseAtRisk).toEqual([]);
    expect(result.inUseMissing).toEqual([]);
    expect(result.inUseOtherRepositories).toBe(1);
  });

  test('a FIPS or dual-stack endpoint of the same registry is the same repository', () => {
    const inUse = [
      { image: `123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/my-app@${d('2')}`, source: 'fips' },
      { image: `123456789012.dkr-ecr.us-east-1.on.aws/my-app@${d('2')}`, source: 'dual-stack' },
    ];
    expect(POLICY.preview(IMAGES, { now: NOW, inUse }).inUseAtRisk[0].inUseBy).toEqual(['fips', 'dual-stack']);
  });

  test('a reference whose digest or tag the repository lacks is missing', () => {
    const inUse = [{ image: `${REPO}@${d('9')}`, source: 'old task' }, { image: `${REPO}:gone`, source: 'cron' }, { image: `${REPO}`, source: 'latest' }];
    expect(POLICY.preview(IMAGES, { now: NOW, inUse }).inUseMissing).toEqual(inUse);
  });

  test('a tag and a digest: the digest is what runs', () => {
    const result = POLICY.preview(IMAGES, { now: NOW, inUse: [{ image: `${REPO}:prod-2@${d('2')}`, source: 'web' }] });
    expect(result.inUseAtRisk.map((v) => v.digest)).toEqual([d('2')]);
  });

  test('an in-use image index puts the images it references in use, through nested indexes', () => {
    const images = [
      img('a', ['prod-1'], 30, { manifestMediaType: OCI_INDEX, manifestDigests: [d('b')] }),
      img('b', [], 30, { manifestMediaType: OCI_INDEX, manifestDigests: [d('c')] }),
      img('c', [], 30),
      img('e', ['prod-2'], 1),
    ];
    const result = POLICY.preview(images, { now: NOW, inUse: [{ image: `${REPO}:prod-1`, source: 'web' }] });
    expect(result.inUseAtRisk.map((v) => [v.digest, v.inUseBy])).toEqual([[d('a'), ['web']], [d('b'), ['web']], [d('c'), ['web']]]);
  });

  test('refuses a reference that is no image reference, naming it', () => {
    expect(() => POLICY.preview(IMAGES, { now: NOW, inUse: [{ image: `${REPO}@sha256:1`, source: 'web' }] }))
      .toThrow('preview: options.inUse[0] (web): the digest after "@" must be sha256: and 64 lowercase hex digits, got "sha256:1"');
  });

  test('refuses references to a repository when the images don\'t say which repository they are from', () => {
    const images = IMAGES.map(({ repositoryName, registryId, ...rest }) => rest);
    expect(() => POLICY.preview(images, { now: NOW, inUse: [{ image: `${REPO}:prod-1` }] }))
      .toThrow(/options.inUse\[0\] names repository my-app, but no image says which repository it is from/);
  });

  test('end to end: describe-images and kubectl output', () => {
    const read = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
    const images = ImageInventory.fromDescribeImagesOutput(read('describe-images-v2.json'));
    const inUse = InUseReferences.parse(read('in-use/kubectl-pods.json'));
    const policy = EcrLifecyclePolicy.fromJson(read('policy.json'));
    const result = policy.preview(images, { now: new Date('2026-06-01T12:00:00Z'), inUse });
    expect(result.inUseAtRisk.map((v) => [v.tags, v.inUseBy])).toEqual([
      [['feature-login', 'pr-42'], ['pod shop/web-7d4b9c8f6d-x2x9q (migrate)', 'pod shop/web-7d4b9c8f6d-pending (web)']],
      [['prod-0.9.0'], ['pod batch/worker-0 (worker)']],
    ]);
    expect(result.inUseOtherRepositories).toBe(1);
  });
});
