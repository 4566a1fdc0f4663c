// Images a policy expires or archives apart from the image they belong to: the signature of a kept release, the
// platform images of an archived index. Each gets a caveat and `separatedFrom`, and the result a warning.
import { ImageDetail, ImageStorageClass } from '../../../src/lifecycle/image';
import { PolicyDocumentJson } from '../../../src/lifecycle/private/policy-document';
import * as separations from '../../../src/lifecycle/private/separations';
import * as simulator from '../../../src/lifecycle/private/simulator';
import { archivedImage, image, names, NOW, policy, rule, TRANSITION } from '../../util';

const preview = (doc: PolicyDocumentJson, images: ImageDetail[]) => simulator.preview(doc, images, { now: NOW });
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const signature = (name: string, subject: string, days: number) => image(name, [], days, { subjectDigest: `sha256:${subject}` });
// EcrLifecycleRules.standardProd(), as EcrRepository.forProduction renders it.
const STANDARD_PROD = policy(
  rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }),
  rule(2, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 }),
);

describe('a reference artifact expired while its subject stays', () => {
  // ECR counts signatures like images: "it will attempt to only keep 1 image, signature, or image index"
  // (https://github.com/aws/containers-roadmap/issues/2613), and "Each signature counts as 1 artifact against the
  // images per repository quota" (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-signing.html). A
  // signature is untagged, so the untagged rule selects it; ECR removes a referrer with its subject ("Amazon ECR
  // lifecycle policies automatically expire or archive those artifacts within 24 hours of the deletion or archival
  // of the subject image", https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html), not
  // the other way round.
  test('forProduction\'s rules expire the signature of a release they keep, with a caveat naming the subject', () => {
    const result = preview(STANDARD_PROD, [image('release', ['v1.0.0'], 20), signature('sig', 'release', 20)]);
    expect(names(result.expired)).toEqual(['sig']);
    expect(names(result.kept)).toEqual(['release']);
    expect(result.expired[0]).toMatchObject({
      separatedFrom: 'sha256:release',
      caveat: 'its subject sha256:release stays: this reference artifact (signature, SBOM, attestation) is deleted apart from it, so verifying '
        + 'the subject\'s signature fails (a lifecycle rule selects reference artifacts as untagged images)',
    });
  });

  test('the result warns once, with a count and an example', () => {
    const result = preview(STANDARD_PROD, [
      image('a', ['v1'], 20), signature('sig-a', 'a', 20), image('b', ['v2'], 30), signature('sig-b', 'b', 30),
    ]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^the policy expires or archives 2 reference artifacts \(signatures, SBOMs, attestations\) apart from a subject that stays: .*aws\/containers-roadmap#2613.* \(for example sha256:sig-\w, apart from sha256:\w\)$/);
  });

  test('a signature archived while its subject stays in standard storage is separated too', () => {
    const archiveUntagged = rule(1, { tagStatus: 'untagged', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, TRANSITION);
    const result = preview(policy(archiveUntagged), [image('app', ['v1'], 40), signature('sig', 'app', 40)]);
    expect(result.transitioned[0]).toMatchObject({ digest: 'sha256:sig', separatedFrom: 'sha256:app' });
    expect(result.transitioned[0].caveat).toMatch(/^its subject sha256:app stays: this reference artifact .* is archived apart from it/);
  });

  test('a signature expired while its subject is archived by the same policy is separated from it', () => {
    const archiveTagged = rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, TRANSITION);
    const untagged = rule(2, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 });
    const result = preview(policy(archiveTagged, untagged), [image('app', ['v1'], 40), signature('sig', 'app', 20)]);
    expect(result.expired[0].caveat).toMatch(/^its subject sha256:app is archived by this policy:/);
  });

  test('a signature that follows its expired subject is not separated', () => {
    const keepOne = rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 1 });
    const result = preview(policy(keepOne), [image('new', ['v2'], 1), image('old', ['v1'], 2), signature('sig', 'old', 2)]);
    expect(result.expired.map((v) => [v.digest, v.separatedFrom, v.caveat])).toEqual([['sha256:old', undefined, undefined], ['sha256:sig', undefined, undefined]]);
    expect(result.warnings).toEqual([]);
  });

  test('a kept signature of a kept image, and a signature whose subject is not listed, are not separated', () => {
    const result = preview(STANDARD_PROD, [image('app', ['v1'], 2), signature('fresh', 'app', 2), signature('orphan', 'gone', 20)]);
    expect(result.expired.map((v) => v.separatedFrom)).toEqual([undefined]);
    expect(result.warnings).toEqual([]);
  });
});

describe('a platform image expired while its image index stays in archive', () => {
  // "If an image is referenced by a manifest list, it cannot be expired or archived without the manifest list
  // being deleted or archived first." https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
  // Once the index is archived, nothing keeps its platform images.
  const index = (extra: Partial<ImageDetail> = {}) =>
    image('index', ['v1'], 100, { manifestMediaType: OCI_INDEX, manifestDigests: ['sha256:amd64', 'sha256:arm64'], ...extra });
  const platforms = [image('amd64', [], 100), image('arm64', [], 100)];

  test('an index archived in the same run as its platform images are expired: each carries a caveat naming the index', () => {
    const archiveTagged = rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, TRANSITION);
    const untagged = rule(2, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 });
    const result = preview(policy(archiveTagged, untagged), [index(), ...platforms]);
    expect(names(result.transitioned)).toEqual(['index']);
    expect(result.expired.map((v) => v.separatedFrom)).toEqual(['sha256:index', 'sha256:index']);
    expect(result.expired[0].caveat).toBe('image index sha256:index, which references it, is archived by this policy: this platform image is deleted '
      + 'apart from it, so the index can\'t be pulled for this platform once restored');
    expect(result.warnings).toEqual([expect.stringMatching(/^the policy expires or archives 2 platform images apart from an image index that stays in archive/)]);
  });

  test('the platform images of an index already in archive are separated from it', () => {
    const archived = { ...index(), ...archivedImage('index', ['v1'], 300, 10), manifestMediaType: OCI_INDEX, manifestDigests: ['sha256:amd64', 'sha256:arm64'] };
    const result = preview(policy(rule(1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 })), [archived, ...platforms]);
    expect(result.expired[0].caveat).toMatch(/^image index sha256:index, which references it, stays in archive:/);
  });

  test('a signature separated from its subject while an index\'s manifests are unknown carries both caveats', () => {
    const unknown = image('other-index', ['v9'], 1, { manifestMediaType: OCI_INDEX });
    const result = preview(STANDARD_PROD, [unknown, image('app', ['v1'], 20), signature('sig', 'app', 20)]);
    expect(result.expired[0].caveat).toMatch(/^its subject sha256:app stays: .*; and ECR doesn't expire an image a manifest list references/);
  });
});

describe('separatedFromProtected', () => {
  test('lists the expired and archived verdicts separated from a protected image, and only those', () => {
    const archiveUntagged = rule(1, { tagStatus: 'untagged', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, TRANSITION);
    const images = [image('prod', ['prod-1'], 40), signature('sig-prod', 'prod', 40), image('dev', ['dev-1'], 40), signature('sig-dev', 'dev', 40)];
    const result = preview(policy(archiveUntagged), images);
    const imageOf = (digest: string) => images.find((i) => i.digest === digest);
    const hits = separations.separatedFromProtected(result, imageOf, (i) => (i.tags ?? []).some((t) => t.startsWith('prod-')));
    expect(names(hits)).toEqual(['sig-prod']);
  });
});

test('an archived signature that stays archived is not flagged, whatever its subject', () => {
  const result = preview(STANDARD_PROD, [image('app', ['v1'], 2), { ...signature('sig', 'app', 200), storageClass: ImageStorageClass.ARCHIVE }]);
  expect(result.kept.map((v) => v.separatedFrom)).toEqual([undefined, undefined]);
});
