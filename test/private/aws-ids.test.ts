// Every pattern that sees user input runs in linear time (issue 9: a 36-character scanning filter took minutes),
// and the rewritten scanning filter accepts exactly what ECR's own pattern accepts.
import { spawnSync } from 'child_process';
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
};

const patterns = Object.entries(awsIds).filter((entry): entry is [string, RegExp] => entry[1] instanceof RegExp);

describe('the identifier patterns', () => {
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
