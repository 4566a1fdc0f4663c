// Every identifier pattern lives in src/private/aws-ids.ts (no other module of src/ declares one), and every
// pattern that sees user input runs in linear time (issue 9: a 36-character scanning filter took minutes),
// and the rewritten scanning filter accepts exactly what ECR's own pattern accepts.
import { execFileSync, execSync, spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import * as awsIds from '../../src/private/aws-ids';

/** Near-misses per pattern: long runs of what the pattern repeats, ending in a character it refuses. */
const NEAR_MISSES: Record<string, (n: number) => string[]> = {
  REGION: n => [`us-${'a'.repeat(n)}-x`, `us-gov-${'a'.repeat(n)}`, `${'a-'.repeat(n)}1x`],
  ACCOUNT_ID: n => ['1'.repeat(n)],
  ORGANIZATION_ID: n => [`o-${'a'.repeat(n)}`],
  REPOSITORY_NAME: n => [`${'a'.repeat(n)}A`, `${'a-'.repeat(n)}-`, `${'a/'.repeat(n)}/`, `${'a-a/'.repeat(n)}A`, `${'a.b_c-'.repeat(n)}.`],
  SCANNING_FILTER: n => [`${'a'.repeat(n)}A`, `${'a*'.repeat(n)}A`, `${'a-'.repeat(n)}-`, `${'team-platform/production-services-'.repeat(n)}Api`],
  REPLICATION_PREFIX: n => [`${'a'.repeat(n)}A`, `${'a-'.repeat(n)}A`, `${'a-/'.repeat(n)}A`, `${'a/'.repeat(n)}-/`],
  CACHE_PREFIX: n => [`${'a'.repeat(n)}A`, `${'a-'.repeat(n)}-`, `${'a/'.repeat(n)}//`, `${'a-a/'.repeat(n)}A`],
  AZURE_REGISTRY_NAME: n => [`${'a'.repeat(n)}-`],
  REPOSITORY_ARN: n => [`arn:${'a'.repeat(n)}`, `arn:aws:ecr:${'a'.repeat(n)}:`, `arn:aws:ecr:eu-west-1:111111111111:${'repository'.repeat(n)}`],
  PUBLIC_REGISTRY_ALIAS: n => [`${'a'.repeat(n)}A`, `${'a-'.repeat(n)}-`, `a${'a.b'.repeat(n)}.`],
  IMAGE_TAG: n => [`${'a'.repeat(n)}`, `a${'.'.repeat(n)}!`],
  IMAGE_DIGEST: n => [`sha256:${'a'.repeat(n)}`, `sha256:${'a'.repeat(63)}${'A'.repeat(n)}`],
  ECR_REGISTRY_HOST: n => [`111111111111.dkr.ecr.${'a-'.repeat(n)}!`, `111111111111.dkr.ecr.eu-west-1.${'amazonaws.com'.repeat(n)}`],
  ECR_IMAGE_ARN: n => [`arn:aws:ecr:eu-west-1:111111111111:repository/${'a/'.repeat(n)}`, `arn:aws:ecr:eu-west-1:111111111111:repository/${'a/sha256:'.repeat(n)}x`],
  TEMPLATE_PREFIX: n => [`${'a'.repeat(n)}A`, `${'a-'.repeat(n)}-`, `${'a--a/'.repeat(n)}A`, `${'a__a.'.repeat(n)}_`],
  SIGNING_FILTER: n => [`${'a'.repeat(n)}A`, `${'a*'.repeat(n)}A`, `${'a-'.repeat(n)}-`, `${'a*/'.repeat(n)}/`],
  SIGNING_PROFILE_NAME: n => [`${'a'.repeat(n)}-`],
  ROLE_OR_USER_ARN: n => [`arn:aws${'-a'.repeat(n)}:`, `arn:aws:iam::111111111111:role/${'a/'.repeat(n)}/`, `arn:aws:iam::111111111111:role/${'a'.repeat(n)}!`],
};

/** Patterns that are not AWS identifiers: date-times (iso-time.ts) and an exclusion filter of only `*`. */
const ALLOWED_ELSEWHERE = [
  expect.stringMatching(/^src\/private\/iso-time.ts: const ISO_DATE_TIME = /),
  expect.stringMatching(/^src\/private\/repository-settings.ts: const EVERY_TAG = /),
];

const patterns = Object.entries(awsIds).filter((entry): entry is [string, RegExp] => entry[1] instanceof RegExp);

describe('the identifier patterns', () => {
  test('no module outside aws-ids.ts declares an identifier pattern of its own', () => {
    const sources = execSync('git ls-files src', { cwd: join(__dirname, '..', '..'), encoding: 'utf8' }).split('\n')
      .filter(f => f.endsWith('.ts') && f !== 'src/private/aws-ids.ts');
    // A module-level regular expression constant, e.g. `const PREFIX = /^...$/;`, is an identifier pattern.
    const declared = sources.flatMap(f => readFileSync(join(__dirname, '..', '..', f), 'utf8').split('\n')
      .filter(line => /^(export )?const [A-Z_]+ = \/\^/.test(line)).map(line => `${f}: ${line.slice(0, 60)}`));
    expect(declared).toEqual(ALLOWED_ELSEWHERE);
  });

  test('every exported pattern has near-misses to time', () => {
    expect(patterns.map(([name]) => name).sort()).toEqual(Object.keys(NEAR_MISSES).sort());
  });

  // Run in a child process that is killed after 10 s: a pattern that backtracks exponentially would otherwise hang
  // the test run instead of failing it. A linear pattern takes well under a millisecond per near-miss.
  test.each(patterns)('%s refuses a long near-miss in linear time', (name, pattern) => {
    const script = `const p = new RegExp(${JSON.stringify(pattern.source)}); let worst = 0;
      for (const text of JSON.parse(require('fs').readFileSync(0, 'utf8'))) {
        const start = process.hrtime.bigint();
        if (p.test(text)) throw new Error('accepted ' + text.slice(0, 20));
        worst = Math.max(worst, Number(process.hrtime.bigint() - start) / 1e6);
      }
      console.log(worst);`;
    const input = JSON.stringify(NEAR_MISSES[name](20_000));
    const run = spawnSync(process.execPath, ['-e', script], { input, timeout: 10_000, encoding: 'utf8' });
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe('');
    expect(Number(run.stdout)).toBeLessThan(200);
  });

  test('the scanning filter accepts exactly what ECR\'s ScanningRepositoryFilter pattern accepts', () => {
    // ECR's own form, safe here because the strings are short.
    const ecrPattern = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;
    const filter = fc.string({ unit: fc.constantFrom('a', 'z', '0', '*', '.', '_', '-', '/', 'A'), maxLength: 12 });
    fc.assert(fc.property(filter, text => {
      expect(awsIds.SCANNING_FILTER.test(text)).toBe(ecrPattern.test(text));
    }), { numRuns: 2000 });
  });
});

describe('repositoriesUnder', () => {
  test.each([['prod', 'prod/*'], ['prod/', 'prod/*'], ['team/app', 'team/app/*'], ['ROOT', '*']])('%s gives %s', (prefix, names) => {
    expect(awsIds.repositoriesUnder(prefix)).toBe(names);
  });

  test('is the one place that builds prefix/*', () => {
    const built = execFileSync('git', ['grep', '-n', '-F', "replace(/\\/$/, '')}/*", '--', 'src'], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' }).trim().split('\n');
    expect(built).toEqual([expect.stringMatching(/^src\/private\/aws-ids.ts:/)]);
  });
});

