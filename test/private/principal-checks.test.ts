// The principal rules every resource policy of the library goes through, on rendered statement JSON.
import * as fc from 'fast-check';
import { checkStatement, policyProblems, principalsOutside, statementProblems } from '../../src/private/principal-checks';

const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const PUSH = ['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];
const ANYONE = { AWS: '*' };
const ROOT_222 = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } };

function allow(Principal: unknown, Action: string[], Condition?: unknown): Record<string, unknown> {
  return { Effect: 'Allow', Principal, Action, ...(Condition === undefined ? {} : { Condition }) };
}

describe('statementProblems', () => {
  test.each<[string, Record<string, unknown>]>([
    ['an account root principal', allow(ROOT_222, PULL)],
    ['a role ARN', allow({ AWS: 'arn:aws:iam::222222222222:role/ci' }, [...PULL, ...PUSH])],
    ['a bare account id', allow({ AWS: '222222222222' }, PULL)],
    ['a principal whose account is a parameter', allow({ AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'Account' }, ':root']] } }, PULL)],
    ['* restricted to an organization', allow(ANYONE, PULL, { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })],
    ['* restricted to an account (keys are case-insensitive)', allow('*', PULL, { StringEquals: { 'AWS:PRINCIPALACCOUNT': '222222222222' } })],
    ['* restricted to role ARNs of one account', allow(ANYONE, PULL, { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/ci-*' } })],
    ['* restricted to an organizational unit', allow(ANYONE, PULL, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'] } })],
    ['* restricted to an organization given as a parameter', allow(ANYONE, PULL, { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'Org' } } })],
    ['a service for one account', allow({ Service: 'codebuild.amazonaws.com' }, PULL, { StringEquals: { 'aws:SourceAccount': '222222222222' } })],
    ['a service for functions of one account', allow({ Service: 'lambda.amazonaws.com' }, PULL, { StringLike: { 'aws:sourceArn': 'arn:aws:lambda:eu-west-1:222222222222:function:*' } })],
    ['a Deny for anyone', { Effect: 'Deny', Principal: '*', Action: ['ecr:*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    ['a Deny with NotPrincipal', { Effect: 'Deny', NotPrincipal: ROOT_222, Action: PUSH }],
  ])('accepts %s', (_name, statement) => {
    expect(statementProblems(statement)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    // Issue 9: a condition does not make a wildcard principal safe unless it restricts who.
    ['push by * with an aws:SecureTransport condition', allow(ANYONE, [...PULL, ...PUSH], { Bool: { 'aws:SecureTransport': 'true' } }),
      /^Principal '\*' may only read, whatever its condition, but is allowed ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage, ecr:UploadLayerPart/],
    ['push by * restricted to an organization', allow(ANYONE, ['ecr:PutImage'], { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
      /Principal '\*' may only read, whatever its condition, but is allowed ecr:PutImage/],
    ['ecr:* for *', allow(ANYONE, ['ecr:*'], { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }), /may only read, whatever its condition, but is allowed ecr:\*/],
    ['NotAction for *', { Effect: 'Allow', Principal: ANYONE, NotAction: ['ecr:DeleteRepository'], Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
      /Principal '\*' with NotAction allows every other action to anyone/],
    ['pull by * with only aws:SecureTransport', allow(ANYONE, PULL, { Bool: { 'aws:SecureTransport': 'true' } }), /^Principal '\*' has no condition that restricts who/],
    ['pull by * with aws:SourceIp', allow(ANYONE, PULL, { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), /has no condition that restricts who/],
    ['pull by * with an ...IfExists operator', allow(ANYONE, PULL, { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }), /has no condition that restricts who/],
    ['pull by * with a negated operator', allow(ANYONE, PULL, { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }), /has no condition that restricts who/],
    ['pull by * with a wildcard organization', allow(ANYONE, PULL, { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }), /has no condition that restricts who/],
    ['pull by * with a wildcard account in aws:PrincipalArn', allow(ANYONE, PULL, { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci' } }), /has no condition that restricts who/],
    ['pull by * with an organization path starting with a wildcard', allow(ANYONE, PULL, { StringLike: { 'aws:PrincipalOrgPaths': '*/ou-ab12-11111111/*' } }), /has no condition that restricts who/],
    ['pull by * with an empty value list', allow(ANYONE, PULL, { StringEquals: { 'aws:PrincipalAccount': [] } }), /has no condition that restricts who/],
    ['Allow with NotPrincipal', { Effect: 'Allow', NotPrincipal: ROOT_222, Action: PULL }, /^NotPrincipal with Effect Allow lets in everyone except the principals listed/],
    ['a statement without Effect and with NotPrincipal', { NotPrincipal: ROOT_222, Action: PULL }, /^NotPrincipal with Effect Allow/],
    ['a bare service principal', allow({ Service: 'codebuild.amazonaws.com' }, PULL),
      /^service principal codebuild\.amazonaws\.com without aws:SourceAccount or aws:SourceArn lets the service act for any AWS account \(the confused deputy problem\)/],
    ['a service principal with aws:SourceArn of any account', allow({ Service: ['codebuild.amazonaws.com'] }, PULL, { ArnLike: { 'aws:SourceArn': 'arn:aws:codebuild:*:*:project/*' } }),
      /service principal codebuild\.amazonaws\.com without aws:SourceAccount/],
    ['an account id of 5 digits in an account root ARN', allow({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::12345:root']] } }, PULL),
      /^principal 'arn:\$\{Token\}:iam::12345:root' does not name a 12-digit AWS account id \(got '12345'\)/],
    ['a bare account id of 13 digits', allow({ AWS: ['1234567890123'] }, PULL), /principal '1234567890123' does not name a 12-digit AWS account id/],
    ['a wildcard in a principal ARN', allow({ AWS: 'arn:aws:iam::222222222222:role/ci-*' }, PULL), /principal 'arn:aws:iam::222222222222:role\/ci-\*' contains a wildcard/],
  ])('refuses %s', (_name, statement, message) => {
    const problems = statementProblems(statement);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('publicActions let an unrestricted * do exactly those actions, and nothing else', () => {
    const options = { publicActions: PULL };
    expect(statementProblems(allow(ANYONE, PULL), options)).toEqual([]);
    expect(statementProblems(allow(ANYONE, ['ecr:DescribeImages']), options)).toEqual([expect.stringMatching(/has no condition that restricts who/)]);
    expect(statementProblems(allow(ANYONE, [...PULL, 'ecr:PutImage']), options)).toEqual([expect.stringMatching(/may only read/)]);
  });

  test('anything but a JSON object has no problem to report', () => {
    expect(statementProblems('not a statement')).toEqual([]);
  });
});

describe('condition keys from the policy are looked up in own properties only', () => {
  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a condition on the key %s does not restrict who', key => {
    const problems = statementProblems(allow(ANYONE, PULL, { StringEquals: { [key]: 'x' } }));
    expect(problems).toEqual([expect.stringMatching(/^Principal '\*' has no condition that restricts who/)]);
  });

  test.each(['constructor', 'toString'])('a service principal with a condition on the key %s still needs aws:SourceAccount', key => {
    const problems = statementProblems(allow({ Service: 'codebuild.amazonaws.com' }, PULL, { StringEquals: { [key]: 'x' } }));
    expect(problems).toEqual([expect.stringMatching(/^service principal codebuild.amazonaws.com without aws:SourceAccount/)]);
  });
});

describe('policyProblems', () => {
  test('names each statement by Sid, or by position without one, after what the policy is', () => {
    const document = { Statement: [allow(ROOT_222, PULL), { ...allow(ANYONE, PUSH), Sid: 'Open' }, allow({ Service: 's.amazonaws.com' }, PULL)] };
    expect(policyProblems(document, 'registry policy')).toEqual([
      expect.stringMatching(/^registry policy statement 'Open': Principal '\*' may only read/),
      expect.stringMatching(/^registry policy statement #2: service principal s\.amazonaws\.com without aws:SourceAccount/),
    ]);
  });

  test('takes a single statement object and a document without statements', () => {
    expect(policyProblems({ Statement: { ...allow(ANYONE, PULL), Sid: 'One' } }, 'policy')).toHaveLength(1);
    expect(policyProblems({}, 'policy')).toEqual([]);
    expect(policyProblems(undefined, 'policy')).toEqual([]);
  });
});

describe('statementProblems with random principals and conditions', () => {
  // Each generated piece knows whether it is safe, independently of the implementation: the oracle.
  interface Piece<T> { readonly value: T; readonly safe: boolean }
  const piece = <T>(value: T, safe: boolean): Piece<T> => ({ value, safe });
  const account = fc.constantFrom('222222222222', '333333333333');
  const badAccount = fc.oneof(fc.stringMatching(/^\d{1,11}$/), fc.stringMatching(/^\d{13,14}$/));

  const principal = fc.oneof(
    account.map(a => piece({ kind: 'named', json: { AWS: `arn:aws:iam::${a}:root` } }, true)),
    account.map(a => piece({ kind: 'named', json: { AWS: a } }, true)),
    badAccount.map(a => piece({ kind: 'named', json: { AWS: `arn:aws:iam::${a}:role/x` } }, false)),
    fc.constantFrom<unknown>('*', { AWS: '*' }, { AWS: ['*', 'arn:aws:iam::222222222222:root'] }).map(json => piece({ kind: 'anyone', json }, true)),
    fc.constantFrom('codebuild.amazonaws.com', 'lambda.amazonaws.com').map(s => piece({ kind: 'service', json: { Service: s } }, true)),
  );
  const restrictsWho = fc.oneof(
    account.map(a => ({ StringEquals: { 'aws:PrincipalAccount': a } })),
    fc.constant({ StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } }),
    account.map(a => ({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${a}:role/*` } })),
  );
  const restrictsSource = fc.oneof(
    account.map(a => ({ StringEquals: { 'aws:SourceAccount': a } })),
    account.map(a => ({ ArnLike: { 'aws:SourceArn': `arn:aws:codebuild:eu-west-1:${a}:project/*` } })),
  );
  const restrictsNobody = fc.oneof(
    fc.constant({ Bool: { 'aws:SecureTransport': 'true' } }),
    fc.constant({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }),
    fc.constant({ StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
    fc.constant({ StringNotEquals: { 'aws:PrincipalAccount': '222222222222' } }),
    fc.constant({ StringLike: { 'aws:PrincipalArn': '*' } }),
    fc.constant({ StringLike: { 'aws:SourceAccount': '*' } }),
  );
  const condition = fc.oneof(
    restrictsWho.map(c => ({ c, who: true, source: false })),
    restrictsSource.map(c => ({ c, who: true, source: true })),
    restrictsNobody.map(c => ({ c, who: false, source: false })),
  );
  const actions = fc.oneof(
    fc.subarray(PULL, { minLength: 1 }).map(a => ({ a, reads: true })),
    fc.subarray([...PULL, ...PUSH, 'ecr:*', 'ecr:DeleteRepository'], { minLength: 1 })
      .map(a => ({ a, reads: a.every(x => PULL.includes(x)) })),
  );
  const statement = fc.record({
    effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
    not: fc.boolean(),
    principal,
    conditions: fc.array(condition, { maxLength: 2 }),
    actions,
    publicPull: fc.boolean(),
  });

  test('accept a statement exactly when it lets in only whom it names', () => {
    fc.assert(fc.property(statement, s => {
      const merged = Object.assign({}, ...s.conditions.map(c => c.c));
      // Two conditions under the same operator: the later one wins in `merged`, so judge by what is rendered.
      const kept = s.conditions.filter(c => Object.entries(c.c).every(([op, keys]) => JSON.stringify(merged[op]) === JSON.stringify(keys)));
      const json = {
        Effect: s.effect,
        [s.not ? 'NotPrincipal' : 'Principal']: s.principal.value.json,
        Action: s.actions.a,
        ...(s.conditions.length > 0 ? { Condition: merged } : {}),
      };
      const { kind } = s.principal.value;
      const safe = s.effect === 'Deny' || (!s.not && s.principal.safe
        && (kind !== 'anyone' || (s.actions.reads && (kept.some(c => c.who) || (s.publicPull && s.actions.a.every(a => PULL.includes(a))))))
        && (kind !== 'service' || kept.some(c => c.source)));
      const problems = statementProblems(json, { publicActions: s.publicPull ? PULL : [] });
      expect(problems.length === 0).toBe(safe);
    }), { numRuns: 500 });
  });
});

// Issue 16: a token must not hide `*`, and what the library cannot read in a statement that writes is reported.
describe('checkStatement with tokens', () => {
  const WRITE = ['ecr:PutImage'];

  test.each<[string, unknown]>([
    ['Fn::Sub without variables', { 'Fn::Sub': '*' }],
    ['Fn::Join of literals', { 'Fn::Join': ['', ['*']] }],
    ['Fn::Select of a literal list', { 'Fn::Select': [0, ['*', 'arn:aws:iam::222222222222:root']] }],
    ['either branch of Fn::If', { 'Fn::If': ['Open', 'arn:aws:iam::222222222222:root', '*'] }],
  ])('an AWS principal of %s that is * is anyone', (_name, value) => {
    expect(checkStatement(allow({ AWS: value }, WRITE)).problems).toEqual([expect.stringMatching(/^Principal '\*' may only read/)]);
  });

  test('a whole Principal of Fn::If with a * branch is anyone', () => {
    expect(checkStatement(allow({ 'Fn::If': ['Open', '*', { AWS: '222222222222' }] }, PULL)).problems)
      .toEqual([expect.stringMatching(/^Principal '\*' has no condition that restricts who/)]);
  });

  test('an Fn::If branch of AWS::NoValue is no principal', () => {
    expect(checkStatement(allow({ AWS: { 'Fn::If': ['C', '222222222222', { Ref: 'AWS::NoValue' }] } }, WRITE))).toEqual({ problems: [], unchecked: [] });
  });

  test.each<[string, unknown]>([
    ['a pseudo parameter', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] }],
    ['Fn::Sub of pseudo parameters', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }],
    ['a resource attribute', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ['Fn::Sub of a resource attribute', { 'Fn::Sub': '${Role.Arn}' }],
  ])('a writer named by %s is read as named', (_name, value) => {
    expect(checkStatement(allow({ AWS: value }, WRITE))).toEqual({ problems: [], unchecked: [] });
  });

  test.each<[string, unknown, string]>([
    ['a parameter', { Ref: 'Pusher' }, "principal '${Token}'"],
    ['an import', { 'Fn::ImportValue': 'Pusher' }, "principal '${Token}'"],
    ['Fn::Sub of a parameter', { 'Fn::Sub': 'arn:aws:iam::${Account}:root' }, "principal 'arn:aws:iam::${Token}:root'"],
  ])('a writer from %s cannot be checked', (_name, value, unchecked) => {
    expect(checkStatement(allow({ AWS: value }, WRITE))).toEqual({ problems: [], unchecked: [unchecked] });
  });

  test('a whole Principal from a parameter cannot be checked in a statement that writes, and needs no check in one that reads', () => {
    expect(checkStatement(allow({ Ref: 'Principal' }, WRITE)).unchecked).toEqual(["principal '${Token}'"]);
    expect(checkStatement(allow({ Ref: 'Principal' }, PULL)).unchecked).toEqual([]);
  });

  test('a who-condition value from a parameter cannot be checked in a statement that writes, NotAction included', () => {
    const service = { Service: 'codebuild.amazonaws.com' };
    const condition = { StringEquals: { 'aws:SourceAccount': { Ref: 'Account' } } };
    expect(checkStatement(allow(service, WRITE, condition)).unchecked).toEqual(["condition aws:sourceaccount '${Token}'"]);
    expect(checkStatement({ Effect: 'Allow', Principal: service, NotAction: PULL, Condition: condition }).unchecked).toEqual(["condition aws:sourceaccount '${Token}'"]);
  });

  test('Fn::Sub keeps ${!literal} as text', () => {
    expect(checkStatement(allow({ AWS: { 'Fn::Sub': 'arn:aws:iam::${!x}:root' } }, PULL)).problems)
      .toEqual([expect.stringMatching(/principal 'arn:aws:iam::\$\{x\}:root' does not name a 12-digit AWS account id/)]);
  });

  test.each(['Federated', 'CanonicalUser'])('refuses a %s principal', type => {
    expect(checkStatement(allow({ [type]: 'x' }, PULL)).problems).toEqual([expect.stringMatching(new RegExp(`^principal type ${type} \\("x"\\) is not accepted here`))]);
  });
});

describe('principalsOutside', () => {
  test('lists principals whose literal account is another, and no principal of this account or unreadable', () => {
    const statement = allow({
      AWS: ['arn:aws:iam::222222222222:role/a', '111111111111', { 'Fn::GetAtt': ['Role', 'Arn'] }, { Ref: 'P' }, '*'],
    }, PULL);
    expect(principalsOutside(statement, '111111111111')).toEqual(['arn:aws:iam::222222222222:role/a']);
    expect(principalsOutside('not a statement', '111111111111')).toEqual([]);
  });
});
