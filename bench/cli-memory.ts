// `npm run bench:cli`: peak memory (max RSS) and wall time of the `ecr-lifecycle-preview` executable on
// 500,000 and 1,000,000 images (BENCH_CLI_IMAGES overrides), for the table and the JSON output. The input is what
// the AWS CLI v2 prints (4-space indented JSON) for bench/repository.ts, with the batch-get-image output of its
// image indexes. Then the table with 100,000 in-use references (BENCH_CLI_IN_USE) in each of two `--in-use` files:
// `aws ecs describe-tasks` output (a JSON array of 1,000 outputs of 100 tasks, as `jq -s` joins them) and a
// plain list. Needs /usr/bin/time. Prints figures; not a timed test.
import { spawnSync } from 'child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { inUseReferences, NOW, POLICY, repository } from './repository';
import { ImageStorageClass } from '../src/lifecycle/image';

const COUNTS = (process.env.BENCH_CLI_IMAGES ?? '500000,1000000').split(',').map(Number);
const MAIN = join(__dirname, '..', 'src', 'cli', 'main.ts');
const IN_USE = Number(process.env.BENCH_CLI_IN_USE ?? 100_000);
/** `aws ecs describe-tasks` describes at most 100 tasks a call. */
const TASKS_PER_CALL = 100;

/** `count` in-use references as describe-tasks output (AWS CLI v2 style, joined with `jq -s`) and as a plain list. */
function writeInUse(dir: string, images: ReturnType<typeof repository>, count: number): { tasks: string; list: string } {
  const references = inUseReferences(images, count);
  const outputs: object[] = [];
  for (let start = 0; start < references.length; start += TASKS_PER_CALL) {
    outputs.push({
      tasks: references.slice(start, start + TASKS_PER_CALL).map((reference, i) => {
        const taskArn = `arn:aws:ecs:us-east-1:123456789012:task/prod/${(start + i).toString(16).padStart(32, '0')}`;
        const at = reference.image.indexOf('@');
        const container = at < 0
          ? { name: 'web', image: reference.image, lastStatus: 'PENDING' }
          : { name: 'web', image: `${reference.image.slice(0, at)}:latest`, imageDigest: reference.image.slice(at + 1), lastStatus: 'RUNNING' };
        return { taskArn, clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', containers: [container] };
      }),
      failures: [],
    });
  }
  const tasks = join(dir, `tasks-${count}.json`);
  writeFileSync(tasks, JSON.stringify(outputs, null, 4));
  const list = join(dir, `in-use-${count}.txt`);
  writeFileSync(list, references.map((r) => `${r.image} ${r.source}`).join('\n'));
  return { tasks, list };
}

/** Writes `aws ecr describe-images` output (AWS CLI v2 style) and `batch-get-image` output for `count` images. */
function writeInputs(dir: string, count: number): { images: string; indexes: string } {
  const images = repository(count);
  const imagesFile = join(dir, `images-${count}.json`);
  const fd = openSync(imagesFile, 'w');
  const chunk: string[] = [];
  const flush = () => { writeSync(fd, chunk.join('')); chunk.length = 0; };
  chunk.push('{\n    "imageDetails": [\n');
  images.forEach((image, i) => {
    const detail = {
      registryId: '123456789012',
      repositoryName: 'my-app',
      imageDigest: image.digest,
      ...(image.tags!.length > 0 && { imageTags: image.tags }),
      imageSizeInBytes: image.sizeInBytes,
      imagePushedAt: image.pushedAt.toISOString().replace('Z', '000+00:00'),
      imageManifestMediaType: image.manifestMediaType,
      ...(image.subjectDigest && { subjectManifestDigest: image.subjectDigest }),
      ...(image.lastPulledAt && { lastRecordedPullTime: image.lastPulledAt.toISOString().replace('Z', '000+00:00') }),
      imageStatus: image.storageClass === ImageStorageClass.ARCHIVE ? 'ARCHIVED' : 'ACTIVE',
      ...(image.lastArchivedAt && { lastArchivedAt: image.lastArchivedAt.toISOString().replace('Z', '000+00:00') }),
    };
    chunk.push(JSON.stringify(detail, null, 4).replace(/^/gm, '        '), i === images.length - 1 ? '\n' : ',\n');
    if (chunk.length > 2000) flush();
  });
  chunk.push('    ]\n}\n');
  flush();
  closeSync(fd);
  const indexes = images.filter((image) => image.manifestDigests !== undefined).map((image) => ({
    imageId: { imageDigest: image.digest },
    imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: image.manifestMediaType, manifests: image.manifestDigests!.map((digest) => ({ digest })) }),
    imageManifestMediaType: image.manifestMediaType,
  }));
  const indexesFile = join(dir, `indexes-${count}.json`);
  writeFileSync(indexesFile, JSON.stringify({ images: indexes, failures: [] }, null, 4));
  return { images: imagesFile, indexes: indexesFile };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
const policy = join(dir, 'policy.json');
writeFileSync(policy, JSON.stringify(POLICY));
try {
  for (const count of COUNTS) {
    const input = writeInputs(dir, count);
    const inUse = IN_USE > 0 ? writeInUse(dir, repository(count), IN_USE) : undefined;
    const megabytes = (statSync(input.images).size / 2 ** 20).toFixed(0);
    const runs: [string, string[]][] = [['--format table', ['--format', 'table']], ['--format json', ['--format', 'json']]];
    if (inUse !== undefined) {
      runs.push([`--format table, --in-use ${IN_USE.toLocaleString('en-US')} references in describe-tasks output `
        + `(${(statSync(inUse.tasks).size / 2 ** 20).toFixed(0)} MB) and in a plain list`, ['--format', 'table', '--in-use', inUse.tasks, '--in-use', inUse.list]]);
    }
    for (const [label, args] of runs) {
      const run = spawnSync('bash', ['-c', '/usr/bin/time -f "%M %e" "$@" > /dev/null', 'time', process.execPath, '-r', 'ts-node/register/transpile-only', MAIN,
        '--images', input.images, '--index-manifests', input.indexes, '--policy', policy, '--now', NOW.toISOString(), ...args], { encoding: 'utf8' });
      const [maxRssKb, seconds] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      console.log(`${count.toLocaleString('en-US')} images (${megabytes} MB of describe-images output), ${label}: `
        + `exit ${run.status}, peak RSS ${(maxRssKb / 1024).toFixed(0)} MB, ${seconds.toFixed(1)} s`);
      if (run.status !== 0 && run.status !== 3) console.log(run.stderr);
    }
    rmSync(input.images);
  }
} finally {
  rmSync(dir, { recursive: true });
}
