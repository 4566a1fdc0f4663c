// `ecr-lifecycle-preview` and images that belong to others: a signature expired while the release it signs stays is
// marked in the table, warned about, and fails the `--protect` gate of the release's tag.
import { CliIo, EcrLifecyclePreviewCli } from '../../src/cli/ecr-lifecycle-preview';

const NOW = '2026-06-01T12:00:00Z';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
// EcrRepository.forProduction's rules: untagged 14 days, keep the last 30.
const STANDARD_PROD = JSON.stringify({
  rules: [
    { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } },
    { rulePriority: 2, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } },
  ],
});
// A release pushed 20 days ago and the Notation signature ECR managed signing pushed with it.
const SIGNED_RELEASE = JSON.stringify({
  imageDetails: [
    { imageDigest: digest('a'), imageTags: ['prod-1.0.0'], imagePushedAt: '2026-05-12T12:00:00Z', imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' },
    {
      imageDigest: digest('b'),
      imagePushedAt: '2026-05-12T12:00:01Z',
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      subjectManifestDigest: digest('a'),
    },
  ],
});
const FILES: Record<string, string> = { 'images.json': SIGNED_RELEASE, 'policy.json': STANDARD_PROD };

function run(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readFile: (p) => FILES[p] };
  const code = EcrLifecyclePreviewCli.run(['--images', 'images.json', '--policy', 'policy.json', '--now', NOW, ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// ECR counts a signature like an image ("it will attempt to only keep 1 image, signature, or image index",
// https://github.com/aws/containers-roadmap/issues/2613); it is untagged, so the untagged rule selects it.
test('--protect exits 3 when the policy expires the signature of a kept image with a protected tag, naming both', () => {
  const { code, err } = run('--protect', 'prod-*');
  expect(code).toBe(3);
  expect(err).toContain('ecr-lifecycle-preview: the policy expires or archives 1 image apart from an image with a protected tag (--protect prod-*):\n'
    + `  - ${digest('b')}: its subject ${digest('a')} stays: this reference artifact (signature, SBOM, attestation) is deleted apart from it`);
});

test('--protect exits 0 when the kept image the signature belongs to has no protected tag', () => {
  expect(run('--protect', 'release-*').code).toBe(0);
});

test('the table marks the signature expire! and names the subject that stays without it', () => {
  const { out } = run();
  expect(out).toMatch(/^bbbbbbbbbbbb\s+<untagged>\s+.*expire!\s+1\s+expired by rule 1 \(untagged images\): pushed 20 days ago, more than 14 days; its subject aaaaaaaaaaaa stays without it \(signature verification fails\)$/m);
});

test('the warning goes to stderr, and --format json carries separatedFrom', () => {
  const { out, err } = run('--format', 'json');
  expect(err).toMatch(/^ecr-lifecycle-preview: warning: the policy expires or archives 1 reference artifact \(signatures, SBOMs, attestations\) apart from a subject that stays/);
  expect(JSON.parse(out).expired[0]).toMatchObject({ digest: digest('b'), separatedFrom: digest('a') });
});

test('the table marks a platform image expired apart from its archived index, naming the index', () => {
  const index = {
    imageDigest: digest('c'),
    imageTags: ['v1'],
    imagePushedAt: '2026-01-01T00:00:00Z',
    imageStatus: 'ARCHIVED',
    lastArchivedAt: '2026-04-01T00:00:00Z',
    imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
  };
  const platform = { imageDigest: digest('d'), imagePushedAt: '2026-01-01T00:00:00Z' };
  const manifest = JSON.stringify({ manifests: [{ digest: digest('d') }] });
  FILES['index.json'] = JSON.stringify({ imageDetails: [index, platform] });
  FILES['batch.json'] = JSON.stringify({ images: [{ imageId: { imageDigest: digest('c') }, imageManifest: manifest }] });
  const out: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: () => undefined, readFile: (p) => FILES[p] };
  EcrLifecyclePreviewCli.run(['--images', 'index.json', '--index-manifests', 'batch.json', '--policy', 'policy.json', '--now', NOW], io);
  expect(out.join('\n')).toMatch(/^dddddddddddd\s+.*expire!\s+1\s+.*; its image index cccccccccccc stays in archive without it$/m);
});
