import { App, aws_ecr as ecr, aws_iam as iam, aws_kms as kms, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { EcrRepository, EcrRepositoryProps } from '../../src/repository';

const REPOSITORY = 'AWS::ECR::Repository';
const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const PUSH = ['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function root(account: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] };
}

function statementsOf(stack: Stack): any[] {
  const [repository] = Object.values(Template.fromStack(stack).findResources(REPOSITORY));
  return repository.Properties.RepositoryPolicyText?.Statement ?? [];
}

describe('EcrRepository access', () => {
  test('has no repository policy without access props', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo');
    Template.fromStack(stack).hasResourceProperties(REPOSITORY, { RepositoryPolicyText: Match.absent() });
  });

  test('pullAccounts and pushAccounts become least-privilege statements without Resource', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { pullAccounts: ['222222222222', '333333333333'], pushAccounts: ['444444444444'] });
    expect(statementsOf(stack)).toEqual([
      { Sid: 'PullFromAccounts', Effect: 'Allow', Action: PULL, Principal: { AWS: [root('222222222222'), root('333333333333')] } },
      { Sid: 'PushFromAccounts', Effect: 'Allow', Action: PUSH, Principal: { AWS: root('444444444444') } },
    ]);
  });

  test('pullPrincipals and pushPrincipals get one statement each', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::222222222222:role/ci');
    new EcrRepository(stack, 'Repo', {
      pullPrincipals: [new iam.ServicePrincipal('codebuild.amazonaws.com'), role],
      pushPrincipals: [role],
    });
    expect(statementsOf(stack)).toEqual([
      // A service principal without a source condition acts for this stack's account only.
      { Sid: 'PullPrincipal0', Effect: 'Allow', Action: PULL, Principal: { Service: 'codebuild.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } },
      { Sid: 'PullPrincipal1', Effect: 'Allow', Action: PULL, Principal: { AWS: 'arn:aws:iam::222222222222:role/ci' } },
      { Sid: 'PushPrincipal0', Effect: 'Allow', Action: PUSH, Principal: { AWS: 'arn:aws:iam::222222222222:role/ci' } },
    ]);
  });

  test('a conditioned star principal is allowed', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      pullPrincipals: [new iam.AnyPrincipal().withConditions({ StringEquals: { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'] } })],
    });
    expect(statementsOf(stack)[0]).toMatchObject({
      Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'] } },
    });
  });

  test('pullOrganizationIds allow every account of those organizations, and only them', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { pullOrganizationIds: ['o-a1b2c3d4e5', 'o-0123456789abcdef'] });
    expect(statementsOf(stack)).toEqual([{
      Sid: 'PullFromOrganizations',
      Effect: 'Allow',
      Action: PULL,
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5', 'o-0123456789abcdef'] } },
    }]);
  });

  test('lambdaPullAccounts allow the Lambda service for those accounts\' functions in this region, and the accounts', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lambdaPullAccounts: ['222222222222'] });
    expect(statementsOf(stack)).toEqual([
      {
        Sid: 'LambdaPullForAccounts',
        Effect: 'Allow',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Principal: { Service: 'lambda.amazonaws.com' },
        Condition: {
          StringLike: { 'aws:sourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:eu-west-1:222222222222:function:*']] }] },
          StringEquals: { 'aws:sourceAccount': ['222222222222'] },
        },
      },
      { Sid: 'LambdaAccountsPull', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Principal: { AWS: root('222222222222') } },
    ]);
  });

  test('dangerouslyAllowPullFromAnyAwsAccount allows Principal * to pull, and warns', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { dangerouslyAllowPullFromAnyAwsAccount: true });
    expect(statementsOf(stack)).toEqual([{ Sid: 'PullFromAnyAwsAccount', Effect: 'Allow', Action: PULL, Principal: { AWS: '*' } }]);
    Annotations.fromStack(stack).hasWarning('/Stack/Repo', Match.stringLikeRegexp('dangerouslyAllowPullFromAnyAwsAccount is on: every AWS account in the world can pull'));
  });

  test('skips the checks of account and organization ids that are tokens', () => {
    const stack = newStack();
    const account = new CfnParameter(stack, 'Account').valueAsString;
    const org = new CfnParameter(stack, 'Org').valueAsString;
    expect(() => new EcrRepository(stack, 'Repo', { pullAccounts: [account], pullOrganizationIds: [org] })).not.toThrow();
  });

  test.each<[string, EcrRepositoryProps, RegExp]>([
    ['a pull account of 11 digits', { pullAccounts: ['12345678901'] }, /pullAccounts\[0\]: '12345678901' is not a 12-digit AWS account id, e\.g\. '123456789012'/],
    ['a push account with letters', { pushAccounts: ['22222222222a'] }, /pushAccounts\[0\]: '22222222222a' is not a 12-digit AWS account id/],
    ['a Lambda account ARN', { lambdaPullAccounts: ['arn:aws:iam::222222222222:root'] }, /lambdaPullAccounts\[0\]: 'arn:aws:iam::222222222222:root' is not a 12-digit AWS account id/],
    ['an account listed twice', { pullAccounts: ['222222222222', '222222222222'] }, /pullAccounts\[1\]: '222222222222' is listed twice; list it once/],
    ['an organization id without o-', { pullOrganizationIds: ['a1b2c3d4e5'] },
      /pullOrganizationIds\[0\]: 'a1b2c3d4e5' is not an AWS Organizations id: 'o-' and 10 to 32 lower-case letters or digits, e\.g\. 'o-a1b2c3d4e5'/],
    ['an organization id too short', { pullOrganizationIds: ['o-abc'] }, /pullOrganizationIds\[0\]: 'o-abc' is not an AWS Organizations id/],
    ['an upper-case organization id', { pullOrganizationIds: ['o-A1B2C3D4E5'] }, /pullOrganizationIds\[0\]: 'o-A1B2C3D4E5' is not an AWS Organizations id/],
    ['AnyPrincipal pulling without a condition', { pullPrincipals: [new iam.AnyPrincipal()] },
      /pullPrincipals\[0\]: Principal '\*' has no condition that restricts who, so it lets every AWS account in; add a condition on aws:PrincipalOrgID, .*use pullOrganizationIds, or set dangerouslyAllowPullFromAnyAwsAccount: true/],
    ['StarPrincipal pulling without a condition', { pullPrincipals: [new iam.StarPrincipal()] }, /pullPrincipals\[0\]: Principal '\*' has no condition that restricts who/],
    ['AnyPrincipal pushing', { pushPrincipals: [new iam.AnyPrincipal()] }, /pushPrincipals\[0\]: Principal '\*' may only read, whatever its condition, but is allowed ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage, ecr:UploadLayerPart; name the accounts, roles or organizations that push/],
    ['a tag key starting with aws:', { tags: { 'aws:owner': 'me' } }, /tags: key 'aws:owner' must be 1 to 128 characters \(got 9\) and not start with 'aws:'/],
    ['an empty tag key', { tags: { '': 'x' } }, /tags: key '' must be 1 to 128 characters/],
    ['a tag value too long', { tags: { team: 'x'.repeat(257) } }, /tags: the value of 'team' must be at most 256 characters \(got 257\)/],
  ])('refuses %s', (_name, props, message) => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', props)).toThrow(message);
  });

  test('reports access problems with the other props, prefixed with the construct path', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { repositoryName: 'Bad', pullAccounts: ['1'] }))
      .toThrow(/^Stack\/Repo: invalid EcrRepository props:\n(.*\n)* {2}- pullAccounts\[0\]: '1'/);
  });

  test('synthesis fails when an unconditioned Principal * is added through the escape hatch', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    repo.repository.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Open', principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage'] }));
    expect(() => Template.fromStack(stack)).toThrow(/repository policy statement 'Open': Principal '\*' has no condition that restricts who/);
  });

  test('the public-pull statement id does not exempt an escape-hatch statement without the opt-in', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    repo.repository.addToResourcePolicy(new iam.PolicyStatement({ sid: 'PullFromAnyAwsAccount', principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage'] }));
    expect(() => Template.fromStack(stack)).toThrow(/repository policy statement 'PullFromAnyAwsAccount': Principal '\*' has no condition that restricts who/);
  });

  // Issue 9: a condition does not make a wildcard principal safe unless it restricts who.
  test('refuses push by anyone even with a condition', () => {
    const stack = newStack();
    const anyone = new iam.AnyPrincipal().withConditions({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(() => new EcrRepository(stack, 'Repo', { pushPrincipals: [anyone] }))
      .toThrow(/pushPrincipals\[0\]: Principal '\*' may only read, whatever its condition, but is allowed ecr:CompleteLayerUpload/);
  });

  test('refuses pull by anyone with a condition that does not restrict who', () => {
    const stack = newStack();
    const anyone = new iam.AnyPrincipal().withConditions({ Bool: { 'aws:SecureTransport': 'true' } });
    expect(() => new EcrRepository(stack, 'Repo', { pullPrincipals: [anyone] }))
      .toThrow(/pullPrincipals\[0\]: Principal '\*' has no condition that restricts who, so it lets every AWS account in/);
  });

  test('refuses a principal with an account id that is not 12 digits, like pullAccounts', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { pullPrincipals: [new iam.AccountPrincipal('12345')] }))
      .toThrow(/pullPrincipals\[0\]: principal 'arn:\$\{Token\}:iam::12345:root' does not name a 12-digit AWS account id \(got '12345'\)/);
  });

  test('confines a service principal without a source condition to the stack\'s account', () => {
    // "we recommend using the aws:SourceArn and aws:SourceAccount global condition context keys in resource
    // policies to limit the permissions that [the service] gives another service to the resource" (IAM User Guide,
    // The confused deputy problem).
    const stack = new Stack(new App(), 'Agnostic');
    new EcrRepository(stack, 'Repo', { pushPrincipals: [new iam.ServicePrincipal('codebuild.amazonaws.com')] });
    expect(statementsOf(stack)).toEqual([{
      Sid: 'PushPrincipal0',
      Effect: 'Allow',
      Action: PUSH,
      Principal: { Service: 'codebuild.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    }]);
  });

  test('keeps the source condition a service principal already has', () => {
    const stack = newStack();
    const condition = { ArnLike: { 'aws:SourceArn': 'arn:aws:codebuild:eu-west-1:222222222222:project/build' } };
    new EcrRepository(stack, 'Repo', { pullPrincipals: [new iam.ServicePrincipal('codebuild.amazonaws.com').withConditions(condition)] });
    expect(statementsOf(stack)[0].Condition).toEqual(condition);
  });

  test('synthesis fails when a service principal without a source condition is added through the escape hatch', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    repo.repository.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('codebuild.amazonaws.com')], actions: PULL }));
    expect(() => Template.fromStack(stack)).toThrow(/repository policy statement #0: service principal codebuild\.amazonaws\.com without aws:SourceAccount or aws:SourceArn/);
  });

  test('synthesis fails when an Allow with NotPrincipal is added through the escape hatch', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    repo.repository.addToResourcePolicy(new iam.PolicyStatement({ sid: 'AllButOne', notPrincipals: [new iam.AccountPrincipal('222222222222')], actions: PULL }));
    expect(() => Template.fromStack(stack)).toThrow(/repository policy statement 'AllButOne': NotPrincipal with Effect Allow lets in everyone except the principals listed/);
  });

  test('the public-pull opt-in does not exempt another statement that reuses its Sid', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { dangerouslyAllowPullFromAnyAwsAccount: true });
    repo.repository.addToResourcePolicy(new iam.PolicyStatement({ sid: 'PullFromAnyAwsAccount', principals: [new iam.AnyPrincipal()], actions: ['ecr:PutImage'] }));
    expect(() => Template.fromStack(stack)).toThrow(/repository policy statement 'PullFromAnyAwsAccount': Principal '\*' may only read, whatever its condition, but is allowed ecr:PutImage/);
  });

  test('the public-pull opt-in lets anyone pull, and nothing more', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { dangerouslyAllowPullFromAnyAwsAccount: true });
    expect(() => repo.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['ecr:DescribeImages'] })))
      .toThrow(/Principal '\*' has no condition that restricts who/);
  });

  test('synthesis fails when a statement with a Resource is added through the escape hatch', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    const statement = new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:BatchGetImage'], resources: ['*'] });
    (repo.repository.node.defaultChild as ecr.CfnRepository).repositoryPolicyText = { Version: '2012-10-17', Statement: [statement.toStatementJson()] };
    expect(() => Template.fromStack(stack)).toThrow(/repository policy statement #0 has a Resource, which ECR rejects in a repository policy; remove it/);
  });
});

describe('EcrRepository tags', () => {
  test('tags the repository and the key it creates', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS, tags: { project: 'shop', environment: 'prod' } });
    const template = Template.fromStack(stack);
    const tags = [{ Key: 'environment', Value: 'prod' }, { Key: 'project', Value: 'shop' }];
    template.hasResourceProperties(REPOSITORY, { Tags: tags });
    template.hasResourceProperties('AWS::KMS::Key', { Tags: tags });
  });
});

describe('EcrRepository KMS grants', () => {
  function keyStatements(stack: Stack): any[] {
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
  }

  test('grantPull with a customer key adds kms:Decrypt through ECR only', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS });
    repo.grantPull(new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    expect(keyStatements(stack)).toEqual([{
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RepoKey') as any, 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 'ecr.eu-west-1.amazonaws.com' } },
    }].map(s => ({ ...s, Resource: expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^RepoKey/), 'Arn'] }) })));
  });

  test('grantPush and grantPullPush with a customer key add kms:Decrypt and kms:GenerateDataKey', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const repo = new EcrRepository(stack, 'Repo', { encryptionKey: key });
    repo.grantPush(new iam.Role(stack, 'Pusher', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') }));
    repo.grantPullPush(new iam.Role(stack, 'Both', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') }));
    const statements = keyStatements(stack);
    expect(statements).toHaveLength(2);
    for (const s of statements) {
      expect(s.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(s.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'ecr.eu-west-1.amazonaws.com' } });
    }
  });

  // Issue 9: a customer key and a grantee of another account could not synthesize (dependency cycle Key -> Key).
  // "Amazon ECR adds an AWS KMS grant to the KMS key with the Amazon ECR repository as the grantee principal"
  // (ECR User Guide, Encryption at rest): ECR encrypts and decrypts through that grant, so a puller or pusher
  // needs the repository policy, not the key policy.
  const ENV = { account: '111111111111', region: 'eu-west-1' };
  const keys = {
    'a created key': (_stack: Stack): EcrRepositoryProps => ({ encryption: ecr.RepositoryEncryption.KMS }),
    'a supplied key': (stack: Stack): EcrRepositoryProps => ({ encryptionKey: new kms.Key(stack, 'UserKey', { enableKeyRotation: true }) }),
    'a key of another stack': (stack: Stack): EcrRepositoryProps => ({
      encryptionKey: new kms.Key(new Stack(stack.node.root as App, 'KeyStack', { env: ENV }), 'Key', { enableKeyRotation: true }),
    }),
  };
  const grantees = {
    'another account': (_stack: Stack) => new iam.AccountPrincipal('999999999999'),
    'a role of another account, in another stack': (stack: Stack) => new iam.Role(
      new Stack(stack.node.root as App, 'Other', { env: { account: '999999999999', region: 'eu-west-1' } }), 'Puller', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'puller' }),
    'a role of another account, imported into this stack': (stack: Stack) => iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::999999999999:role/puller'),
    'a service principal': (_stack: Stack) => new iam.ServicePrincipal('codebuild.amazonaws.com'),
  };
  const cases = Object.keys(keys).flatMap(key => Object.keys(grantees).flatMap(grantee => (['grantPull', 'grantPush'] as const).map(method => [key, grantee, method] as const)));

  test.each(cases)('with %s, a grant to %s (%s) synthesizes and leaves the key policy alone', (key, grantee, method) => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const repo = new EcrRepository(stack, 'Repo', { repositoryName: 'shared', ...keys[key as keyof typeof keys](stack) });
    repo[method](grantees[grantee as keyof typeof grantees](stack));

    const assembly = app.synth();
    const keyPolicies = assembly.stacks.flatMap(s => Object.values<any>(s.template.Resources).filter(r => r.Type === 'AWS::KMS::Key'))
      .map(r => JSON.stringify(r.Properties.KeyPolicy));
    for (const policy of keyPolicies) {
      expect(policy).not.toMatch(/999999999999|codebuild/);
    }
    // The grantee gets in through the repository policy.
    expect(JSON.stringify(statementsOf(stack))).toMatch(/999999999999|codebuild\.amazonaws\.com/);
  });

  test('a role of this account in another stack gets the key through ECR in its own policy', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const repo = new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS });
    const other = new Stack(app, 'Consumer', { env: ENV });
    repo.grantPull(new iam.Role(other, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));

    Template.fromStack(other).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'ecr.eu-west-1.amazonaws.com' } } })]) },
    });
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::KMS::Key'))).not.toMatch(/Puller/);
  });

  test('grants add no key permission with AES-256 encryption', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    repo.grantPullPush(new iam.Role(stack, 'Both', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') }));
    expect(keyStatements(stack)).toEqual([]);
  });
});

describe('EcrRepository with random access configurations', () => {
  const account = fc.oneof(
    { arbitrary: fc.constantFrom('222222222222', '333333333333', '444444444444'), weight: 20 },
    { arbitrary: fc.stringMatching(/^\d{10,14}$/), weight: 1 },
    { arbitrary: fc.string({ maxLength: 14 }), weight: 1 },
  );
  const org = fc.oneof(
    { arbitrary: fc.stringMatching(/^o-[a-z0-9]{10,12}$/), weight: 10 },
    { arbitrary: fc.string({ maxLength: 14 }), weight: 1 },
  );
  const principal = fc.constantFrom<() => iam.IPrincipal>(
    () => new iam.ServicePrincipal('codebuild.amazonaws.com'),
  () => new iam.ArnPrincipal('arn:aws:iam::222222222222:role/ci'),
  () => new iam.AccountPrincipal('333333333333'),
  () => new iam.OrganizationPrincipal('o-a1b2c3d4e5'),
  () => new iam.AnyPrincipal(),
  () => new iam.AnyPrincipal().withConditions({ StringEquals: { 'aws:PrincipalAccount': '222222222222' } }),
  () => new iam.AnyPrincipal().withConditions({ Bool: { 'aws:SecureTransport': 'true' } }),
  () => new iam.AccountPrincipal('12345'),
  () => new iam.ServicePrincipal('lambda.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': '222222222222' } }),
  );
  const list = <T>(a: fc.Arbitrary<T>) => fc.option(fc.uniqueArray(a, { maxLength: 3 }), { nil: undefined, freq: 2 });
  const props = fc.record({
    pullAccounts: list(account),
    pushAccounts: list(account),
    lambdaPullAccounts: list(account),
    pullOrganizationIds: list(org),
    pullPrincipals: fc.option(fc.array(principal, { maxLength: 2 }), { nil: undefined, freq: 2 }),
    pushPrincipals: fc.option(fc.array(principal, { maxLength: 2 }), { nil: undefined, freq: 2 }),
    dangerouslyAllowPullFromAnyAwsAccount: fc.option(fc.boolean(), { nil: undefined }),
  });
  const outcomes = { synthesized: 0, refused: 0 };

  test('either synthesize a least-privilege policy or throw a clear error, never anything in between', () => {
    fc.assert(fc.property(props, raw => {
      const p = {
        ...raw,
        pullPrincipals: raw.pullPrincipals?.map(make => make()),
        pushPrincipals: raw.pushPrincipals?.map(make => make()),
      };
      const stack = newStack();
      try {
        new EcrRepository(stack, 'Repo', p);
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        const lines = (e as Error).message.split('\n');
        expect(lines[0]).toBe('Stack/Repo: invalid EcrRepository props:');
        expect(lines.length).toBeGreaterThan(1);
        for (const line of lines.slice(1)) {
          expect(line).toMatch(/^ {2}- (pullAccounts|pushAccounts|lambdaPullAccounts|pullOrganizationIds|pullPrincipals|pushPrincipals)\[\d+\]: \S/);
        }
        outcomes.refused++;
        return;
      }
      for (const s of statementsOf(stack)) {
        expect(s.Resource).toBeUndefined();
        expect(s.Effect).toBe('Allow');
        const star = s.Principal === '*' || [s.Principal.AWS].flat().includes('*');
        const conditionKeys = Object.values(s.Condition ?? {}).flatMap(keys => Object.keys(keys as object).map(k => k.toLowerCase()));
        if (star && !conditionKeys.some(k => ['aws:principalorgid', 'aws:principalaccount'].includes(k))) {
          expect(s.Sid).toBe('PullFromAnyAwsAccount');
          expect(p.dangerouslyAllowPullFromAnyAwsAccount).toBe(true);
        }
        if (s.Principal.Service !== undefined) {
          expect(conditionKeys).toContain('aws:sourceaccount');
        }
        const actions = [s.Action].flat();
        // Least privilege: only image pull and push actions, never wildcards or repository administration.
        for (const action of actions) {
          expect([...PULL, ...PUSH]).toContain(action);
        }
        // Anyone, whatever the condition, may never push.
        if (star) {
          expect(actions.filter(a => PUSH.includes(a) && !PULL.includes(a))).toEqual([]);
        }
      }
      outcomes.synthesized++;
    }), { numRuns: 150 });
    expect(outcomes.synthesized).toBeGreaterThan(15);
    expect(outcomes.refused).toBeGreaterThan(15);
  });
});

describe('principal types an ECR resource policy does not take', () => {
  test.each<[string, iam.IPrincipal]>([
    ['Federated', new iam.FederatedPrincipal('cognito-identity.amazonaws.com')],
    ['CanonicalUser', new iam.CanonicalUserPrincipal('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be')],
  ])('pullPrincipals refuses a %s principal', (type, principal) => {
    expect(() => new EcrRepository(newStack(), 'Repo', { pullPrincipals: [principal] }))
      .toThrow(new RegExp(`pullPrincipals\\[0\\]: principal type ${type} .* is not accepted here: an ECR resource policy names AWS accounts, roles and users`));
  });
});
