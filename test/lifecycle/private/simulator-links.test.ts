// Images linked to other images: reference artifacts follow their subject, images an index references stay while
// the index does, and what the preview can't know is said (a caveat, a warning). Also sizes and the archive warning.
import { ImageDetail, ImageStorageClass } from '../../../src/lifecycle/image';
import { PolicyDocumentJson } from '../../../src/lifecycle/private/policy-document';
import * as simulator from '../../../src/lifecycle/private/simulator';
import { archivedImage, image, names, nameSet, NOW, policy, rule, TRANSITION } from '../../util';

const preview = (doc: PolicyDocumentJson, images: ImageDetail[]) => simulator.preview(doc, images, { now: NOW });
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const keepNewestTagged = (count: number) => rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: count });
const untaggedAfter = (days: number, priority = 2) => rule(priority, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: days });
const signature = (name: string, subject: string, days = 1, extra: Partial<ImageDetail> = {}) => image(name, [], days, { subjectDigest: `sha256:${subject}`, ...extra });

describe('reference artifacts follow their subject', () => {
  // "When reference artifacts are present in a repository, Amazon ECR lifecycle policies automatically expire or
  // archive those artifacts within 24 hours of the deletion or archival of the subject image."
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
  test('a signature is expired with its expired subject, and the reason names the subject', () => {
    const result = preview(policy(keepNewestTagged(1), untaggedAfter(7)), [image('new', ['v2'], 5), image('old', ['v1'], 10), signature('sig', 'old')]);
    expect(names(result.expired)).toEqual(['sig', 'old']);
    expect(result.expired[0]).toMatchObject({
      rulePriority: 1,
      reason: 'expired with its subject sha256:old: ECR expires a reference artifact (signature, SBOM, attestation) within 24 hours of its subject',
    });
  });

  test('an SBOM is archived with its archived subject', () => {
    const archiveOld = rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, TRANSITION);
    const result = preview(policy(archiveOld), [image('app', ['v1'], 40), signature('sbom', 'app', 2)]);
    expect(names(result.transitioned)).toEqual(['sbom', 'app']);
    expect(result.transitioned[0].reason).toMatch(/^transitioned to archive with its subject sha256:app: ECR archives a reference artifact/);
  });

  test('a referrer of a referrer follows the chain to the image', () => {
    const result = preview(policy(keepNewestTagged(1), untaggedAfter(7)), [
      image('new', ['v2'], 5), image('old', ['v1'], 10), signature('sbom', 'old'), signature('sbom-sig', 'sbom'),
    ]);
    expect(nameSet(result.expired)).toEqual(['old', 'sbom', 'sbom-sig']);
  });

  test('a referrer whose subject is kept keeps its own verdict', () => {
    const result = preview(policy(keepNewestTagged(1), untaggedAfter(7)), [image('new', ['v2'], 5), signature('fresh', 'new'), signature('stale', 'new', 30)]);
    expect(names(result.kept)).toEqual(['fresh', 'new']);
    expect(names(result.expired)).toEqual(['stale']);
  });

  test('a referrer its own rule expires stays expired when its subject is archived', () => {
    const archiveOld = rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, TRANSITION);
    const result = preview(policy(archiveOld, untaggedAfter(7)), [image('app', ['v1'], 40), signature('sig', 'app', 20)]);
    expect(names(result.expired)).toEqual(['sig']);
    expect(result.expired[0].reason).toMatch(/^expired by rule 2/);
  });

  test('a cycle of subjects ends, and a subject not in the listing changes nothing', () => {
    const result = preview(policy(untaggedAfter(7, 1)), [signature('a', 'b', 1), signature('b', 'a', 10), signature('c', 'gone', 1)]);
    expect(names(result.expired)).toEqual(['a', 'b']);
    expect(names(result.kept)).toEqual(['c']);
  });

  test('a chain of 100,000 referrers does not overflow the stack', () => {
    const chain = Array.from({ length: 100_000 }, (_, i) => (i === 0 ? image('r0', ['v1'], 10) : signature(`r${i}`, `r${i - 1}`)));
    const result = preview(policy(rule(1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 5 })), chain);
    expect(result.expired).toHaveLength(100_000);
  });
});

describe('images an image index references', () => {
  // "If an image is referenced by a manifest list, it cannot be expired or archived without the manifest list being
  // deleted or archived first." https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
  const platforms = (days: number) => [image('amd64', [], days), image('arm64', [], days)];
  const index = (days: number, extra: Partial<ImageDetail> = {}) =>
    image('index', ['v1'], days, { manifestMediaType: OCI_INDEX, manifestDigests: ['sha256:amd64', 'sha256:arm64'], ...extra });

  test('the untagged platform images of a kept, tagged index are kept, and the reason names the index', () => {
    const result = preview(policy(keepNewestTagged(1), untaggedAfter(7)), [index(30), ...platforms(30)]);
    expect(result.expired).toEqual([]);
    expect(result.kept.find((v) => v.digest === 'sha256:amd64')).toMatchObject({
      rulePriority: 2,
      reason: 'kept: image index sha256:index references it and stays, so rule 2 can\'t expire it (ECR doesn\'t expire or archive an image a manifest list references)',
    });
  });

  test('the platform images of an expired index can be expired', () => {
    const result = preview(policy(keepNewestTagged(1), untaggedAfter(7)), [image('newer', ['v2'], 1), index(30), ...platforms(30)]);
    expect(nameSet(result.expired)).toEqual(['amd64', 'arm64', 'index']);
  });

  test('the platform images of an archived index can be expired', () => {
    const archived = index(300, { storageClass: ImageStorageClass.ARCHIVE, lastArchivedAt: NOW });
    const result = preview(policy(untaggedAfter(7, 1)), [archived, ...platforms(300)]);
    expect(nameSet(result.expired)).toEqual(['amd64', 'arm64']);
  });

  test('an index inside a kept index protects its own images too', () => {
    const outer = image('outer', ['v1'], 30, { manifestMediaType: OCI_INDEX, manifestDigests: ['sha256:inner'] });
    const inner = image('inner', [], 30, { manifestMediaType: OCI_INDEX, manifestDigests: ['sha256:amd64'] });
    const result = preview(policy(keepNewestTagged(1), untaggedAfter(7)), [outer, inner, image('amd64', [], 30)]);
    expect(result.expired).toEqual([]);
  });

  test.each([OCI_INDEX, DOCKER_LIST])('without the manifests of a kept %s, what the policy expires carries a caveat and a warning', (mediaType) => {
    const unknown = image('index', ['v1'], 30, { manifestMediaType: mediaType });
    const result = preview(policy(keepNewestTagged(1), untaggedAfter(7)), [unknown, ...platforms(30)]);
    expect(nameSet(result.expired)).toEqual(['amd64', 'arm64']);
    expect(result.expired[0].caveat).toBe('ECR doesn\'t expire an image a manifest list references, and the manifests of image index sha256:index were not given: this image may stay');
    expect(result.warnings).toEqual([
      '2 images expired or archived may stay: ECR doesn\'t expire or archive an image a manifest list references, and the manifests of image index sha256:index '
      + 'were not given (read them with `aws ecr batch-get-image`)',
    ]);
  });

  test('without any index, nothing carries a caveat', () => {
    const result = preview(policy(untaggedAfter(7, 1)), platforms(30));
    expect(result.expired.map((v) => v.caveat)).toEqual([undefined, undefined]);
    expect(result.warnings).toEqual([]);
  });
});

describe('sizes', () => {
  test('each verdict carries its size, and each list its total; an unknown size counts as 0', () => {
    const result = preview(policy(untaggedAfter(7, 1)), [
      image('old', [], 10, { sizeInBytes: 300 }), image('older', [], 20, { sizeInBytes: 200 }), image('unknown', [], 30), image('new', [], 1, { sizeInBytes: 50 }),
    ]);
    expect(result.expired.map((v) => v.sizeInBytes)).toEqual([300, 200, undefined]);
    expect([result.expiredBytes, result.transitionedBytes, result.keptBytes]).toEqual([500, 0, 50]);
  });

  test('each verdict says the storage class the image is in', () => {
    const result = preview(policy(untaggedAfter(7, 1)), [archivedImage('cold', ['x'], 300, 100), image('warm', ['y'], 1)]);
    expect(result.kept.map((v) => v.storageClass)).toEqual([ImageStorageClass.STANDARD, ImageStorageClass.ARCHIVE]);
  });
});

describe('archived images the input may lack', () => {
  // DescribeImagesFilter.imageStatus: "If not specified, only images with ACTIVE status are returned."
  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImagesFilter.html
  const deleteFromArchive = rule(2, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 });

  test('archive rules and no archived image: a warning names imageStatus and the filter', () => {
    const result = preview(policy(untaggedAfter(7, 1), deleteFromArchive), [image('a', [], 1)]);
    expect(result.warnings).toEqual([
      'the policy has rules for archived images (rulePriority 2), but no image is archived or activating (imageStatus ARCHIVED or ACTIVATING): '
      + '`aws ecr describe-images` lists only ACTIVE images unless given `--filter imageStatus=ANY`',
    ]);
  });

  test('no warning when the input holds an archived image', () => {
    expect(preview(policy(untaggedAfter(7, 1), deleteFromArchive), [archivedImage('a', [], 200, 100)]).warnings).toEqual([]);
  });
});
