import { App, Aspects, aws_ecr as ecr, aws_iam as iam, IAspect, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { EcrPublicRepository, GalleryArchitecture, GalleryOperatingSystem } from '../../src/public/public-repository';

const TYPE = 'AWS::ECR::PublicRepository';
const PUSH = ['ecr-public:BatchCheckLayerAvailability', 'ecr-public:CompleteLayerUpload', 'ecr-public:InitiateLayerUpload',
  'ecr-public:PutImage', 'ecr-public:UploadLayerPart'];

function usEast1(): Stack {
  return new Stack(new App(), 'PublicStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

function root(account: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] };
}

describe('EcrPublicRepository', () => {
  test('renders the exact resource: name, Gallery catalog data in CloudFormation keys, push policy, tags, RETAIN', () => {
    const stack = usEast1();
    new EcrPublicRepository(stack, 'Repo', {
      repositoryName: 'project-a/nginx-web-app',
      repositoryDescription: 'A small web server',
      aboutText: '# About',
      usageText: '`docker pull ...`',
      architectures: [GalleryArchitecture.X86_64, GalleryArchitecture.ARM_64],
      operatingSystems: [GalleryOperatingSystem.LINUX],
      pushPrincipals: [new iam.AccountPrincipal('222222222222')],
      tags: { team: 'web' },
    });
    expect(Template.fromStack(stack).toJSON().Resources).toEqual({
      Repo02AC86CF: {
        Type: TYPE,
        Properties: {
          RepositoryName: 'project-a/nginx-web-app',
          RepositoryCatalogData: {
            RepositoryDescription: 'A small web server',
            AboutText: '# About',
            UsageText: '`docker pull ...`',
            Architectures: ['x86-64', 'ARM 64'],
            OperatingSystems: ['Linux'],
          },
          RepositoryPolicyText: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'PushPrincipal0', Effect: 'Allow', Action: PUSH, Principal: { AWS: root('222222222222') } }],
          },
          Tags: [{ Key: 'team', Value: 'web' }],
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      },
    });
  });

  test('a repository without catalog data or principals renders neither', () => {
    const stack = usEast1();
    new EcrPublicRepository(stack, 'Repo', { repositoryName: 'plain' });
    Template.fromStack(stack).hasResource(TYPE, {
      Properties: { RepositoryName: 'plain', RepositoryCatalogData: Match.absent(), RepositoryPolicyText: Match.absent() },
      DeletionPolicy: 'Retain',
    });
  });

  test('node.defaultChild is the CfnPublicRepository, as on any aws-cdk-lib construct', () => {
    const repo = new EcrPublicRepository(usEast1(), 'Repo');
    expect(repo.node.defaultChild).toBeInstanceOf(ecr.CfnPublicRepository);
    expect(repo.node.defaultChild).toBe(repo.resource);
  });

  test('removalPolicy DESTROY deletes the repository with the stack', () => {
    const stack = usEast1();
    new EcrPublicRepository(stack, 'Repo', { removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test.each([
    ['the prop', (stack: Stack) => new EcrPublicRepository(stack, 'Repo', { removalPolicy: RemovalPolicy.SNAPSHOT })],
    ['applyRemovalPolicy', (stack: Stack) => new EcrPublicRepository(stack, 'Repo').applyRemovalPolicy(RemovalPolicy.SNAPSHOT)],
  ])('RemovalPolicy.SNAPSHOT through %s is refused', (_, make) => {
    expect(() => make(usEast1())).toThrow(/removalPolicy: "snapshot" is not a valid removal policy for a repository \(SNAPSHOT is not supported\)/);
  });

  describe('region', () => {
    // The AWS::ECR::PublicRepository resource type is registered in us-east-1 only among the commercial regions
    // (cfn-lint's per-region CloudFormation schemas list it for us_east_1 and not for us_west_2 or eu_west_1).
    test('a stack in another known region is refused with the sentence that says why', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-west-1' } });
      expect(() => new EcrPublicRepository(stack, 'Repo'))
        .toThrow("S/Repo: ECR Public exists only in us-east-1, and this stack deploys to eu-west-1. Put the public repository in a stack with env: { region: 'us-east-1' }.");
    });

    test('an environment-agnostic stack gets an acknowledgeable warning', () => {
      const stack = new Stack(new App(), 'S');
      new EcrPublicRepository(stack, 'Repo');
      Annotations.fromStack(stack).hasWarning('/S/Repo', Match.stringLikeRegexp('ECR Public exists only in us-east-1, and this stack has no region.*\\[ack: cdk-secure-ecr:publicRegion\\]'));
    });

    test('a us-east-1 stack gets no warning', () => {
      const stack = usEast1();
      new EcrPublicRepository(stack, 'Repo');
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('names and catalog data are checked as ECR Public checks them', () => {
    // CreateRepository repositoryName: "Length Constraints: Minimum length of 2. Maximum length of 205.
    // Pattern: (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"
    test.each(['a', 'x'.repeat(206), 'Upper', 'double--dash', 'trailing/', '/leading', 'sp ace'])('repositoryName %j is refused', name => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { repositoryName: name })).toThrow(/invalid EcrPublicRepository props:\n {2}- repositoryName/);
    });

    test.each(['ab', 'x'.repeat(205), 'project-a/nginx-web-app', 'a.b_c-d/e'])('repositoryName %j is accepted', name => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { repositoryName: name })).not.toThrow();
    });

    // AWS::ECR::PublicRepository RepositoryCatalogData: AboutText "Maximum: 10240"; RepositoryDescription
    // maxLength 1024 and UsageText maxLength 10240 in the resource schema.
    test.each([
      ['repositoryDescription', 1024],
      ['aboutText', 10240],
      ['usageText', 10240],
    ])('%s may have %i characters and not one more', (prop, max) => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { [prop]: 'ü'.repeat(max) })).not.toThrow();
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { [prop]: 'ü'.repeat(max + 1) }))
        .toThrow(new RegExp(`${prop} must be at most ${max} characters \\(the AWS::ECR::PublicRepository limit\\), got ${max + 1}`));
    });

    // RepositoryCatalogDataInput architectures: "Array Members: Maximum number of 50 items. Length Constraints:
    // Minimum length of 1. Maximum length of 50."
    test('architectures: at most 50, each 1 to 50 characters, none twice, all reported at once', () => {
      const many = Array.from({ length: 51 }, (_, i) => GalleryArchitecture.of(`arch${i}`));
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { architectures: many })).toThrow(/architectures: at most 50 values, got 51/);
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', {
        architectures: [GalleryArchitecture.of(''), GalleryArchitecture.ARM, GalleryArchitecture.ARM],
        operatingSystems: [GalleryOperatingSystem.of('x'.repeat(51))],
      })).toThrow(/architectures\[0\]: '' must be 1 to 50 characters long\n {2}- architectures\[2\]: 'ARM' is listed twice; list it once\n {2}- operatingSystems\[0\]: 'x{51}' must be 1 to 50 characters long/);
    });

    test('the Gallery badges have the values the Gallery shows, and of() takes any other', () => {
      // RepositoryCatalogDataInput: the supported architectures are "ARM", "ARM 64", "x86", "x86-64".
      expect([GalleryArchitecture.ARM, GalleryArchitecture.ARM_64, GalleryArchitecture.X86, GalleryArchitecture.X86_64].map(a => a.value))
        .toEqual(['ARM', 'ARM 64', 'x86', 'x86-64']);
      expect([GalleryOperatingSystem.LINUX, GalleryOperatingSystem.WINDOWS].map(o => o.value)).toEqual(['Linux', 'Windows']);
      expect(GalleryArchitecture.of('RISC-V').value).toBe('RISC-V');
      expect(GalleryOperatingSystem.of('FreeBSD').value).toBe('FreeBSD');
    });

    // RegistryAlias name: "Minimum length of 2. Maximum length of 50. Pattern: [a-z][a-z0-9]+(?:[._-][a-z0-9]+)*"
    test.each(['a', '1team', 'Team', 'my--team', 'x'.repeat(51), 'team-'])('registryAlias %j is refused', alias => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { registryAlias: alias })).toThrow(/registryAlias '.*' is not a registry alias/);
    });

    test('the registry alias check runs in linear time on a long near-miss', () => {
      const start = Date.now();
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { registryAlias: `a${'a-'.repeat(50_000)}` })).toThrow(/registryAlias/);
      expect(Date.now() - start).toBeLessThan(1000);
    });

    // AWS::ECR::PublicRepository Tag: Key maxLength 127, Value minLength 1 and maxLength 255.
    test('the tags prop is checked at construction against the public repository tag limits and ECR\'s own', () => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { tags: { ['k'.repeat(128)]: 'v', 'aws:x': 'y' } }))
        .toThrow(/key 'aws:x' must be 1 to 128 characters \(got 5\) and not start with 'aws:'[\s\S]*key 'k{128}' must be at most 127 characters on a public repository/);
    });

    test('tags from Tags.of are checked at synthesis', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo');
      Tags.of(repo).add('k'.repeat(128), 'v');
      Tags.of(repo).add('empty', '');
      expect(() => Template.fromStack(stack)).toThrow(/the value of 'empty' must be 1 to 255 characters on a public repository, got 0[\s\S]*key 'k{128}' must be at most 127 characters on a public repository, got 128/);
    });
  });

  describe('registryAlias and the repository URI', () => {
    test('registryAlias gives repositoryUri public.ecr.aws/<alias>/<name> and repositoryUriForTag', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo', { repositoryName: 'web', registryAlias: 'my-team' });
      const uri = { 'Fn::Join': ['', ['public.ecr.aws/my-team/', { Ref: 'Repo02AC86CF' }]] };
      expect(stack.resolve(repo.repositoryUri)).toEqual(uri);
      expect(stack.resolve(repo.repositoryUriForTag('v1.2'))).toEqual({ 'Fn::Join': ['', ['public.ecr.aws/my-team/', { Ref: 'Repo02AC86CF' }, ':v1.2']] });
      expect(stack.resolve(repo.repositoryUriForTag())).toEqual({ 'Fn::Join': ['', ['public.ecr.aws/my-team/', { Ref: 'Repo02AC86CF' }, ':latest']] });
    });

    test('without registryAlias there is no repositoryUri, and repositoryUriForTag says what it needs', () => {
      const repo = new EcrPublicRepository(usEast1(), 'Repo');
      expect(repo.repositoryUri).toBeUndefined();
      expect(() => repo.repositoryUriForTag('v1')).toThrow(/invalid repositoryUriForTag:\n {2}- repositoryUriForTag needs the registry alias: set registryAlias/);
    });

    test('repositoryUriForTag refuses a tag Docker does not accept', () => {
      const repo = new EcrPublicRepository(usEast1(), 'Repo', { registryAlias: 'my-team' });
      expect(() => repo.repositoryUriForTag('-bad tag')).toThrow(/tag '-bad tag' is not an image tag/);
    });
  });

  describe('push access', () => {
    test('grantPush gives exactly the push actions on the repository and the login actions on *', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo');
      const role = new iam.Role(stack, 'Ci', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      repo.grantPush(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: PUSH, Resource: { 'Fn::GetAtt': ['Repo02AC86CF', 'Arn'] } },
            { Effect: 'Allow', Action: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'], Resource: '*' },
          ],
        },
      });
      Template.fromStack(stack).hasResourceProperties(TYPE, { RepositoryPolicyText: Match.absent() });
    });

    test('grantPush to a principal of another account writes the push to the repository policy, without a Resource', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo');
      repo.grantPush(new iam.AccountPrincipal('222222222222'));
      Template.fromStack(stack).hasResourceProperties(TYPE, {
        RepositoryPolicyText: { Statement: [{ Effect: 'Allow', Action: PUSH, Principal: { AWS: root('222222222222') }, Resource: Match.absent() }] },
      });
    });

    test('a service principal in pushPrincipals is confined to this account', () => {
      const stack = usEast1();
      new EcrPublicRepository(stack, 'Repo', { pushPrincipals: [new iam.ServicePrincipal('codebuild.amazonaws.com')] });
      Template.fromStack(stack).hasResourceProperties(TYPE, {
        RepositoryPolicyText: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } })] },
      });
    });

    test.each([
      ['AnyPrincipal', new iam.AnyPrincipal()],
      ['StarPrincipal', new iam.StarPrincipal()],
      ["ArnPrincipal('*')", new iam.ArnPrincipal('*')],
      ['AnyPrincipal restricted to an organization', new iam.PrincipalWithConditions(new iam.AnyPrincipal(), { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })],
    ])('pushPrincipals with %s (anyone, in any form) is refused', (_, principal) => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { pushPrincipals: [principal] }))
        .toThrow(/pushPrincipals\[0\]: public repository policy statement 'PushPrincipal0': lets in every AWS account \('\*'\)\. Anyone can already pull a public image/);
    });

    test('pushPrincipals goes through the principal rules of private repositories: 12-digit accounts, no wildcard ARN', () => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', {
        pushPrincipals: [new iam.AccountPrincipal('12345'), new iam.ArnPrincipal('arn:aws:iam::222222222222:role/ci-*')],
      })).toThrow(/pushPrincipals\[0\]: .*does not name a 12-digit AWS account id[\s\S]*pushPrincipals\[1\]: .*contains a wildcard/);
    });

    test('a statement that names * beside another principal reports both: anyone, and the other principal\'s own problem', () => {
      const repo = new EcrPublicRepository(usEast1(), 'Repo');
      const statement = new iam.PolicyStatement({
        actions: ['ecr-public:PutImage'], principals: [new iam.AnyPrincipal(), new iam.AccountPrincipal('12345')],
      });
      expect(() => repo.addToResourcePolicy(statement))
        .toThrow(/lets in every AWS account \('\*'\)[\s\S]*12345/);
    });

    test('an empty pushPrincipals is refused', () => {
      expect(() => new EcrPublicRepository(usEast1(), 'Repo', { pushPrincipals: [] })).toThrow(/pushPrincipals: give at least one principal/);
    });

    test('addToResourcePolicy refuses a statement that lets anyone push, and NotPrincipal', () => {
      const repo = new EcrPublicRepository(usEast1(), 'Repo');
      expect(() => repo.addToResourcePolicy(new iam.PolicyStatement({ actions: ['ecr-public:PutImage'], principals: [new iam.AnyPrincipal()] })))
        .toThrow(/Repo: invalid repository policy statement:\n {2}- public repository policy statement #0: lets in every AWS account/);
      expect(() => repo.addToResourcePolicy(new iam.PolicyStatement({ actions: ['ecr-public:PutImage'], notPrincipals: [new iam.AccountPrincipal('222222222222')] })))
        .toThrow(/NotPrincipal with Effect Allow lets in everyone except the principals listed/);
    });

    test('a Deny statement for anyone is accepted: it lets no one in', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo');
      repo.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ecr-public:PutImage'], principals: [new iam.AnyPrincipal()] }));
      Template.fromStack(stack).hasResourceProperties(TYPE, { RepositoryPolicyText: { Statement: [Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' } })] } });
    });
  });

  describe('the final template is checked at synthesis', () => {
    test('an escape-hatch override that lets anyone push fails synthesis, naming the construct', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo', { pushPrincipals: [new iam.AccountPrincipal('222222222222')] });
      (repo.node.defaultChild as ecr.CfnPublicRepository).addPropertyOverride('RepositoryPolicyText.Statement.0.Principal', '*');
      expect(() => Template.fromStack(stack)).toThrow(/\[PublicStack\/Repo\] public repository policy statement 'PushPrincipal0': lets in every AWS account/);
    });

    test('a whole policy written through the override fails synthesis too', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo');
      repo.resource.addPropertyOverride('RepositoryPolicyText', { Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'ecr-public:*' }] });
      expect(() => Template.fromStack(stack)).toThrow(/public repository policy statement #0: lets in every AWS account/);
    });

    test('a policy written as a JSON string (CloudFormation takes one) through an override is checked as well', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo');
      repo.resource.addPropertyOverride('RepositoryPolicyText', JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr-public:PutImage' }] }));
      expect(() => Template.fromStack(stack)).toThrow(/public repository policy statement #0: lets in every AWS account/);
    });

    test('a policy text that is not JSON fails synthesis, as the registry policy does', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo');
      repo.resource.addPropertyOverride('RepositoryPolicyText', '{ not json');
      expect(() => Template.fromStack(stack)).toThrow(/\[PublicStack\/Repo\] public repository policy: the policy text is not JSON/);
    });

    test('an Aspect that widens the policy is caught', () => {
      class Widen implements IAspect {
        public visit(node: IConstruct): void {
          if (node instanceof ecr.CfnPublicRepository) node.repositoryPolicyText = { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'ecr-public:PutImage' }] };
        }
      }
      const stack = usEast1();
      new EcrPublicRepository(stack, 'Repo');
      Aspects.of(stack).add(new Widen());
      expect(() => Template.fromStack(stack)).toThrow(/lets in every AWS account/);
    });

    test('a deletion override is applied before the check: deleting the only statement leaves nothing to refuse', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo', { pushPrincipals: [new iam.AccountPrincipal('222222222222')] });
      repo.resource.addPropertyDeletionOverride('RepositoryPolicyText');
      Template.fromStack(stack).hasResourceProperties(TYPE, { RepositoryPolicyText: Match.absent() });
    });

    test('a deletion override of a condition that made a service principal safe fails synthesis', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo', { pushPrincipals: [new iam.ServicePrincipal('codebuild.amazonaws.com')] });
      repo.resource.addPropertyDeletionOverride('RepositoryPolicyText.Statement.0.Condition');
      expect(() => Template.fromStack(stack)).toThrow(/service principal codebuild.amazonaws.com without aws:SourceAccount/);
    });

    test('an override elsewhere (a tag, a dotted key) leaves a good policy alone', () => {
      const stack = usEast1();
      const repo = new EcrPublicRepository(stack, 'Repo', { pushPrincipals: [new iam.AccountPrincipal('222222222222')] });
      repo.resource.addOverride('Metadata.my\\.key', 'x');
      repo.resource.addPropertyOverride('RepositoryPolicyText.Statement.0.Sid', 'Ci');
      Template.fromStack(stack).hasResourceProperties(TYPE, { RepositoryPolicyText: { Statement: [Match.objectLike({ Sid: 'Ci' })] } });
    });
  });
});
