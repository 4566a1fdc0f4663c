import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EcrRegistryScanning, RegistryScanFrequency, RegistryScanType } from '../../src/registry/scanning';

function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

describe('EcrRegistryScanning', () => {
  test('defaults to ENHANCED continuous scanning of every repository', () => {
    const stack = newStack();
    new EcrRegistryScanning(stack, 'Scanning');
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
  });

  test('BASIC defaults to scan on push of every repository', () => {
    const stack = newStack();
    const scanning = new EcrRegistryScanning(stack, 'Scanning', { scanType: RegistryScanType.BASIC });
    expect(scanning.scanType).toBe(RegistryScanType.BASIC);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'BASIC',
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
  });

  test('ENHANCED renders continuous and scan-on-push rules with their filters, in order', () => {
    const stack = newStack();
    new EcrRegistryScanning(stack, 'Scanning', {
      rules: [
        { frequency: RegistryScanFrequency.CONTINUOUS_SCAN, repositoryFilters: ['prod-*', 'team/*'] },
        { frequency: RegistryScanFrequency.SCAN_ON_PUSH },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [
        {
          ScanFrequency: 'CONTINUOUS_SCAN',
          RepositoryFilters: [{ Filter: 'prod-*', FilterType: 'WILDCARD' }, { Filter: 'team/*', FilterType: 'WILDCARD' }],
        },
        { ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] },
      ],
    });
  });

  test('exposes the L1 resource', () => {
    const stack = newStack();
    const scanning = new EcrRegistryScanning(stack, 'Scanning');
    expect(scanning.resource.scanType).toBe('ENHANCED');
  });

  test('a second EcrRegistryScanning in the same stack is refused, naming the first', () => {
    const stack = newStack();
    new EcrRegistryScanning(stack, 'First');
    expect(() => new EcrRegistryScanning(stack, 'Second'))
      .toThrow(/Stack\/Second: only one EcrRegistryScanning is allowed per stack, and 'Stack\/First' already is one/);
  });

  test('one EcrRegistryScanning in each of two stacks is allowed', () => {
    const app = new App();
    new EcrRegistryScanning(new Stack(app, 'A'), 'Scanning');
    expect(() => new EcrRegistryScanning(new Stack(app, 'B'), 'Scanning')).not.toThrow();
  });

  test.each([
    ['no rules', { rules: [] }, /rules: give at least one rule/],
    ['three rules', {
      rules: [
        { frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['a*'] },
        { frequency: RegistryScanFrequency.CONTINUOUS_SCAN },
        { frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['b*'] },
      ],
    }, /rules: at most 2 rules \(one per frequency\), got 3/],
    ['a frequency twice', {
      rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH }, { frequency: RegistryScanFrequency.SCAN_ON_PUSH }],
    }, /rules\[1\]\.frequency: SCAN_ON_PUSH is used by an earlier rule; merge their repositoryFilters/],
    ['continuous scanning with BASIC', {
      scanType: RegistryScanType.BASIC, rules: [{ frequency: RegistryScanFrequency.CONTINUOUS_SCAN }],
    }, /rules\[0\]\.frequency: CONTINUOUS_SCAN needs scanType ENHANCED; BASIC scanning supports SCAN_ON_PUSH only/],
    ['no filters', {
      rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: [] }],
    }, /rules\[0\]\.repositoryFilters: give at least one filter \('\*' for every repository\), got \[\]/],
    ['101 filters', {
      rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: Array.from({ length: 101 }, (_, i) => `r${i}`) }],
    }, /rules\[0\]\.repositoryFilters: at most 100 filters per rule, got 101/],
    ['an upper-case filter', {
      rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['ok', 'Prod-*'] }],
    }, /rules\[0\]\.repositoryFilters\[1\]: 'Prod-\*' is not a repository filter; use 1 to 255 lower-case letters/],
    ['a filter ending in a separator', {
      rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['team/'] }],
    }, /repositoryFilters\[0\]: 'team\/' is not a repository filter/],
    ['a scan type from JavaScript in lower case', { scanType: 'enhanced' as RegistryScanType },
      /scanType: "enhanced" is not a valid RegistryScanType; use one of "BASIC", "ENHANCED"/],
    ['an unknown frequency', { rules: [{ frequency: 'CONTINUOUS' as RegistryScanFrequency }] },
      /rules\[0\]\.frequency: "CONTINUOUS" is not a valid RegistryScanFrequency; use one of "SCAN_ON_PUSH", "CONTINUOUS_SCAN"/],
    ['a filter too long', {
      rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['a'.repeat(256)] }],
    }, /repositoryFilters\[0\]: 'a{256}' is not a repository filter/],
  ])('refuses %s', (_name, props, message) => {
    const stack = newStack();
    expect(() => new EcrRegistryScanning(stack, 'Scanning', props)).toThrow(message);
  });

  // Issue 9: ECR's own pattern backtracked exponentially here: refusing this took minutes.
  test('refuses a long upper-case filter at once', () => {
    const stack = newStack();
    const start = Date.now();
    expect(() => new EcrRegistryScanning(stack, 'Scanning', {
      rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['team-platform/production-services-Api'] }],
    })).toThrow(/'team-platform\/production-services-Api' is not a repository filter/);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  test('reports every problem at once, prefixed with the construct path', () => {
    const stack = newStack();
    expect(() => new EcrRegistryScanning(stack, 'Scanning', {
      scanType: RegistryScanType.BASIC,
      rules: [{ frequency: RegistryScanFrequency.CONTINUOUS_SCAN, repositoryFilters: ['BAD'] }],
    })).toThrow(/^Stack\/Scanning: invalid EcrRegistryScanning props:\n {2}- rules\[0\]\.frequency: .*\n {2}- rules\[0\]\.repositoryFilters\[0\]: 'BAD'/);
  });

  test('an invalid configuration does not claim the one slot of the stack, so a corrected one can follow', () => {
    const stack = newStack();
    expect(() => new EcrRegistryScanning(stack, 'Bad', { rules: [] })).toThrow();
    expect(() => new EcrRegistryScanning(stack, 'Good')).not.toThrow();
  });

  test('skips the check of a filter that is a token', () => {
    const stack = newStack();
    const filter = new CfnParameter(stack, 'Filter').valueAsString;
    new EcrRegistryScanning(stack, 'Scanning', { rules: [{ frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: [filter] }] });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      Rules: [{ RepositoryFilters: [{ Filter: { Ref: 'Filter' } }] }],
    });
    Template.fromStack(stack).resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
  });
});
