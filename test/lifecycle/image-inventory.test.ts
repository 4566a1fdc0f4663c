// Reading images from `aws ecr describe-images` output (AWS CLI v2 ISO timestamps, v1 epoch seconds).
import { readFileSync } from 'fs';
import { join } from 'path';
import { ImageStorageClass } from '../../src/lifecycle/image';
import { ImageInventory } from '../../src/lifecycle/image-inventory';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
const detail = (fields: object) => JSON.stringify({ imageDetails: [{ imageDigest: 'sha256:a', imagePushedAt: 1700000000, ...fields }] });

test('reads AWS CLI v2 output: ISO timestamps with offsets, tags, status and archive times', () => {
  const images = ImageInventory.fromDescribeImagesOutput(fixture('describe-images-v2.json'));
  expect(images).toHaveLength(6);
  expect(images[0]).toEqual({
    digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    tags: ['prod-1.0.0'],
    pushedAt: new Date('2026-01-10T09:00:00Z'),
    lastPulledAt: new Date('2026-05-30T08:15:00.123Z'),
    storageClass: ImageStorageClass.STANDARD,
    sizeInBytes: 52428800,
    manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    repositoryName: 'my-app',
    registryId: '123456789012',
  });
  expect(images[2].pushedAt).toEqual(new Date('2026-05-20T08:30:00Z'));
  expect(images[2].tags).toEqual([]);
  expect(images[5]).toMatchObject({ storageClass: ImageStorageClass.ARCHIVE, lastArchivedAt: new Date('2025-06-01T00:00:00Z') });
});

test('reads AWS CLI v1 output: seconds since the epoch, fractions included', () => {
  const images = ImageInventory.fromDescribeImagesOutput(fixture('describe-images-v1.json'));
  expect(images[0].pushedAt).toEqual(new Date('2026-01-10T09:00:00Z'));
  expect(images[0].lastPulledAt).toEqual(new Date('2026-05-30T08:15:00.123Z'));
  expect(images[1]).toEqual({ digest: 'sha256:3333333333333333333333333333333333333333333333333333333333333333', tags: [], pushedAt: new Date('2026-05-20T08:30:00Z'), storageClass: ImageStorageClass.STANDARD, sizeInBytes: 52428800, repositoryName: 'my-app', registryId: '123456789012' });
});

test('v1 and v2 output of the same repository give the same times', () => {
  const v1 = ImageInventory.fromDescribeImagesOutput(fixture('describe-images-v1.json'));
  const v2 = ImageInventory.fromDescribeImagesOutput(fixture('describe-images-v2.json'));
  expect(v1[0]).toEqual(v2[0]);
});

test.each([
  ['ACTIVE', ImageStorageClass.STANDARD],
  ['ARCHIVED', ImageStorageClass.ARCHIVE],
  ['ACTIVATING', ImageStorageClass.ARCHIVE],
])('imageStatus %s is storage class %s', (status, storageClass) => {
  expect(ImageInventory.fromDescribeImagesOutput(detail({ imageStatus: status }))[0].storageClass).toBe(storageClass);
});

test('reads lastActivatedAt of a restored image', () => {
  expect(ImageInventory.fromDescribeImagesOutput(detail({ lastActivatedAt: '2026-05-01T00:00:00Z' }))[0].lastActivatedAt).toEqual(new Date('2026-05-01T00:00:00Z'));
});

test('accepts a bare array of image details and an empty repository', () => {
  expect(ImageInventory.fromDescribeImagesOutput('[{"imageDigest":"sha256:a","imagePushedAt":0}]')).toEqual([
    { digest: 'sha256:a', tags: [], pushedAt: new Date(0), storageClass: ImageStorageClass.STANDARD },
  ]);
  expect(ImageInventory.fromDescribeImagesOutput('{"imageDetails":[]}')).toEqual([]);
});

test('refuses malformed JSON', () => {
  expect(() => ImageInventory.fromDescribeImagesOutput('{"imageDetails": [')).toThrow(/^describe-images output is not valid JSON: /);
});

test.each([
  ['an object without imageDetails', '{"images": []}', /must be an object with an "imageDetails" array .*, got object without "imageDetails"/],
  ['a string', '"x"', /got string$/],
  ['null', 'null', /got null$/],
])('refuses %s', (_, text, message) => {
  expect(() => ImageInventory.fromDescribeImagesOutput(text)).toThrow(message);
});

test('lists every problem of every image at once', () => {
  const text = JSON.stringify({
    imageDetails: [
      { imagePushedAt: 1 },
      { imageDigest: 'sha256:b', imageTags: 'latest', imagePushedAt: 'yesterday', imageStatus: 'DELETED' },
      { imageDigest: 'sha256:c', lastRecordedPullTime: '2026-13-45T99:00:00Z' },
      42,
    ],
  });
  expect(() => ImageInventory.fromDescribeImagesOutput(text)).toThrow([
    'describe-images output has 7 problems:',
    '  - imageDetails[0]: "imageDigest" must be a non-empty string, got nothing',
    '  - imageDetails[1] (sha256:b): "imageTags" must be an array of strings, got "latest"',
    '  - imageDetails[1] (sha256:b): "imagePushedAt" must be an ISO 8601 date-time with a zone (AWS CLI v2) or seconds since the epoch (AWS CLI v1), got "yesterday"',
    '  - imageDetails[1] (sha256:b): "imageStatus" must be one of ACTIVE, ARCHIVED, ACTIVATING, got "DELETED"',
    '  - imageDetails[2] (sha256:c): "imagePushedAt" is required',
    '  - imageDetails[2] (sha256:c): "lastRecordedPullTime" must be an ISO 8601 date-time with a zone (AWS CLI v2) or seconds since the epoch (AWS CLI v1), got "2026-13-45T99:00:00Z"',
    '  - imageDetails[3]: an image detail must be an object, got 42',
  ].join('\n'));
});

test('lists at most 20 problems, then says how many more', () => {
  const text = JSON.stringify({ imageDetails: Array.from({ length: 25 }, () => ({ imageDigest: '', imagePushedAt: 0 })) });
  expect(() => ImageInventory.fromDescribeImagesOutput(text)).toThrow(/^describe-images output has 25 problems:\n(  - .*\n){20}  - \.\.\. and 5 more$/);
});

test('an imageStatus that is not a string is refused', () => {
  expect(() => ImageInventory.fromDescribeImagesOutput(detail({ imageStatus: 1 }))).toThrow(/"imageStatus" must be one of ACTIVE, ARCHIVED, ACTIVATING, got 1/);
});

test('a one-problem error says "problem"', () => {
  expect(() => ImageInventory.fromDescribeImagesOutput(detail({ imagePushedAt: null }))).toThrow(/^describe-images output has 1 problem:\n/);
});

test('reads sizes, manifest media types and the subject of a reference artifact', () => {
  const [signature] = ImageInventory.fromDescribeImagesOutput(detail({
    imageSizeInBytes: 4096,
    imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    subjectManifestDigest: 'sha256:subject',
  }));
  expect(signature).toMatchObject({ sizeInBytes: 4096, manifestMediaType: 'application/vnd.oci.image.manifest.v1+json', subjectDigest: 'sha256:subject' });
});

test.each([
  ['a negative size', { imageSizeInBytes: -1 }, /"imageSizeInBytes" must be a whole number of bytes >= 0, got -1/],
  ['a size that is a string', { imageSizeInBytes: '12' }, /"imageSizeInBytes" must be a whole number of bytes >= 0, got "12"/],
  ['an empty subject', { subjectManifestDigest: '' }, /"subjectManifestDigest" must be a non-empty string, got ""/],
])('refuses %s', (_, fields, message) => {
  expect(() => ImageInventory.fromDescribeImagesOutput(detail(fields))).toThrow(message);
});

describe('a listing must be whole', () => {
  test('a digest listed twice (pages joined twice) is refused, naming both places', () => {
    const text = JSON.stringify({ imageDetails: [{ imageDigest: 'sha256:a', imagePushedAt: 1 }, { imageDigest: 'sha256:b', imagePushedAt: 1 }, { imageDigest: 'sha256:a', imagePushedAt: 1 }] });
    expect(() => ImageInventory.fromDescribeImagesOutput(text)).toThrow(
      'imageDetails[2] (sha256:a): the digest is also imageDetails[0]; an image is listed once (were pages joined twice?)');
  });

  test.each([
    // DescribeImages: "nextToken: The nextToken value to include in a future DescribeImages request."
    ['nextToken', /truncated listing: it carries a pagination token "nextToken" \(one page of the DescribeImages API; fetch every page/],
    // The AWS CLI prints NextToken when --max-items stops it before the last item.
    ['NextToken', /truncated listing: it carries a pagination token "NextToken" \(the AWS CLI stopped after --max-items; run describe-images without --max-items/],
  ])('a listing that still carries %s is refused', (token, message) => {
    const text = JSON.stringify({ imageDetails: [{ imageDigest: 'sha256:a', imagePushedAt: 1 }], [token]: 'eyJOZXh0VG9rZW4iOiBudWxsfQ==' });
    expect(() => ImageInventory.fromDescribeImagesOutput(text)).toThrow(message);
  });
});

describe('timestamps', () => {
  test.each([
    ['an impossible date', '2026-02-30T00:00:00Z'],
    ['a time without a zone', '2026-02-01T00:00:00'],
  ])('%s is refused', (_, time) => {
    expect(() => ImageInventory.fromDescribeImagesOutput(detail({ imagePushedAt: time }))).toThrow(
      `imageDetails[0] (sha256:a): "imagePushedAt" must be an ISO 8601 date-time with a zone (AWS CLI v2) or seconds since the epoch (AWS CLI v1), got "${time}"`);
  });

  test('seconds outside the range of a date are refused, naming the image and the field', () => {
    expect(() => ImageInventory.fromDescribeImagesOutput(detail({ imagePushedAt: 1e13 }))).toThrow(
      'imageDetails[0] (sha256:a): "imagePushedAt" is out of the range of a date: 10000000000000 seconds since the epoch');
  });
});

test('a leading UTF-8 byte order mark is skipped', () => {
  expect(ImageInventory.fromDescribeImagesOutput(`\uFEFF${detail({})}`)[0].digest).toBe('sha256:a');
});

describe('image index manifests (batch-get-image output)', () => {
  const multiArch = () => fixture('multi-arch.json');

  test('an index gets the digests its manifest references', () => {
    const images = ImageInventory.fromDescribeImagesOutput(multiArch(), { batchGetImageOutputs: [fixture('batch-get-image.json')] });
    expect(images[0].manifestDigests).toEqual([`sha256:${'b'.repeat(64)}`, `sha256:${'c'.repeat(64)}`]);
    expect(images[1].manifestDigests).toBeUndefined();
  });

  test('without them, an index is known only by its media type', () => {
    const [index] = ImageInventory.fromDescribeImagesOutput(multiArch());
    expect(index).toMatchObject({ manifestMediaType: 'application/vnd.oci.image.index.v1+json' });
    expect(index.manifestDigests).toBeUndefined();
  });

  test('a plain image manifest in batch-get-image output adds nothing', () => {
    const output = JSON.stringify({ images: [{ imageId: { imageDigest: `sha256:${'b'.repeat(64)}` }, imageManifest: '{"schemaVersion":2,"layers":[]}' }] });
    const images = ImageInventory.fromDescribeImagesOutput(multiArch(), { batchGetImageOutputs: [output] });
    expect(images.every((image) => image.manifestDigests === undefined)).toBe(true);
  });

  test.each([
    ['not an object with images', '{"imageDetails": []}', 'batch-get-image output 1: must be an object with an "images" array'],
    ['an entry whose manifest is not JSON', '{"images": [{"imageId": {"imageDigest": "sha256:a"}, "imageManifest": "{"}]}', 'batch-get-image output 1, images[0]: needs "imageId.imageDigest" and an "imageManifest" JSON text'],
    ['an entry without a manifest', '{"images": [{"imageId": {"imageDigest": "sha256:a"}}]}', 'batch-get-image output 1, images[0]: needs "imageId.imageDigest" and an "imageManifest" JSON text'],
    ['an index entry without a digest', '{"images": [{"imageId": {"imageDigest": "sha256:a"}, "imageManifest": "{\\"manifests\\": [{}]}"}]}',
      'batch-get-image output 1, images[0] (sha256:a): every entry of the index\'s "manifests" needs a "digest"'],
  ])('refuses %s', (_, output, message) => {
    expect(() => ImageInventory.fromDescribeImagesOutput(multiArch(), { batchGetImageOutputs: [output] })).toThrow(message);
  });

  test('refuses batch-get-image output that is not JSON', () => {
    expect(() => ImageInventory.fromDescribeImagesOutput(multiArch(), { batchGetImageOutputs: ['{'] })).toThrow(/^batch-get-image output 1 is not valid JSON: /);
  });
});
