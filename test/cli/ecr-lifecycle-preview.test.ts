// The `ecr-lifecycle-preview` CLI, run in-process (and once as a real process) against the fixtures.
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { CliIo, EcrLifecyclePreviewCli } from '../../src/cli/ecr-lifecycle-preview';

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);
const NOW = '2026-06-01T12:00:00Z';

function run(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), readFile: (p) => readFileSync(p, 'utf8') };
  const code = EcrLifecyclePreviewCli.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
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
    expect(Object.keys(result)).toEqual(['expired', 'transitioned', 'kept', 'expiredBytes', 'transitionedBytes', 'keptBytes', 'warnings']);
    expect(result.expired.map((v: { rulePriority: number }) => v.rulePriority)).toEqual([2, 1, 4]);
    expect(result.transitioned[0]).toEqual({
      digest: 'sha256:5555555555555555555555555555555555555555555555555555555555555555',
      tags: ['feature-login', 'pr-42'],
      rulePriority: 3,
      reason: 'transitioned to archive by rule 3 (all images): never pulled, pushed 61 days ago, more than 30 days',
      storageClass: 'standard',
      sizeInBytes: 52428800,
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
      '  - rules[1] (rulePriority 2): a tagged rule needs a tagPrefixList or a tagPatternList; add one, or use tagStatus "any"',
      '  - rules[1] (rulePriority 2): countType "sinceImagePulled" needs selection.countUnit "days"; add "countUnit": "days"',
      '  - rules[1] (rulePriority 2): selection.countNumber must be a whole number >= 1, got 0',
      expect.stringMatching(/^  - rules\[1\] \(rulePriority 2\): countType "sinceImagePulled" can only be used with action "transition"/),
      expect.stringMatching(/^  - rules\[0\] \(rulePriority 1\): a rule with tagStatus "any" must have the highest rulePriority/),
    ]);
  });

  test('one problem is "1 problem"', () => {
    const { code, err } = run('--images', fixture('describe-images-v2.json'), '--policy', fixture('one-problem-policy.json'));
    expect(code).toBe(2);
    expect(err).toBe(`ecr-lifecycle-preview: --policy file ${fixture('one-problem-policy.json')}: Invalid lifecycle policy:\n`
      + '  - rules[0] (rulePriority 1): archived images can\'t be expired before 90 days in archive, got countNumber 30; use 90 or more');
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
  test('the executable prints the preview and exits 0, or exits 2 on an invalid policy', () => {
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const spawn = (...argv: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', main, ...argv], { encoding: 'utf8' });
    const ok = spawn('--images', fixture('describe-images-v2.json'), '--policy', fixture('policy.json'), '--now', NOW);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/\n6 images: 3 expired, 1 transitioned to archive, 2 kept; /);
    const bad = spawn('--images', fixture('describe-images-v2.json'), '--policy', fixture('invalid-policy.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Invalid lifecycle policy/);
  }, 60_000);
});
