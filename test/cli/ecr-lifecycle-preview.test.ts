// The `ecr-lifecycle-preview` CLI, run in-process (and once as a real process) against the fixtures.
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CliIo, EcrLifecyclePreviewCli } from '../../src/cli/ecr-lifecycle-preview';
import * as documentValidator from '../../src/lifecycle/private/document-validator';

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);
const NOW = '2026-06-01T12:00:00Z';
const IMAGES_V2 = ['--images', fixture('describe-images-v2.json')];
const POLICY = ['--policy', fixture('policy.json'), '--now', NOW];
const describeImages = (details: object[], extra: object = {}) => JSON.stringify({ imageDetails: details, ...extra });
const untagged = (i: number, fields: object = {}) => ({ imageDigest: `sha256:${String(i).padStart(64, '0')}`, imagePushedAt: 1_700_000_000 + i, ...fields });

/** Runs the CLI in-process; `files` are read before the disk, `columns` is the terminal's width. */
function runWith(env: { files?: Record<string, string>; columns?: number }, ...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const readFile = (p: string) => env.files?.[p] ?? readFileSync(p, 'utf8');
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readFile, columns: env.columns };
  const code = EcrLifecyclePreviewCli.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function run(...argv: string[]): { code: number; out: string; err: string } {
  return runWith({}, ...argv);
}

describe('table output', () => {
  test('prints one row per image with action, rule and why, then totals', () => {
    const { code, out, err } = run('--images', fixture('describe-images-v2.json'), '--policy', fixture('policy.json'), '--now', NOW);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Policy: ${fixture('policy.json')} (4 rules), evaluated at 2026-06-01T12:00:00.000Z`);
    expect(lines[2]).toMatch(/^DIGEST\s+TAGS\s+SIZE\s+PUSHED\s+LAST PULL\s+ACTION\s+RULE\s+WHY$/);
    expect(lines[3]).toMatch(/^333333333333\s+<untagged>\s+50.0 MB\s+2026-05-20 08:30Z\s+never\s+expire\s+2\s+expired by rule 2 \(untagged images\): pushed 12.1 days ago, more than 7 days$/);
    expect(out).toMatch(/111111111111\s+prod-1.0.0\s+50.0 MB\s+2026-01-10 09:00Z\s+2026-05-30 08:15Z\s+expire\s+1\s+expired by rule 1/);
    expect(out).toMatch(/555555555555\s+feature-login,pr-42\s+.*transition\s+3\s+transitioned to archive by rule 3/);
    expect(out).toMatch(/222222222222\s+prod-1.1.0\s+.*keep\s+1\s+kept by rule 1.*protects it from rule 3, which would have transitioned it$/m);
    expect(lines[lines.length - 2]).toBe('6 images: 3 expired, 1 transitioned to archive, 2 kept; frees 0.15 GB ($0.0146 a month less), moves 0.05 GB to archive ($0.00 a month less)');
  });

  test('reads the policy of another repository of a template', () => {
    const { out } = run('--images', fixture('describe-images-v1.json'), '--template', fixture('Stack.template.json'), '--repository', 'CacheRepoE5F6A7B8', '--now', NOW);
    expect(out).toMatch(/^333333333333 .*keep\s+1\s+kept by rule 1/m);
    expect(out).toMatch(/^111111111111 .*expire\s+1\s+expired by rule 1/m);
    expect(out).toMatch(/^2 images: 1 expired, 0 transitioned to archive, 1 kept;/m);
    expect(out).toContain('(1 rule)');
  });

  test('an image no rule selects shows "-" as its rule; one image is "1 image"', () => {
    const { out } = run('--images', fixture('one-image.json'), '--policy', fixture('keep-prod-policy.json'), '--now', NOW);
    expect(out).toMatch(/^1 image: 0 expired, 0 transitioned to archive, 1 kept;/m);
    expect(out).toMatch(/-\s+no rule selects it \(archive storage, tags that no rule matches\)$/m);
  });
});

describe('--json', () => {
  test('prints the verdict lists', () => {
    const { code, out } = run('--images', fixture('describe-images-v2.json'), '--policy', fixture('policy.json'), '--now', NOW, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    // The in-use lists only with --in-use.
    expect(Object.keys(result)).toEqual(['expired', 'transitioned', 'kept', 'expiredBytes', 'transitionedBytes', 'keptBytes', 'warnings']);
    expect(result.expired.map((v: { rulePriority: number }) => v.rulePriority)).toEqual([2, 1, 4]);
    expect(result.transitioned[0]).toEqual({
      digest: 'sha256:5555555555555555555555555555555555555555555555555555555555555555',
      tags: ['feature-login', 'pr-42'],
      rulePriority: 3,
      reason: 'transitioned to archive by rule 3 (all images): never pulled, pushed 61 days ago, more than 30 days',
      storageClass: 'standard',
      sizeInBytes: 52428800,
      inUseBy: [],
    });
  });
});

describe('--template', () => {
  test('reads the policy of the repository named by logical ID or RepositoryName', () => {
    const byName = run('--images', fixture('describe-images-v2.json'), '--template', fixture('Stack.template.json'), '--repository', 'my-app', '--now', NOW, '--json');
    const byPolicy = run('--images', fixture('describe-images-v2.json'), '--policy', fixture('policy.json'), '--now', NOW, '--json');
    expect(byName.code).toBe(0);
    expect(byName.out).toBe(byPolicy.out);
    const byId = run('--images', fixture('describe-images-v2.json'), '--template', fixture('Stack.template.json'), '--repository', 'AppRepo1A2B3C4D', '--now', NOW);
    expect(byId.out).toContain(`Policy: ${fixture('Stack.template.json')} (AppRepo1A2B3C4D) (4 rules)`);
  });

  test('a template with one repository needs no --repository', () => {
    const { code, out } = run('--images', fixture('describe-images-v1.json'), '--template', fixture('single.template.json'), '--now', NOW);
    expect(code).toBe(0);
    expect(out).toContain('(OnlyRepo)');
  });

  test.each([
    ['several repositories and no --repository', [], /has 5 repositories; choose one with --repository: AppRepo1A2B3C4D \(my-app\), CacheRepoE5F6A7B8, BareRepo99887766 \(bare\), TokenRepo11223344 \(token\), EmptyRepo$/],
    ['an unknown repository', ['--repository', 'nope'], /has no repository with logical ID or RepositoryName "nope"; it has AppRepo1A2B3C4D \(my-app\)/],
    ['a repository without a lifecycle policy', ['--repository', 'bare'], /repository BareRepo99887766 in .* has no LifecyclePolicy.LifecyclePolicyText/],
    ['a repository without properties', ['--repository', 'EmptyRepo'], /repository EmptyRepo in .* has no LifecyclePolicy.LifecyclePolicyText/],
    ['a policy only known at deploy time', ['--repository', 'TokenRepo11223344'], /repository TokenRepo11223344 in .*: LifecyclePolicyText is not a plain string \(\{"Fn::Join".*\); it is only known at deploy time/],
  ])('exits 2 for %s', (_, extra, message) => {
    const { code, err } = run('--images', fixture('describe-images-v2.json'), '--template', fixture('Stack.template.json'), ...(extra as string[]));
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test('exits 2 for a template without repositories', () => {
    const { code, err } = run('--images', fixture('describe-images-v2.json'), '--template', fixture('describe-images-v1.json'));
    expect(code).toBe(2);
    expect(err).toMatch(/has no AWS::ECR::Repository resource/);
  });

  test('exits 2 for a template that is not JSON', () => {
    const { code, err } = run('--images', fixture('describe-images-v2.json'), '--template', fixture('not-json.txt'));
    expect(code).toBe(2);
    expect(err).toMatch(/^ecr-lifecycle-preview: --template file .*not-json.txt is not valid JSON: /);
  });
});

describe('invalid policy', () => {
  test('exits 2 listing every problem', () => {
    const { code, out, err } = run('--images', fixture('describe-images-v2.json'), '--policy', fixture('invalid-policy.json'));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')).toEqual([
      `ecr-lifecycle-preview: --policy file ${fixture('invalid-policy.json')}: Invalid lifecycle policy:`,
      '  - rules[1] (rulePriority 2): tagStatus "tagged" needs a selection.tagPrefixList or a selection.tagPatternList; add one, or use tagStatus "any"',
      '  - rules[1] (rulePriority 2): countType "sinceImagePulled" needs countUnit "days"; add "countUnit": "days"',
      '  - rules[1] (rulePriority 2): selection.countNumber must be a whole number >= 1, got 0',
      expect.stringMatching(/^  - rules\[1\] \(rulePriority 2\): countType "sinceImagePulled" can only be used with action "transition"/),
      expect.stringMatching(/^  - rules\[0\] \(rulePriority 1\): a rule with tagStatus "any" must have the highest rulePriority/),
    ]);
  });

  test('one problem is "1 problem"', () => {
    const { code, err } = run('--images', fixture('describe-images-v2.json'), '--policy', fixture('one-problem-policy.json'));
    expect(code).toBe(2);
    expect(err).toBe(`ecr-lifecycle-preview: --policy file ${fixture('one-problem-policy.json')}: Invalid lifecycle policy:\n`
      + '  - rules[0] (rulePriority 1): selection.countNumber must be at least 90 (ECR keeps archived images 90 days before they can be deleted), got 30');
  });

  test('exits 2 for a policy file that is not JSON', () => {
    const { code, err } = run('--images', fixture('describe-images-v2.json'), '--policy', fixture('not-json.txt'));
    expect(code).toBe(2);
    expect(err).toMatch(/--policy file .*not-json.txt: Invalid lifecycle policy:\n  - the text is not valid JSON/);
  });
});

describe('unreadable input', () => {
  test.each([
    ['--images', ['--images', fixture('missing.json'), '--policy', fixture('policy.json')]],
    ['--policy', ['--images', fixture('describe-images-v2.json'), '--policy', fixture('missing.json')]],
    ['--template', ['--images', fixture('describe-images-v2.json'), '--template', fixture('missing.json')]],
  ])('exits 2 naming the %s file and the reason', (option, argv) => {
    const { code, err } = run(...argv);
    expect(code).toBe(2);
    expect(err).toBe(`ecr-lifecycle-preview: cannot read ${option} file ${fixture('missing.json')}: ENOENT: no such file or directory, open '${fixture('missing.json')}'`);
  });

  test('exits 2 for images that are not describe-images output', () => {
    const { code, err } = run('--images', fixture('policy.json'), '--policy', fixture('policy.json'));
    expect(code).toBe(2);
    expect(err).toMatch(/^ecr-lifecycle-preview: --images file .*policy.json: describe-images output must be an object with an "imageDetails" array/);
  });
});

describe('usage', () => {
  test.each([
    ['no --images', ['--policy', 'p.json'], /--images is required/],
    ['neither --policy nor --template', ['--images', 'i.json'], /give exactly one of --policy and --template/],
    ['both --policy and --template', ['--images', 'i.json', '--policy', 'p.json', '--template', 't.json'], /give exactly one of --policy and --template/],
    ['--repository without --template', ['--images', 'i.json', '--policy', 'p.json', '--repository', 'r'], /--repository only applies with --template/],
    ['an unknown option', ['--image', 'i.json'], /Unknown option '--image'/],
    ['a bad --now', ['--images', 'i.json', '--policy', 'p.json', '--now', 'yesterday'], /--now must be an ISO 8601 date-time with a zone \(Z or \+hh:mm\) on a real calendar day, such as 2026-06-01T00:00:00Z, got "yesterday"/],
  ])('exits 2 for %s', (_, argv, message) => {
    const { code, err } = run(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test('--help prints the usage and exits 0', () => {
    const { code, out } = run('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: ecr-lifecycle-preview --images describe-images.json/);
  });

  test('unexpected errors are not swallowed', () => {
    const io: CliIo = { out: () => { throw new Error('stdout closed'); }, err: () => undefined, readFile: () => '' };
    expect(() => EcrLifecyclePreviewCli.run(['--help'], io)).toThrow('stdout closed');
  });

  test('processIo reads files and writes to the process streams', () => {
    const io = EcrLifecyclePreviewCli.processIo();
    expect(io.readFile(fixture('policy.json'))).toContain('"rules"');
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    io.out('to stdout');
    io.err('to stderr');
    expect(stdout).toHaveBeenCalledWith('to stdout\n');
    expect(stderr).toHaveBeenCalledWith('to stderr\n');
    stdout.mockRestore();
    stderr.mockRestore();
  });
});

describe('as a process', () => {
  const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  const command = [process.execPath, '-r', 'ts-node/register/transpile-only', main];
  const spawn = (...argv: string[]) => spawnSync(command[0], [...command.slice(1), ...argv], { encoding: 'utf8' });

  test('the executable prints the preview and exits 0, or exits 2 on an invalid policy', () => {
    const ok = spawn('--images', fixture('describe-images-v2.json'), '--policy', fixture('policy.json'), '--now', NOW);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/\n6 images: 3 expired, 1 transitioned to archive, 2 kept; /);
    const bad = spawn('--images', fixture('describe-images-v2.json'), '--policy', fixture('invalid-policy.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Invalid lifecycle policy/);
  }, 60_000);

  test('--format markdown prints the table; --protect exits 3 listing the protected images', () => {
    const markdown = spawn('--images', fixture('describe-images-v2.json'), '--policy', fixture('policy.json'), '--now', NOW, '--format', 'markdown');
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain('| Action | Digest | Tags | Size | Rule | Why |\n|---|---|---|---:|---:|---|\n| expire |');
    const gate = spawn('--images', fixture('describe-images-v2.json'), '--policy', fixture('policy.json'), '--now', NOW, '--protect', 'prod-1.*');
    expect(gate.status).toBe(3);
    expect(gate.stderr).toMatch(/^ecr-lifecycle-preview: the policy expires 1 image with a protected tag \(--protect prod-1\.\*\):\n  - sha256:1{64} \(prod-1\.0\.0\)/);
  }, 60_000);

  // Regression: piping into `head` crashed with "Error: write EPIPE" and a stack trace.
  test('piped into head, it stops quietly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecr-lifecycle-preview-'));
    const images = join(dir, 'images.json');
    writeFileSync(images, describeImages(Array.from({ length: 20_000 }, (_, i) => untagged(i))));
    const quote = (arg: string) => `'${arg}'`;
    const pipeline = `set -o pipefail; ${[...command, '--images', images, '--policy', fixture('keep-prod-policy.json'), '--now', NOW].map(quote).join(' ')} | head -n 1`;
    const piped = spawnSync('bash', ['-c', pipeline], { encoding: 'utf8' });
    rmSync(dir, { recursive: true });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/^Policy: .*keep-prod-policy.json \(1 rule\), evaluated at 2026-06-01T12:00:00.000Z\n$/);
    expect(piped.status).toBe(0);
  }, 60_000);
});

describe('sizes and cost', () => {
  test('--json prints expiredBytes, transitionedBytes and keptBytes at the top level, and each verdict its size', () => {
    const result = JSON.parse(run(...IMAGES_V2, ...POLICY, '--json').out);
    expect([result.expiredBytes, result.transitionedBytes, result.keptBytes]).toEqual([3 * 52428800, 52428800, 2 * 52428800]);
    expect(result.kept[0].sizeInBytes).toBe(52428800);
  });

  test('the summary line says how much is freed and moved to archive, in GB, with a monthly estimate at the given prices', () => {
    const { out } = run(...IMAGES_V2, ...POLICY, '--standard-price', '0.2', '--archive-price', '0.05');
    // Freed: two standard images (0.1 GB at $0.2) and one archived (0.05 GB at $0.05); moved: 0.05 GB saving $0.15/GB.
    expect(out).toContain('6 images: 3 expired, 1 transitioned to archive, 2 kept; frees 0.15 GB ($0.022 a month less), moves 0.05 GB to archive ($0.00732 a month less)');
    expect(out).toMatch(/^Estimate at \$0\.20 \(standard\) and \$0\.05 \(archive\) per GB-month, GB = 2\^30 bytes, storage only; defaults from https:\/\/aws\.amazon\.com\/ecr\/pricing\/ \(us-east-1, March 2026\)/m);
  });

  test.each([['--standard-price', 'free'], ['--archive-price', '-1']])('%s %s exits 2', (option, value) => {
    const { code, err } = run(...IMAGES_V2, ...POLICY, `${option}=${value}`);
    expect(code).toBe(2);
    expect(err).toBe(`ecr-lifecycle-preview: ${option} must be a price in USD per GB-month, such as 0.10, got "${value}"`);
  });
});

describe('--format', () => {
  test('--format json and --json print the same', () => {
    expect(run(...IMAGES_V2, ...POLICY, '--format', 'json').out).toBe(run(...IMAGES_V2, ...POLICY, '--json').out);
  });

  test('markdown: a summary line, then a table GitHub renders, then the price note', () => {
    const lines = run(...IMAGES_V2, ...POLICY, '--format', 'markdown').out.split('\n');
    expect(lines[0]).toBe(`**Lifecycle policy preview** of \`${fixture('policy.json')}\` (4 rules) at 2026-06-01T12:00:00.000Z: `
      + '6 images: 3 expired, 1 transitioned to archive, 2 kept; frees 0.15 GB ($0.0146 a month less), moves 0.05 GB to archive ($0.00 a month less)');
    expect(lines.slice(2, 5)).toEqual([
      '| Action | Digest | Tags | Size | Rule | Why |',
      '|---|---|---|---:|---:|---|',
      '| expire | `333333333333` | _untagged_ | 50.0 MB | 2 | expired by rule 2 (untagged images): pushed 12.1 days ago, more than 7 days |',
    ]);
    expect(lines[lines.length - 1]).toMatch(/^<sub>Estimate at \$0\.10 \(standard\)/);
  });

  test('markdown escapes | in cells and shows at most 100 rows, saying how many more', () => {
    const details = Array.from({ length: 150 }, (_, i) => untagged(i));
    const files = { 'many.json': describeImages(details) };
    const policy = '{"rules":[{"rulePriority":1,"description":"a|b","selection":{"tagStatus":"tagged","tagPatternList":["a|*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}';
    const { out } = runWith({ files: { ...files, 'p.json': policy } }, '--images', 'many.json', '--policy', 'p.json', '--now', NOW, '--format', 'markdown');
    expect(out.split('\n').filter((line) => line.startsWith('| keep |'))).toHaveLength(100);
    expect(out).toContain('50 more images not shown: run `ecr-lifecycle-preview --format table` or `--format json` for all.');
    const tagged = runWith({ files: { 'one.json': describeImages([untagged(1, { imageTags: ['a|1'] })]), 'p.json': policy } },
      '--images', 'one.json', '--policy', 'p.json', '--now', NOW, '--format', 'markdown').out;
    expect(tagged).toContain('| a\\|1 | ? | 1 | kept by rule 1, the first rule selecting it (images matching tagPatternList ["a\\|*"]): it is among the newest 1 it keeps |');
  });

  test('markdown quotes the warnings under the table', () => {
    const { out } = run('--images', fixture('multi-arch.json'), '--policy', fixture('multi-arch-policy.json'), '--now', NOW, '--format', 'markdown');
    expect(out).toMatch(/^\| expire\? \| `bbbbbbbbbbbb` .*\*\*Caveat:\*\* ECR doesn't expire an image a manifest list references/m);
    expect(out).toMatch(/^> \*\*Warning:\*\* 4 images expired or archived may stay: /m);
  });

  test.each([
    ['an unknown format', ['--format', 'yaml'], '--format must be one of table, json, markdown, got "yaml"'],
    ['--json with another format', ['--json', '--format', 'markdown'], '--json is --format json; it contradicts --format markdown'],
  ])('exits 2 for %s', (_, extra, message) => {
    const { code, err } = run(...IMAGES_V2, ...POLICY, ...extra);
    expect(code).toBe(2);
    expect(err).toBe(`ecr-lifecycle-preview: ${message}`);
  });
});

describe('the table fits a terminal', () => {
  test('in a terminal, WHY is cut to the width with …', () => {
    const { out } = runWith({ columns: 140 }, ...IMAGES_V2, ...POLICY);
    const rows = out.split('\n').slice(2, 9);
    expect(rows.every((row) => row.length <= 140)).toBe(true);
    expect(rows[2]).toMatch(/…$/);
  });

  test('piped (no terminal), WHY is whole', () => {
    expect(run(...IMAGES_V2, ...POLICY).out).toContain('which the rule keeps 1\n');
  });

  test('a long tag list is shortened with a count', () => {
    const tags = ['release-2026.05.01', 'sha-4f0a2c1', 'latest', 'stable', 'blue', 'green'];
    const files = { 'i.json': describeImages([untagged(1, { imageTags: tags })]) };
    const { out } = runWith({ files }, '--images', 'i.json', '--policy', fixture('keep-prod-policy.json'), '--now', NOW);
    expect(out).toMatch(/^000000000000\s+release-2026.05.01 \+5 more\s/m);
  });

  test('a single tag longer than the column is cut, and the count of the others kept', () => {
    const files = { 'i.json': describeImages([untagged(1, { imageTags: ['x'.repeat(100), 'latest'] }), untagged(2, { imageTags: ['y'.repeat(100)] })]) };
    const { out } = runWith({ files }, '--images', 'i.json', '--policy', fixture('keep-prod-policy.json'), '--now', NOW);
    expect(out).toContain(`${'x'.repeat(23)}… +1 more `);
    expect(out).toContain(`${'y'.repeat(31)}… `);
  });

  // Regression: Math.max(...rows) threw "RangeError: Maximum call stack size exceeded" above about 125,000 images.
  test('prints 130,000 images', () => {
    const files = { 'big.json': describeImages(Array.from({ length: 130_000 }, (_, i) => untagged(i))) };
    const { code, out } = runWith({ files }, '--images', 'big.json', '--policy', fixture('keep-prod-policy.json'), '--now', NOW);
    expect(code).toBe(0);
    expect(out).toMatch(/\n130000 images: 0 expired, 0 transitioned to archive, 130000 kept;/);
  }, 120_000);
});

describe('--protect', () => {
  test('exits 3 when the policy expires an image with a matching tag, listing each', () => {
    const { code, err } = run(...IMAGES_V2, ...POLICY, '--protect', 'prod-*', '--protect', 'release-*');
    expect(code).toBe(3);
    expect(err.split('\n')).toEqual([
      'ecr-lifecycle-preview: the policy expires 2 images with a protected tag (--protect prod-* release-*):',
      `  - sha256:${'1'.repeat(64)} (prod-1.0.0): expired by rule 1: number 2 of the 2 images matching tagPatternList ["prod-*"], newest first, of which the rule keeps 1`,
      `  - sha256:${'6'.repeat(64)} (prod-0.9.0): expired by rule 4 (all archived images): archived 365.5 days ago, more than 365 days`,
    ]);
  });

  test('exits 0 when no expired image has a matching tag: * matches whole tags, as in tagPatternList', () => {
    // feature-login is transitioned, not expired; "prod" alone matches no whole tag.
    expect(run(...IMAGES_V2, ...POLICY, '--protect', 'feature-*', '--protect', 'prod').code).toBe(0);
  });

  test('an empty pattern exits 2', () => {
    expect(run(...IMAGES_V2, ...POLICY, '--protect', '').err).toBe('ecr-lifecycle-preview: --protect needs a tag pattern, such as prod-* (* matches any characters), got ""');
  });
});

describe('--in-use', () => {
  const inUse = (name: string) => ['--in-use', join(FIXTURES, 'in-use', name)];
  const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-app';

  test('exits 3 when the policy expires or archives an image in use, naming digest, tags, rule and users', () => {
    const { code, err } = run(...IMAGES_V2, ...POLICY, ...inUse('ecs-describe-tasks.json'));
    expect(code).toBe(3);
    expect(err.split('\n')).toEqual([
      `ecr-lifecycle-preview: the policy expires or archives 2 images in use (--in-use ${join(FIXTURES, 'in-use', 'ecs-describe-tasks.json')}):`,
      `  - sha256:${'5'.repeat(64)} (feature-login, pr-42): transitioned to archive by rule 3 (all images): never pulled, pushed 61 days ago, more than 30 days; `
        + 'used by ecs task prod/9f8e7d6c5b4a39281706f5e4d3c2b1a0 (web)',
      `  - sha256:${'1'.repeat(64)} (prod-1.0.0): expired by rule 1: number 2 of the 2 images matching tagPatternList ["prod-*"], newest first, of which `
        + 'the rule keeps 1; used by ecs task prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9 (web)',
    ]);
  });

  test('exits 0 when every image in use is kept', () => {
    const { code, err } = run(...IMAGES_V2, ...POLICY, ...inUse('lambda-get-function.json'));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('the table lists the images at risk first, with a USED BY column', () => {
    const { out } = run(...IMAGES_V2, ...POLICY, ...inUse('kubectl-pods.json'));
    const lines = out.split('\n');
    expect(lines[2]).toMatch(/^DIGEST\s+TAGS\s+SIZE\s+PUSHED\s+LAST PULL\s+ACTION\s+RULE\s+USED BY\s+WHY$/);
    expect(lines[3]).toMatch(/^666666666666\s+prod-0.9.0\s.*expire\s+4\s+pod batch\/worker-0 \(worker\)\s+expired by rule 4/);
    expect(lines[4]).toMatch(/^555555555555\s.*transition\s+3\s+pod shop\/web-7d4b9c8f6d-x2x9q \(migrate\) \+1 more\s+transitioned/);
    expect(lines[5]).toMatch(/^333333333333\s.*expire\s+2\s+-\s+expired by rule 2/);
    expect(out).toMatch(/^6 images: 3 expired, 1 transitioned to archive, 2 kept; 2 images in use expired or archived; frees/m);
  });

  test('markdown has a Used by column and the images at risk first', () => {
    const { out } = run(...IMAGES_V2, ...POLICY, ...inUse('kubectl-pods.json'), '--format', 'markdown');
    expect(out).toContain('| Action | Digest | Tags | Size | Rule | Used by | Why |');
    expect(out.split('\n')[4]).toMatch(/^\| expire \| `666666666666` \| prod-0.9.0 \| 50.0 MB \| 4 \| pod batch\/worker-0 \(worker\) \| expired by rule 4/);
  });

  test('--format json adds inUseAtRisk, inUseMissing and inUseOtherRepositories', () => {
    const files = { 'refs.txt': `${REPO}:prod-1.0.0 web\n${REPO}:gone cron\nghcr.io/acme/tool:1 sidecar\n` };
    const { code, out, err } = runWith({ files }, ...IMAGES_V2, ...POLICY, '--in-use', 'refs.txt', '--json');
    expect(code).toBe(3);
    const result = JSON.parse(out);
    expect(result.inUseAtRisk).toEqual([{ digest: `sha256:${'1'.repeat(64)}`, tags: ['prod-1.0.0'], action: 'expire', rulePriority: 1, inUseBy: ['web'] }]);
    expect(result.inUseMissing).toEqual([{ image: `${REPO}:gone`, source: 'cron' }]);
    expect(result.inUseOtherRepositories).toBe(1);
    expect(result.expired.find((v: { digest: string }) => v.digest === `sha256:${'1'.repeat(64)}`).inUseBy).toEqual(['web']);
    expect(err).toMatch(/^ecr-lifecycle-preview: warning: 1 in-use reference names an image the repository doesn't have .*:\n  - 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/my-app:gone \(cron\)$/m);
  });

  test('an archived in-use image is reported with action transition in JSON', () => {
    const files = { 'refs.txt': `${REPO}:feature-login\n` };
    const result = JSON.parse(runWith({ files }, ...IMAGES_V2, ...POLICY, '--in-use', 'refs.txt', '--json').out);
    expect(result.inUseAtRisk).toEqual([{ digest: `sha256:${'5'.repeat(64)}`, tags: ['feature-login', 'pr-42'], action: 'transition', rulePriority: 3, inUseBy: [`${'refs.txt'} line 1`] }]);
  });

  test('--in-use and --protect together: exit 3, both listed', () => {
    const { code, err } = run(...IMAGES_V2, ...POLICY, '--protect', 'prod-*', ...inUse('kubectl-pods.json'));
    expect(code).toBe(3);
    expect(err).toMatch(/with a protected tag \(--protect prod-\*\)/);
    expect(err).toMatch(/expires or archives 2 images in use/);
  });

  test.each([
    ['malformed JSON', '{"tasks": [', /^ecr-lifecycle-preview: --in-use file bad\.json: in-use references is not valid JSON/],
    ['a bad field', '{"tasks": [{"taskArn": "arn:1", "containers": [{"name": "web"}]}]}',
      /^ecr-lifecycle-preview: --in-use file bad\.json: `aws ecs describe-tasks` output has 1 problem:\n  - tasks\[0\]\.containers\[0\]\.image: must be a non-empty string/],
    ['an unknown JSON', '{"imageDetails": []}', /^ecr-lifecycle-preview: --in-use file bad\.json: in-use references has 1 problem:\n  - the document: not a recognized output/],
    ['a bad line', 'my-app@sha256:xyz\n', /^ecr-lifecycle-preview: --in-use file bad\.json: image reference list has 1 problem:\n  - line 1: the digest after "@"/],
  ])('exits 2 naming the file for %s', (_, text, message) => {
    const { code, err } = runWith({ files: { 'bad.json': text } }, ...IMAGES_V2, ...POLICY, '--in-use', 'bad.json');
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test('an unreadable file exits 2 naming it', () => {
    const { code, err } = run(...IMAGES_V2, ...POLICY, '--in-use', join(FIXTURES, 'no-such-file.json'));
    expect(code).toBe(2);
    expect(err).toMatch(/^ecr-lifecycle-preview: cannot read --in-use file .*no-such-file\.json/);
  });

  test('--help documents it', () => {
    expect(run('--help').out).toMatch(/--in-use FILE {12}images workloads run \(repeatable\)/);
  });
});

describe('fidelity warnings and linked images', () => {
  // DescribeImagesFilter.imageStatus: "If not specified, only images with ACTIVE status are returned."
  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImagesFilter.html
  test('--help gives the describe-images command that lists archived images too', () => {
    expect(run('--help').out).toContain('output of `aws ecr describe-images --repository-name NAME --filter imageStatus=ANY`');
  });

  test('archive rules and no archived image: a warning on stderr names imageStatus and the command that lists them', () => {
    const files = { 'active.json': describeImages([untagged(1)]) };
    const { code, err } = runWith({ files }, '--images', 'active.json', ...POLICY);
    expect(code).toBe(0);
    expect(err).toBe('ecr-lifecycle-preview: warning: the policy has rules for archived images (rulePriority 4), but no image is archived or activating '
      + '(imageStatus ARCHIVED or ACTIVATING): `aws ecr describe-images` lists only ACTIVE images unless given `--filter imageStatus=ANY`');
  });

  // "If an image is referenced by a manifest list, it cannot be expired or archived without the manifest list being
  // deleted or archived first." and "When reference artifacts are present in a repository, Amazon ECR lifecycle
  // policies automatically expire or archive those artifacts within 24 hours of the deletion or archival of the
  // subject image." https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
  test('without --index-manifests, images a kept index may reference are "expire?" with a warning', () => {
    const { out, err } = run('--images', fixture('multi-arch.json'), '--policy', fixture('multi-arch-policy.json'), '--now', NOW);
    expect(out).toMatch(/^bbbbbbbbbbbb .* expire\?\s+2\s+expired by rule 2 .*; may stay \(an image index may reference it\)$/m);
    expect(err).toMatch(/^ecr-lifecycle-preview: warning: 4 images expired or archived may stay: .*read them with `aws ecr batch-get-image`/);
  });

  test('with --index-manifests, the platform images of a kept index are kept and the signature of an expired image is expired', () => {
    const { out, err } = run('--images', fixture('multi-arch.json'), '--index-manifests', fixture('batch-get-image.json'), '--policy', fixture('multi-arch-policy.json'), '--now', NOW);
    expect(err).toBe('');
    expect(out).toMatch(/^bbbbbbbbbbbb .* keep\s+2\s+kept: image index sha256:a{64} references it and stays/m);
    expect(out).toMatch(/^ffffffffffff .* expire\s+1\s+expired with its subject sha256:e{64}/m);
  });

  // A digest is the SHA-256 of the manifest: one index digest has exactly one manifest, so two files that disagree
  // about it cannot both be right, and the last one must not silently win.
  test('the same index with other manifests in two --index-manifests files exits 2 naming both', () => {
    const batch = readFileSync(fixture('batch-get-image.json'), 'utf8');
    const other = batch.replace(/sha256:c{64}/, `sha256:${'d'.repeat(64)}`);
    const { code, err } = runWith({ files: { 'a.json': batch, 'b.json': other } },
      '--images', fixture('multi-arch.json'), '--index-manifests', 'a.json', '--index-manifests', 'b.json', '--policy', fixture('multi-arch-policy.json'), '--now', NOW);
    expect(code).toBe(2);
    expect(err).toContain('batch-get-image output 2, images[0] (sha256:' + 'a'.repeat(64) + '): the index is also batch-get-image output 1, images[0], '
      + 'with other manifests; an image index is one manifest, so give each index once');
  });

  test('the same index with the same manifests in two --index-manifests files is read once', () => {
    const batch = readFileSync(fixture('batch-get-image.json'), 'utf8');
    const args = ['--images', fixture('multi-arch.json'), '--policy', fixture('multi-arch-policy.json'), '--now', NOW];
    const twice = runWith({ files: { 'a.json': batch, 'b.json': batch } }, ...args, '--index-manifests', 'a.json', '--index-manifests', 'b.json');
    const once = runWith({ files: { 'a.json': batch } }, ...args, '--index-manifests', 'a.json');
    expect(twice.code).toBe(0);
    expect(twice.out).toBe(once.out);
  });

  test('unreadable --index-manifests exit 2 naming the file', () => {
    const { code, err } = run('--images', fixture('multi-arch.json'), '--index-manifests', fixture('not-json.txt'), '--policy', fixture('multi-arch-policy.json'));
    expect(code).toBe(2);
    expect(err).toMatch(/^ecr-lifecycle-preview: --images and --index-manifests files .*multi-arch.json, .*not-json.txt: batch-get-image output 1 is not valid JSON/);
  });
});

describe('bad input exits 2 with a message that names the problem', () => {
  // A value from the input is looked up in own properties only: "constructor" is not a storage class.
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('"imageStatus": "%s" exits 2 naming the value', status => {
    const images = describeImages([untagged(1, { imageStatus: status })]);
    const { code, out, err } = runWith({ files: { 'images.json': images } }, '--images', 'images.json', ...POLICY);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`"imageStatus" must be one of ACTIVE, ARCHIVED, ACTIVATING, got "${status}"`);
  });

  test.each([
    ['a bare number', '1'],
    ['an English date', 'June 1, 2026'],
    ['a time without a zone', '2026-06-01T00:00:00'],
    ['an impossible date', '2026-02-30T00:00:00Z'],
  ])('--now %s', (_, now) => {
    const { code, err } = run(...IMAGES_V2, '--policy', fixture('policy.json'), '--now', now);
    expect(code).toBe(2);
    expect(err).toBe(`ecr-lifecycle-preview: --now must be an ISO 8601 date-time with a zone (Z or +hh:mm) on a real calendar day, such as 2026-06-01T00:00:00Z, got ${JSON.stringify(now)}`);
  });

  test.each([
    ['a push time out of range', [untagged(1, { imagePushedAt: 1e13 })], {}, /imageDetails\[0\] \(sha256:0+1\): "imagePushedAt" is out of the range of a date/],
    ['a digest listed twice (pages joined twice)', [untagged(1), untagged(1)], {}, /imageDetails\[1\] \(sha256:0+1\): the digest is also imageDetails\[0\]/],
    ['a truncated page (NextToken of --max-items)', [untagged(1)], { NextToken: 'abc' }, /truncated listing: it carries a pagination token "NextToken"/],
    ['a truncated page (nextToken of the API)', [untagged(1)], { nextToken: 'abc' }, /truncated listing: it carries a pagination token "nextToken"/],
  ])('%s', (_, details, extra, message) => {
    const { code, err } = runWith({ files: { 'i.json': describeImages(details, extra) } }, '--images', 'i.json', ...POLICY);
    expect(code).toBe(2);
    expect(err).toMatch(/^ecr-lifecycle-preview: --images file i\.json: /);
    expect(err).toMatch(message);
  });

  test('a UTF-8 byte order mark in the images, policy or template is skipped', () => {
    const bom = (name: string) => `\uFEFF${readFileSync(fixture(name), 'utf8')}`;
    const files = { 'i.json': bom('describe-images-v2.json'), 'p.json': bom('policy.json'), 't.json': bom('single.template.json') };
    expect(runWith({ files }, '--images', 'i.json', '--policy', 'p.json', '--now', NOW).code).toBe(0);
    expect(runWith({ files }, '--images', 'i.json', '--template', 't.json', '--now', NOW).code).toBe(0);
  });
});

describe('the policy', () => {
  test('is validated once', () => {
    const validateText = jest.spyOn(documentValidator, 'validateText');
    const validate = jest.spyOn(documentValidator, 'validate');
    run(...IMAGES_V2, ...POLICY);
    expect(validateText).toHaveBeenCalledTimes(1);
    expect(validate).toHaveBeenCalledTimes(0);
    validateText.mockRestore();
    validate.mockRestore();
  });
});
