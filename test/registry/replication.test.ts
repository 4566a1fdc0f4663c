import { App, aws_ecr as ecr, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { EcrReplication, EcrReplicationProps, EcrReplicationRule } from '../../src/registry/replication';

function newStack(env?: { account: string; region: string }): Stack {
  return new Stack(new App(), 'Stack', { env });
}

describe('EcrReplication', () => {
  test('replicates every repository to another region of this account by default', () => {
    const stack = newStack();
    new EcrReplication(stack, 'Replication', { rules: [{ destinations: [{ region: 'eu-west-1' }] }] });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [{ Destinations: [{ Region: 'eu-west-1', RegistryId: { Ref: 'AWS::AccountId' } }] }],
      },
    });
    const rule = Template.fromStack(stack).findResources('AWS::ECR::ReplicationConfiguration');
    expect(Object.values(rule)[0].Properties.ReplicationConfiguration.Rules[0].RepositoryFilters).toBeUndefined();
  });

  test('renders cross-account destinations and repository prefixes as PREFIX_MATCH filters', () => {
    const stack = newStack({ account: '111111111111', region: 'us-east-1' });
    const replication = new EcrReplication(stack, 'Replication', {
      rules: [
        { destinations: [{ region: 'us-west-2' }, { region: 'eu-central-1', account: '222222222222' }], repositoryPrefixes: ['prod/', 'shared'] },
        { destinations: [{ region: 'us-east-1', account: '333333333333' }] },
      ],
    });
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::ECR::ReplicationConfiguration'))).toEqual([stack.getLogicalId(replication.resource)]);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [
          {
            Destinations: [{ Region: 'us-west-2', RegistryId: '111111111111' }, { Region: 'eu-central-1', RegistryId: '222222222222' }],
            RepositoryFilters: [{ Filter: 'prod/', FilterType: 'PREFIX_MATCH' }, { Filter: 'shared', FilterType: 'PREFIX_MATCH' }],
          },
          { Destinations: [{ Region: 'us-east-1', RegistryId: '333333333333' }] },
        ],
      },
    });
  });

  test.each(['us-gov-west-1', 'cn-northwest-1', 'ap-southeast-3', 'il-central-1', 'us-isob-east-1'])('accepts the region %s', region => {
    const stack = newStack();
    expect(() => new EcrReplication(stack, 'Replication', { rules: [{ destinations: [{ region }] }] })).not.toThrow();
  });

  test('a second EcrReplication in the same stack is refused, naming the first', () => {
    const stack = newStack();
    new EcrReplication(stack, 'First', { rules: [{ destinations: [{ region: 'eu-west-1' }] }] });
    expect(() => new EcrReplication(stack, 'Second', { rules: [{ destinations: [{ region: 'eu-west-2' }] }] }))
      .toThrow(/Stack\/Second: only one EcrReplication is allowed per stack, and 'Stack\/First' already is one/);
  });

  test('skips the checks of values that are tokens', () => {
    const stack = newStack();
    const region = new CfnParameter(stack, 'Region').valueAsString;
    const account = new CfnParameter(stack, 'Account').valueAsString;
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    new EcrReplication(stack, 'Replication', { rules: [{ destinations: [{ region, account }], repositoryPrefixes: [prefix] }] });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [{ Destinations: [{ Region: { Ref: 'Region' }, RegistryId: { Ref: 'Account' } }], RepositoryFilters: [{ Filter: { Ref: 'Prefix' } }] }],
      },
    });
  });

  const to = (region: string, account?: string): EcrReplicationRule => ({ destinations: [{ region, account }] });

  type Env = { account: string; region: string };
  const cases: Array<[string, EcrReplicationProps, RegExp, Env?]> = [
    ['no rules', { rules: [] }, /rules: give at least one rule; to stop replicating, remove the EcrReplication instead/],
    ['eleven rules', { rules: Array.from({ length: 11 }, (_, i) => to(`eu-west-${i + 1}`)) },
      /rules: at most 10 rules per replication configuration \(an ECR limit\), got 11/],
    ['26 distinct destinations', {
      rules: [{ destinations: Array.from({ length: 26 }, (_, i) => ({ region: 'eu-west-1', account: String(100000000000 + i) })) }],
    }, /rules: at most 25 distinct destinations across all rules \(an ECR limit\), got 26/],
    ['a rule without destinations', { rules: [{ destinations: [] }] }, /rules\[0\]\.destinations: give at least one destination, got \[\]/],
    ['a region that is not one', { rules: [to('EU-West')] },
      /rules\[0\]\.destinations\[0\]\.region: 'EU-West' does not look like an AWS region; use a region name such as 'eu-west-1'/],
    ['an availability zone for a region', { rules: [to('us-east-1a')] }, /region: 'us-east-1a' does not look like an AWS region/],
    ['an account of 11 digits', { rules: [to('eu-west-1', '12345678901')] },
      /rules\[0\]\.destinations\[0\]\.account: '12345678901' is not an AWS account id; use the 12 digits, e.g. '123456789012'/],
    ['an account with dashes', { rules: [to('eu-west-1', '1234-5678-9012')] }, /account: '1234-5678-9012' is not an AWS account id/],
    ['the stack\'s own registry', { rules: [to('us-east-1')] },
      /rules\[0\]\.destinations\[0\]: 'us-east-1' in account '111111111111' is this stack's own registry; replicate to another region or account/,
      { account: '111111111111', region: 'us-east-1' }],
    ['the stack\'s own registry named explicitly', { rules: [to('us-east-1', '111111111111')] }, /is this stack's own registry/,
      { account: '111111111111', region: 'us-east-1' }],
    ['a destination twice in a rule', { rules: [{ destinations: [{ region: 'eu-west-1' }, { region: 'eu-west-1' }] }] },
      /rules\[0\]\.destinations\[1\]: 'eu-west-1' in this account is listed twice in this rule; list each destination once/],
    ['an empty prefix list', { rules: [{ destinations: [{ region: 'eu-west-1' }], repositoryPrefixes: [] }] },
      /rules\[0\]\.repositoryPrefixes: give at least one prefix, or leave repositoryPrefixes out to replicate every repository/],
    ['101 prefixes', { rules: [{ destinations: [{ region: 'eu-west-1' }], repositoryPrefixes: Array.from({ length: 101 }, (_, i) => `p${i}`) }] },
      /rules\[0\]\.repositoryPrefixes: at most 100 prefixes per rule \(an ECR limit\), got 101/],
    ['a one-character prefix', { rules: [{ destinations: [{ region: 'eu-west-1' }], repositoryPrefixes: ['a'] }] },
      /rules\[0\]\.repositoryPrefixes\[0\]: 'a' is not a repository name prefix; use 2 to 256 lower-case letters, digits/],
    ['an upper-case prefix', { rules: [{ destinations: [{ region: 'eu-west-1' }], repositoryPrefixes: ['Prod'] }] },
      /repositoryPrefixes\[0\]: 'Prod' is not a repository name prefix/],
    ['a wildcard prefix', { rules: [{ destinations: [{ region: 'eu-west-1' }], repositoryPrefixes: ['prod-*'] }] },
      /repositoryPrefixes\[0\]: 'prod-\*' is not a repository name prefix/],
  ];
  // Every row has four cells, or jest would take the test's fourth parameter for a `done` callback.
  test.each(cases.map(([name, props, message, env]): [string, EcrReplicationProps, RegExp, Env | null] => [name, props, message, env ?? null]))('refuses %s', (_name, props, message, env) => {
    const stack = newStack(env ?? undefined);
    expect(() => new EcrReplication(stack, 'Replication', props)).toThrow(message);
  });

  test('refuses missing rules and destinations from untyped (JavaScript) callers, saying what to give', () => {
    expect(() => new EcrReplication(newStack(), 'Replication', {} as EcrReplicationProps)).toThrow(/rules is required; give the replication rules/);
    expect(() => new EcrReplication(newStack(), 'Replication', { rules: [{} as EcrReplicationRule] }))
      .toThrow(/rules\[0\]\.destinations is required; give where to replicate/);
  });

  test('reports every problem at once, prefixed with the construct path', () => {
    const stack = newStack();
    expect(() => new EcrReplication(stack, 'Replication', { rules: [to('moon-1', '42')] }))
      .toThrow(/^Stack\/Replication: invalid EcrReplication props:\n {2}- .*region: 'moon-1'.*\n {2}- .*account: '42'/);
  });
});

describe('EcrReplication with random configurations', () => {
  const REGION = /^[a-z]{2,4}(-(gov|iso|isob|isoe|isof))?-[a-z]+-\d{1,2}$/;
  const PREFIX = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;
  // Mostly valid values, so that both outcomes are common; the invalid ones are near misses and noise.
  const region = fc.oneof(
    { arbitrary: fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'us-gov-west-1'), weight: 30 },
    { arbitrary: fc.constantFrom('', 'EU-WEST-1', 'us-east', 'us-east-1a', 'eu_west_1', 'global'), weight: 1 },
    { arbitrary: fc.string({ maxLength: 16 }), weight: 1 },
  );
  const account = fc.option(fc.oneof(
    { arbitrary: fc.constantFrom('111111111111', '222222222222', '333333333333'), weight: 30 },
    { arbitrary: fc.stringMatching(/^\d{10,14}$/), weight: 1 },
    { arbitrary: fc.string({ maxLength: 14 }), weight: 1 },
  ), { nil: undefined });
  const prefix = fc.oneof(
    { arbitrary: fc.constantFrom('prod/', 'team-a', 'shared', 'ab'), weight: 20 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    { arbitrary: fc.stringMatching(/^[a-z0-9._/-]{0,20}$/), weight: 2 },
  );
  const rule = fc.record({
    destinations: fc.array(fc.record({ region, account }, { requiredKeys: ['region'] }), { minLength: 1, maxLength: 3 }),
    repositoryPrefixes: fc.option(fc.array(prefix, { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 3 }),
  }, { requiredKeys: ['destinations'] });
  const props = fc.record({ rules: fc.array(rule, { maxLength: 6 }) });
  // The empty lists, 11 rules and 26 destinations are the unit tests' cases above.
  const outcomes = { synthesized: 0, refused: 0 };

  test('either synthesize a configuration ECR accepts or throw a clear error, never anything in between', () => {
    fc.assert(fc.property(props, fc.boolean(), (p, withEnv) => {
      const stack = newStack(withEnv ? { account: '111111111111', region: 'us-east-1' } : undefined);
      let replication: EcrReplication;
      try {
        replication = new EcrReplication(stack, 'Replication', p);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        const lines = (e as Error).message.split('\n');
        expect(lines[0]).toBe('Stack/Replication: invalid EcrReplication props:');
        expect(lines.length).toBeGreaterThan(1);
        outcomes.refused++;
        for (const line of lines.slice(1)) {
          expect(line).toMatch(/^ {2}- rules(\[\d+\])?(\.\w+(\[\d+\])?)*(\.\w+)?: \S/);
        }
        return;
      }
      const found = Template.fromStack(stack).findResources('AWS::ECR::ReplicationConfiguration');
      expect(Object.keys(found)).toEqual([stack.getLogicalId(replication.resource)]);
      const rules = Object.values(found)[0].Properties.ReplicationConfiguration.Rules;
      expect(rules.length).toBeGreaterThanOrEqual(1);
      expect(rules.length).toBeLessThanOrEqual(10);
      const distinct = new Set<string>();
      for (const r of rules) {
        expect(r.Destinations.length).toBeGreaterThanOrEqual(1);
        for (const d of r.Destinations) {
          expect(d.Region).toMatch(REGION);
          if (typeof d.RegistryId === 'string') {
            expect(d.RegistryId).toMatch(/^\d{12}$/);
          } else {
            expect(d.RegistryId).toEqual({ Ref: 'AWS::AccountId' });
          }
          expect(withEnv && d.RegistryId === '111111111111' && d.Region === 'us-east-1').toBe(false);
          distinct.add(JSON.stringify(d));
        }
        for (const f of r.RepositoryFilters ?? []) {
          expect(f.FilterType).toBe('PREFIX_MATCH');
          expect(f.Filter.length).toBeGreaterThanOrEqual(2);
          expect(f.Filter.length).toBeLessThanOrEqual(256);
          expect(f.Filter).toMatch(PREFIX);
        }
        expect((r.RepositoryFilters ?? [undefined]).length).toBeGreaterThanOrEqual(1);
      }
      expect(distinct.size).toBeLessThanOrEqual(25);
      outcomes.synthesized++;
    }), { numRuns: 200 });
    // Both outcomes must be exercised, or the property says little.
    expect(outcomes.synthesized).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });
});

describe('EcrReplication.addRepositoryCreationTemplate', () => {
  test('creates a REPLICATION template for every repository in a destination stack, in one line', () => {
    const app = new App();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    const destination = new Stack(app, 'Destination', { env: { account: '222222222222', region: 'eu-west-1' } });
    const replication = new EcrReplication(source, 'Replication', { rules: [{ destinations: [{ region: 'eu-west-1', account: '222222222222' }] }] });
    replication.addRepositoryCreationTemplate('Replicated', { destination, encryption: ecr.RepositoryEncryption.KMS });
    Template.fromStack(destination).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'ROOT', AppliedFor: ['REPLICATION'], EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
    });
  });

  test('takes a prefix', () => {
    const app = new App();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    const destination = new Stack(app, 'Destination', { env: { account: '111111111111', region: 'eu-west-1' } });
    const replication = new EcrReplication(source, 'Replication', { rules: [{ destinations: [{ region: 'eu-west-1' }] }] });
    expect(replication.addRepositoryCreationTemplate('Replicated', { destination, prefix: 'prod' }).prefix).toBe('prod');
  });

  // A template is read by the registry that creates the repository: the destination's.
  test('refuses a scope whose stack is not a destination, naming both', () => {
    const app = new App();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    const replication = new EcrReplication(source, 'Replication', { rules: [{ destinations: [{ region: 'eu-west-1' }] }] });
    expect(() => replication.addRepositoryCreationTemplate('Replicated', { destination: source }))
      .toThrow(/Source\/Replication: the stack 'Source' \(111111111111, us-east-1\) is not a replication destination/);
  });

  // Issue 16: the same addRepositoryCreationTemplate(id, options) as EcrPullThroughCache, the template the child `id`.
  test('takes the id first and creates the template as that child of the destination', () => {
    const app = new App();
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    const destination = new Stack(app, 'Destination', { env: { account: '111111111111', region: 'eu-west-1' } });
    const replication = new EcrReplication(source, 'Replication', { rules: [{ destinations: [{ region: 'eu-west-1' }] }] });
    expect(replication.addRepositoryCreationTemplate('Replicated', { destination }).node.path).toBe('Destination/Replicated');
  });

  test('refuses options without a destination, saying what to give', () => {
    const source = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'us-east-1' } });
    const replication = new EcrReplication(source, 'Replication', { rules: [{ destinations: [{ region: 'eu-west-1' }] }] });
    expect(() => replication.addRepositoryCreationTemplate('Replicated', {} as any))
      .toThrow(/^Source\/Replication: invalid addRepositoryCreationTemplate options:\n {2}- destination is required; give a construct \(e.g. the Stack\) of a destination account and region$/);
  });
});
