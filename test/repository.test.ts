import {
  Annotations as CoreAnnotations, App, CfnParameter, Duration, RemovalPolicy, Stack, Tags,
  aws_ecr as ecr, aws_ecs as ecs, aws_events as events, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_sns as sns,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EcrLifecycleRule, EcrLifecycleRules, EcrRepository, EcrRepositoryProps, LifecycleAction, EcrLifecyclePolicy } from '../src';
import { lifecycleRulesOf, newStack } from './util';

const REPOSITORY = 'AWS::ECR::Repository';

describe('EcrRepository defaults', () => {
  test('every secure default is written into the template', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo');

    Template.fromStack(stack).hasResource(REPOSITORY, {
      Properties: {
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'MUTABLE',
        EncryptionConfiguration: { EncryptionType: 'AES256' },
        LifecyclePolicy: Match.absent(),
        EmptyOnDelete: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('exposes the wrapped aws-ecr Repository and its name, ARN and URI', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { repositoryName: 'my-app' });

    expect(repo.repository).toBeInstanceOf(ecr.Repository);
    expect(stack.resolve(repo.repositoryName)).toEqual({ Ref: 'RepoRepository3264A783' });
    expect(stack.resolve(repo.repositoryArn)).toEqual({ 'Fn::GetAtt': ['RepoRepository3264A783', 'Arn'] });
    expect(stack.resolve(repo.repositoryUri)).toEqual(stack.resolve(repo.repository.repositoryUri));
    Template.fromStack(stack).hasResourceProperties(REPOSITORY, { RepositoryName: 'my-app' });
  });

  test('the escape hatch reaches the repository policy', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    repo.repository.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage'],
      principals: [new iam.AccountPrincipal('222222222222')],
    }));

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      RepositoryPolicyText: {
        Statement: [Match.objectLike({ Action: 'ecr:BatchGetImage', Principal: { AWS: Match.anyValue() } })],
      },
    });
  });
});

describe('EcrRepository overrides', () => {
  test('every default can be overridden', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      imageScanOnPush: false,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });

    Template.fromStack(stack).hasResource(REPOSITORY, {
      Properties: {
        ImageScanningConfiguration: { ScanOnPush: false },
        ImageTagMutability: 'IMMUTABLE',
        EmptyOnDelete: true,
      },
      DeletionPolicy: 'Delete',
    });
  });

  test('an encryptionKey implies KMS encryption with that key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new EcrRepository(stack, 'Repo', { encryptionKey: key });

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    });
  });

  // Issue 5: `encryption: KMS` without a key creates a rotating customer-managed key (it used to mean the AWS managed key).
  test('KMS encryption without a key creates a rotating key for the repository', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(REPOSITORY, {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RepoKey'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(repo.encryptionKey).toBe(repo.node.findChild('Key'));
  });

  // Issue 9: CloudFormation takes KMS_DSSE with a KmsKey; aws-ecr's Repository refuses KMS_DSSE.
  test('KMS_DSSE encryption takes an encryptionKey', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS_DSSE, encryptionKey: key });

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      EncryptionConfiguration: { EncryptionType: 'KMS_DSSE', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    });
  });

  // "Dual-layer server-side encryption with AWS KMS (DSSE-KMS) is only available in the AWS GovCloud (US) Regions."
  // (ECR User Guide, Encryption at rest)
  test('KMS_DSSE warns outside the AWS GovCloud (US) Regions, and not in them', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS_DSSE });
    Annotations.fromStack(stack).hasWarning('/TestStack/Repo', Match.stringLikeRegexp('encryption KMS_DSSE is only available in the AWS GovCloud \\(US\\) Regions, and this stack deploys to eu-west-1'));

    const gov = new Stack(new App(), 'Gov', { env: { account: '111111111111', region: 'us-gov-west-1' } });
    new EcrRepository(gov, 'Repo', { encryption: ecr.RepositoryEncryption.KMS_DSSE });
    Annotations.fromStack(gov).hasNoWarning('*', Match.anyValue());
  });

  test('KMS_DSSE encryption without a key creates a rotating key, as KMS does', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS_DSSE });

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      EncryptionConfiguration: { EncryptionType: 'KMS_DSSE', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RepoKey'), 'Arn'] } },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('tag mutability exclusion filters go with the *_WITH_EXCLUSION modes', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')],
    });

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' },
      ],
    });
  });

  test('a token repository name is not checked', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Name');
    new EcrRepository(stack, 'Repo', { repositoryName: name.valueAsString });

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, { RepositoryName: { Ref: 'Name' } });
  });
});

describe('EcrRepository presets', () => {
  test('forDevelopment: MUTABLE, standard dev rules, DESTROY with emptyOnDelete, scan on push', () => {
    const stack = newStack();
    EcrRepository.forDevelopment(stack, 'Dev');

    Template.fromStack(stack).hasResource(REPOSITORY, {
      Properties: {
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'MUTABLE',
        EmptyOnDelete: true,
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.selection.tagStatus, r.selection.countNumber]))
      .toEqual([[1, 'untagged', 7], [2, 'any', 10]]);
  });

  test('forDevelopment warns that deleting the stack deletes every image', () => {
    const stack = newStack();
    EcrRepository.forDevelopment(stack, 'Dev');

    Annotations.fromStack(stack).hasWarning('/TestStack/Dev',
      Match.stringLikeRegexp('emptyOnDelete is on: deleting this repository .* permanently deletes every image'));
  });

  test('forProduction: IMMUTABLE, standard prod rules, RETAIN, scan on push', () => {
    const stack = newStack();
    EcrRepository.forProduction(stack, 'Prod');

    Template.fromStack(stack).hasResource(REPOSITORY, {
      Properties: {
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE',
        EncryptionConfiguration: { EncryptionType: 'AES256' },
        EmptyOnDelete: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.selection.tagStatus, r.selection.countNumber]))
      .toEqual([[1, 'untagged', 14], [2, 'any', 30]]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('explicit props override a preset\'s values', () => {
    const stack = newStack();
    EcrRepository.forProduction(stack, 'Prod', {
      repositoryName: 'prod/api',
      imageTagMutability: ecr.TagMutability.MUTABLE,
      lifecycleRules: [EcrLifecycleRules.keepLastNImages(100)],
    });

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, { RepositoryName: 'prod/api', ImageTagMutability: 'MUTABLE' });
    expect(lifecycleRulesOf(stack)).toHaveLength(1);
    expect(lifecycleRulesOf(stack)[0].selection.countNumber).toBe(100);
  });

  // `{ lifecycleRules: maybeRules }` with maybeRules undefined must keep the preset's rules, not wipe them.
  test.each([
    ['forDevelopment', 'imageTagMutability'], ['forDevelopment', 'lifecycleRules'], ['forDevelopment', 'imageScanOnPush'],
    ['forDevelopment', 'removalPolicy'], ['forDevelopment', 'emptyOnDelete'],
    ['forProduction', 'imageTagMutability'], ['forProduction', 'lifecycleRules'], ['forProduction', 'imageScanOnPush'],
    ['forProduction', 'removalPolicy'], ['forProduction', 'emptyOnDelete'],
  ] as const)('%s keeps its value when %s is passed as undefined', (preset, field) => {
    const withoutProps = newStack();
    EcrRepository[preset](withoutProps, 'Repo');
    const withUndefined = newStack();
    EcrRepository[preset](withUndefined, 'Repo', { [field]: undefined });

    expect(Template.fromStack(withUndefined).toJSON()).toEqual(Template.fromStack(withoutProps).toJSON());
  });

  test('forDevelopment with RETAIN does not empty the repository on delete', () => {
    const stack = newStack();
    EcrRepository.forDevelopment(stack, 'Dev', { removalPolicy: RemovalPolicy.RETAIN });

    Template.fromStack(stack).hasResource(REPOSITORY, {
      Properties: { EmptyOnDelete: false },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('EcrRepository lifecycle rules', () => {
  test('rules are numbered in declared order with the ANY rule last', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [
        EcrLifecycleRules.keepLastNImages(20),
        EcrLifecycleRules.deleteTaggedAfterDays('staging-', 30),
        EcrLifecycleRules.deleteTaggedAfterDays('feature-', 7),
        EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3),
        EcrLifecycleRules.deleteUntaggedAfterDays(1),
      ],
    });

    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.selection.tagPrefixList?.[0] ?? r.selection.tagStatus]))
      .toEqual([[1, 'staging-'], [2, 'feature-'], [3, 'pr-'], [4, 'untagged'], [5, 'any']]);
  });

  test('the policy text is exactly what ECR documents', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3)] });

    expect(lifecycleRulesOf(stack)).toEqual([{
      rulePriority: 1,
      description: 'Expire images tagged \'pr-*\' 3 days after push',
      selection: { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 },
      action: { type: 'expire' },
    }]);
  });

  test('the template carries exactly EcrLifecyclePolicy.fromRules(rules).toJson()', () => {
    const stack = newStack();
    const rules = [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3), ...EcrLifecycleRules.standardProd()];
    new EcrRepository(stack, 'Repo', { lifecycleRules: rules });

    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      LifecyclePolicy: { LifecyclePolicyText: EcrLifecyclePolicy.fromRules(rules).toJson() },
    });
  });

  test('addLifecycleRule appends after the rules from props', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteUntaggedAfterDays(7)] });
    repo.addLifecycleRule(EcrLifecycleRules.keepLastNImages(5));
    repo.addLifecycleRule(EcrLifecycleRules.deleteTaggedAfterDays('pr-', 2));

    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.selection.tagStatus]))
      .toEqual([[1, 'untagged'], [2, 'tagged'], [3, 'any']]);
  });

  test('addLifecycleRules appends several rules in order, or none when one is invalid', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.deleteTaggedAfterDays('pr-', 3)] });
    expect(() => repo.addLifecycleRules([EcrLifecycleRules.keepLastNImages(5), { maxImageCount: 0 }]))
      .toThrow(/^TestStack\/Repo: invalid lifecycle rules:\n  - lifecycle rule 3: maxImageCount must be a whole number >= 1, got 0$/);
    repo.addLifecycleRules(EcrLifecycleRules.standardProd());

    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.selection.tagStatus])).toEqual([[1, 'tagged'], [2, 'untagged'], [3, 'any']]);
  });

  test('explicit rulePriority values are kept; the others follow in declared order', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [
        { description: 'auto', tagPrefixList: ['a-'], maxImageCount: 3 },
        { description: 'fixed', rulePriority: 10, tagPrefixList: ['b-'], maxImageCount: 3 },
        { description: 'any', maxImageCount: 50 },
      ],
    });

    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.description])).toEqual([[10, 'fixed'], [11, 'auto'], [12, 'any']]);
  });

  test('plain aws-ecr rules without a tagStatus get the one aws-ecr would give', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [{ tagPatternList: ['v*.*'], maxImageAge: Duration.days(90) }, { maxImageCount: 9 }],
    });

    expect(lifecycleRulesOf(stack).map(r => r.selection.tagStatus)).toEqual(['tagged', 'any']);
  });

  test('an ANY rule that expires by age warns that it can expire every image', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules: [{ tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(30) }] });

    Annotations.fromStack(stack).hasWarning('/TestStack/Repo/Repository/Resource', Match.stringLikeRegexp('expires EVERY image pushed more than 30 days ago'));
  });

  test('warnings can be acknowledged', () => {
    const stack = newStack();
    const repo = EcrRepository.forDevelopment(stack, 'Dev');
    CoreAnnotations.of(repo).acknowledgeWarning('cdk-secure-ecr:emptyOnDelete', 'a scratch repository');

    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('EcrRepository grants and integrations', () => {
  test.each([
    ['grantPull', ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage']],
    ['grantPush', ['ecr:CompleteLayerUpload', 'ecr:UploadLayerPart', 'ecr:InitiateLayerUpload', 'ecr:BatchCheckLayerAvailability', 'ecr:PutImage']],
    ['grantPullPush', ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:UploadLayerPart', 'ecr:InitiateLayerUpload', 'ecr:PutImage']],
  ] as const)('%s grants the repository actions and GetAuthorizationToken', (method, actions) => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    repo[method](role);

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: [...new Set(actions)], Resource: { 'Fn::GetAtt': ['RepoRepository3264A783', 'Arn'] } }),
          Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
        ]),
      },
    });
  });

  test('an ECS task definition can run an image from the repository', () => {
    const stack = newStack();
    const repo = EcrRepository.forProduction(stack, 'Repo', { repositoryName: 'my-service' });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(repo, 'v1.0.0') });

    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Image: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/'), { Ref: 'RepoRepository3264A783' }, ':v1.0.0'])] },
      })],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ecr:GetAuthorizationToken' })]) },
    });
  });
});

describe('EcrRepository is an ecr.IRepository', () => {
  const KMS_ON_ECR = { StringEquals: { 'kms:ViaService': 'ecr.eu-west-1.amazonaws.com' } };

  test('it is a RepositoryBase, accepted wherever aws-cdk-lib takes a repository', () => {
    const stack = newStack();
    const repo: ecr.IRepository = new EcrRepository(stack, 'Repo');

    expect(repo).toBeInstanceOf(ecr.RepositoryBase);
  });

  test('the CloudFormation logical IDs are those of the inner repository and key, as before', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS });

    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources(REPOSITORY))).toEqual(['RepoRepository3264A783']);
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual(['RepoKeyF4B65699']);
  });

  test('repositoryUriForTag, repositoryUriForDigest and registryUri are those of the inner repository', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');

    expect(stack.resolve(repo.repositoryUri)).toEqual(stack.resolve(repo.repository.repositoryUri));
    expect(stack.resolve(repo.repositoryUriForTag('v1'))).toEqual(stack.resolve(repo.repository.repositoryUriForTag('v1')));
    expect(stack.resolve(repo.repositoryUriForDigest('sha256:abc'))).toEqual(stack.resolve(repo.repository.repositoryUriForDigest('sha256:abc')));
    expect(stack.resolve(repo.registryUri)).toEqual(stack.resolve(repo.repository.registryUri));
  });

  test('an ECS task definition pulls from it, and its execution role gets exactly what grantPull gives', () => {
    const viaEcs = newStack();
    const repo = new EcrRepository(viaEcs, 'Repo', { encryption: ecr.RepositoryEncryption.KMS });
    const taskDefinition = new ecs.FargateTaskDefinition(viaEcs, 'Task');
    taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromEcrRepository(repo, 'v1') });
    const viaGrant = newStack();
    const same = new EcrRepository(viaGrant, 'Repo', { encryption: ecr.RepositoryEncryption.KMS });
    same.grantPull(new ecs.FargateTaskDefinition(viaGrant, 'Task').obtainExecutionRole());

    const statements = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap(policy => policy.Properties.PolicyDocument.Statement);
    expect(statements(viaEcs)).toEqual(statements(viaGrant));
    expect(statements(viaEcs)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'kms:Decrypt', Condition: KMS_ON_ECR, Resource: { 'Fn::GetAtt': ['RepoKeyF4B65699', 'Arn'] } }),
      expect.objectContaining({ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'] }),
    ]));
    Template.fromStack(viaEcs).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Image: { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'RepoRepository3264A783' }, ':v1'])] },
      })],
    });
  });

  test('a Lambda DockerImageFunction runs an image from it', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    new lambda.DockerImageFunction(stack, 'Fn', { code: lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'v1' }) });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      Code: { ImageUri: { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'RepoRepository3264A783' }, ':v1'])] } },
    });
    // The Lambda service pulls the image: aws-cdk-lib grants it through the repository policy, here for
    // functions of this account only.
    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      RepositoryPolicyText: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          Principal: { Service: 'lambda.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        })]),
      },
    });
  });

  test('grantRead and grant(...) of the base class work on it', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    repo.grantRead(role);
    repo.grant(role, 'ecr:ListTagsForResource');

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['ecr:DescribeRepositories', 'ecr:DescribeImages'], Resource: { 'Fn::GetAtt': ['RepoRepository3264A783', 'Arn'] } },
          { Effect: 'Allow', Action: 'ecr:ListTagsForResource', Resource: { 'Fn::GetAtt': ['RepoRepository3264A783', 'Arn'] } },
        ],
      },
    });
  });

  test('addToResourcePolicy goes through the access checks at the call', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');

    expect(() => repo.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage'] })))
      .toThrow(/^TestStack\/Repo: invalid repository policy statement:\n {2}- repository policy statement #0: Principal '\*' has no condition that restricts who/);
    expect(() => repo.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:BatchGetImage'], resources: ['*'],
    }))).toThrow(/has a Resource, which ECR rejects in a repository policy/);
  });

  test('a statement it accepts lands in the repository policy', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    const result = repo.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'Audit', principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:DescribeImages'],
    }));

    expect(result.statementAdded).toBe(true);
    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      RepositoryPolicyText: { Statement: [Match.objectLike({ Sid: 'Audit', Action: 'ecr:DescribeImages' })] },
    });
  });

  test('addToResourcePolicy confines a service principal to this account, leaving the caller\'s statement as it was', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    const statement = new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('codebuild.amazonaws.com')], actions: ['ecr:BatchGetImage'] });
    repo.addToResourcePolicy(statement);

    expect(statement.conditions).toEqual({});
    Template.fromStack(stack).hasResourceProperties(REPOSITORY, {
      RepositoryPolicyText: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } })] },
    });
  });

  test('applyRemovalPolicy reaches the repository and the key it created', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { encryption: ecr.RepositoryEncryption.KMS });
    repo.applyRemovalPolicy(RemovalPolicy.DESTROY);

    Template.fromStack(stack).hasResource(REPOSITORY, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    Template.fromStack(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('applyRemovalPolicy leaves a key the user passed alone', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'UserKey', { removalPolicy: RemovalPolicy.RETAIN });
    new EcrRepository(stack, 'Repo', { encryptionKey: key }).applyRemovalPolicy(RemovalPolicy.DESTROY);

    Template.fromStack(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    Template.fromStack(stack).hasResource(REPOSITORY, { DeletionPolicy: 'Delete' });
  });

  test('every event method creates its rule under the EcrRepository', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    const topic = new sns.Topic(stack, 'Topic');
    const rules: events.Rule[] = [
      repo.onImagePushed('Pushed'),
      repo.onCloudTrailImagePushed('TrailPushed'),
      repo.onImageScanCompleted('ScanCompleted'),
      repo.onEvent('Any'),
      ...repo.notifyOnScanFindings('Findings', { topic }),
    ];

    expect(rules.map(rule => rule.node.path)).toEqual([
      'TestStack/Repo/Pushed', 'TestStack/Repo/TrailPushed', 'TestStack/Repo/ScanCompleted', 'TestStack/Repo/Any', 'TestStack/Repo/Findings',
    ]);
  });
});

describe('EcrRepository bad input', () => {
  test.each([
    ['a', 'repositoryName must be 2 to 256 characters long, got 1'],
    ['x'.repeat(257), 'repositoryName must be 2 to 256 characters long, got 257'],
    ['My-App', 'repositoryName \'My-App\' is not a valid ECR name'],
    ['my--app', 'repositoryName \'my--app\' is not a valid ECR name'],
    ['team//app', 'repositoryName \'team//app\' is not a valid ECR name'],
    ['-app', 'repositoryName \'-app\' is not a valid ECR name'],
  ])('rejects the repository name %p', (repositoryName, message) => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { repositoryName })).toThrow(message);
  });

  test('errors name the construct path', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { repositoryName: 'UPPER' }))
      .toThrow(/^TestStack\/Repo: invalid EcrRepository props:/);
  });

  test('emptyOnDelete without DESTROY is refused with the fix', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { emptyOnDelete: true }))
      .toThrow('emptyOnDelete deletes every image, so it needs removalPolicy: RemovalPolicy.DESTROY, got RETAIN (the default); set removalPolicy: RemovalPolicy.DESTROY or remove emptyOnDelete');
    expect(() => new EcrRepository(stack, 'Repo2', { emptyOnDelete: true, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE }))
      .toThrow('needs removalPolicy: RemovalPolicy.DESTROY, got retain-on-update-or-delete');
  });

  // Issue 9: CloudFormation's Snapshot deletion policy is for resources with snapshots (EBS, RDS, ...), not these.
  test('RemovalPolicy.SNAPSHOT is refused for the repository and its key', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(/removalPolicy: "snapshot" is not a valid removal policy for a repository or a KMS key \(SNAPSHOT is not supported\); use one of "retain", "destroy", "retain-on-update-or-delete"/);
    const repo = new EcrRepository(stack, 'Other', { encryption: ecr.RepositoryEncryption.KMS });
    expect(() => repo.applyRemovalPolicy(RemovalPolicy.SNAPSHOT)).toThrow(/^TestStack\/Other: invalid removal policy:\n {2}- removalPolicy: "snapshot"/);
  });

  // Issue 9: JavaScript callers are not type-checked; an unknown value must not reach the template.
  test.each<[string, EcrRepositoryProps, RegExp]>([
    ['a tag mutability', { imageTagMutability: 'immutable' as ecr.TagMutability }, /imageTagMutability: "immutable" is not a valid TagMutability; use one of "MUTABLE", "IMMUTABLE"/],
    ['an encryption', { encryption: 'KMS' as unknown as ecr.RepositoryEncryption }, /encryption: "KMS" is not a RepositoryEncryption; use RepositoryEncryption.AES_256, KMS or KMS_DSSE/],
    ['a removal policy', { removalPolicy: 'delete' as RemovalPolicy }, /removalPolicy: "delete" is not a valid removal policy/],
  ])('refuses an unknown value for %s', (_name, props, message) => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', props)).toThrow(message);
  });

  // Issue 9: "Maximum number of tags per resource: 50", and neither keys nor values may begin with aws: (ECR Tag API).
  test.each<[string, Record<string, string>, RegExp]>([
    ['51 tags', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), /tags: at most 50 tags per resource \(an ECR limit\), got 51/],
    ['a value starting with aws:', { owner: 'AWS:me' }, /tags: the value of 'owner' must be at most 256 characters \(got 6\) and not start with 'aws:'/],
    ['a key of 129 characters', { ['k'.repeat(129)]: 'v' }, /tags: key 'k+' must be 1 to 128 characters \(got 129\)/],
  ])('refuses %s', (_name, tags, message) => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { tags })).toThrow(message);
  });

  test('counts tag lengths in Unicode characters, not UTF-16 code units', () => {
    const stack = newStack();
    // 128 rockets are 256 UTF-16 code units but 128 characters; 256 umlauts are 256 characters.
    expect(() => new EcrRepository(stack, 'Repo', { tags: { ['🚀'.repeat(128)]: 'ü'.repeat(256) } })).not.toThrow();
  });

  test('tags added after construction are checked at synthesis', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { tags: { team: 'platform' } });
    for (let i = 0; i < 50; i++) Tags.of(repo).add(`k${i}`, 'v');
    expect(() => Template.fromStack(stack)).toThrow(/tags: at most 50 tags per resource \(an ECR limit\), got 51/);
  });

  test('an encryptionKey with AES-256 encryption is refused', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new EcrRepository(stack, 'Repo', { encryptionKey: key, encryption: ecr.RepositoryEncryption.AES_256 }))
      .toThrow('encryptionKey needs encryption: RepositoryEncryption.KMS or KMS_DSSE, got AES256');
  });

  test('exclusion filters need a *_WITH_EXCLUSION mode, and those modes need 1 to 5 filters', () => {
    const stack = newStack();
    const filter = ecr.ImageTagMutabilityExclusionFilter.wildcard('dev-*');
    expect(() => new EcrRepository(stack, 'A', { imageTagMutabilityExclusionFilters: [filter] }))
      .toThrow('imageTagMutabilityExclusionFilters need imageTagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, got MUTABLE (the default)');
    expect(() => new EcrRepository(stack, 'B', { imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION }))
      .toThrow('imageTagMutability MUTABLE_WITH_EXCLUSION needs 1 to 5 imageTagMutabilityExclusionFilters');
    expect(() => new EcrRepository(stack, 'C', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: Array(6).fill(filter),
    })).toThrow('imageTagMutabilityExclusionFilters allows at most 5 filters, got 6');
  });

  test('every problem is reported at once', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { repositoryName: 'A', emptyOnDelete: true, lifecycleRules: [{ maxImageCount: 0 }] }))
      .toThrow(/2 to 256 characters[\s\S]*not a valid ECR name[\s\S]*emptyOnDelete[\s\S]*maxImageCount must be a whole number >= 1, got 0/);
  });

  test.each([
    [{ maxImageCount: 0 }, 'lifecycle rule 1: maxImageCount must be a whole number >= 1, got 0'],
    [{ maxImageCount: 2.5 }, 'maxImageCount must be a whole number >= 1, got 2.5'],
    [{ maxImageAge: Duration.days(0) }, 'maxImageAge must be a whole number >= 1, got 0 days'],
    [{ maxImageAge: Duration.hours(36) }, 'maxImageAge must be a whole number >= 1, got 1.5 days; use Duration.days(n)'],
    [{ maxImageCount: 1, maxImageAge: Duration.days(1) }, 'set exactly one of maxImageCount (keep the newest N), maxImageAge (days since push), maxAgeSinceLastPull and maxAgeSinceArchived, got maxImageCount and maxImageAge'],
    [{}, 'set exactly one of maxImageCount (keep the newest N), maxImageAge (days since push), maxAgeSinceLastPull and maxAgeSinceArchived, got none'],
    [{ action: LifecycleAction.TRANSITION, maxAgeSinceLastPull: Duration.hours(12) }, 'maxAgeSinceLastPull must be a whole number >= 1, got 0.5 days; use Duration.days(n)'],
    [{ rulePriority: 0, maxImageCount: 1 }, 'rulePriority must be a whole number >= 1, got 0'],
    [{ tagStatus: ecr.TagStatus.TAGGED, maxImageCount: 1 }, 'TagStatus.TAGGED needs a tagPrefixList or a tagPatternList; add one, or use TagStatus.ANY'],
    [{ tagPrefixList: [], maxImageCount: 1 }, 'tagPrefixList is empty; list at least one tag prefix'],
    [{ tagPrefixList: ['a'], tagPatternList: ['b*'], maxImageCount: 1 }, 'a rule may have tagPrefixList or tagPatternList, not both'],
    [{ tagStatus: ecr.TagStatus.UNTAGGED, tagPrefixList: ['a'], maxImageCount: 1 }, 'tagPrefixList may only be used with TagStatus.TAGGED, got TagStatus.UNTAGGED'],
    [{ tagPrefixList: [''], maxImageCount: 1 }, 'an entry of tagPrefixList must be a non-empty tag prefix such as \'feature-\', got \'\''],
    [{ tagPatternList: [''], maxImageCount: 1 }, 'an entry of tagPatternList must be a non-empty tag pattern such as \'release-*\', got \'\''],
    [{ tagPatternList: ['*a*b*c*d*'], maxImageCount: 1 }, 'tag pattern \'*a*b*c*d*\' has 5 wildcards (*); ECR allows at most 4 per pattern'],
  ] as Array<[EcrLifecycleRule, string]>)('refuses the raw rule %p', (rule, message) => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { lifecycleRules: [rule] })).toThrow(message);
    const repo = new EcrRepository(stack, 'Other');
    expect(() => repo.addLifecycleRule(rule)).toThrow(/^TestStack\/Other: invalid lifecycle rule:/);
  });

  test('problems name the rule by position and description', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', {
      lifecycleRules: [EcrLifecycleRules.keepLastNImages(3), { description: 'broken', maxImageCount: -1 }],
    })).toThrow('lifecycle rule 2 (\'broken\'): maxImageCount must be a whole number >= 1, got -1');
  });

  test('two ANY rules fail synthesis', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.keepLastNImages(3), EcrLifecycleRules.keepLastNImages(5)] });
    expect(() => App.of(stack)!.synth()).toThrow(/TestStack\/Repo[\s\S]*lifecycle rule 1 \('Keep only the 3 most recent images', rulePriority 1, numbered automatically\) and lifecycle rule 2 \('Keep only the 5 most recent images', rulePriority 2, numbered automatically\): only one rule of storage class ImageStorageClass.STANDARD may have TagStatus.ANY; merge them into one rule/);
  });

  test('duplicate rulePriority values fail synthesis, with every problem listed', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [
        { rulePriority: 1, tagPrefixList: ['a-'], maxImageCount: 1 },
        { rulePriority: 1, tagPrefixList: ['b-'], maxImageCount: 1 },
        { rulePriority: 2, tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 1 },
        { rulePriority: 3, tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 1 },
      ],
    });
    expect(() => App.of(stack)!.synth()).toThrow(
      /lifecycle rule 1 \(rulePriority 1, as written\) and lifecycle rule 2 \(rulePriority 1, as written\): rulePriority 1 is used 2 times[\s\S]*lifecycle rule 3 \(rulePriority 2, as written\) and lifecycle rule 4 \(rulePriority 3, as written\): only one rule of storage class ImageStorageClass.STANDARD may have TagStatus.UNTAGGED/);
  });

  test('an ANY rule with an explicit priority below another rule fails synthesis', () => {
    const stack = newStack();
    new EcrRepository(stack, 'Repo', {
      lifecycleRules: [{ rulePriority: 1, maxImageCount: 5 }, { rulePriority: 2, tagPrefixList: ['a'], maxImageCount: 1 }],
    });
    expect(() => App.of(stack)!.synth()).toThrow(/lifecycle rule 1 \(rulePriority 1, as written\): a rule with TagStatus.ANY must have the highest rulePriority of the rules of storage class ImageStorageClass.STANDARD, but lifecycle rule 2 \(rulePriority 2, as written\) comes after it; remove rulePriority/);
  });

  // Issue 16: no method is replaced on the aws-cdk-lib instance; the wrapped Repository is a subclass that routes.
  test('a rule added through the wrapped Repository is checked and numbered with the others', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo', { lifecycleRules: [EcrLifecycleRules.keepLastNImages(5)] });
    repo.repository.addLifecycleRule(EcrLifecycleRules.deleteUntaggedAfterDays(2));

    expect(Object.prototype.hasOwnProperty.call(repo.repository, 'addLifecycleRule')).toBe(false);
    expect(repo.repository).toBeInstanceOf(ecr.Repository);
    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.selection.tagStatus])).toEqual([[1, 'untagged'], [2, 'any']]);
    expect(() => repo.repository.addLifecycleRule({ maxImageCount: 0 })).toThrow(/^TestStack\/Repo: invalid lifecycle rule:/);
  });

  test('rules added through the escape hatch from Python, Java, Go or .NET are routed too', () => {
    const stack = newStack();
    const repo = new EcrRepository(stack, 'Repo');
    // The jsii kernel calls a method through the object's prototype, not an instance property: as it does here.
    const viaKernel = Object.getPrototypeOf(repo.repository).addLifecycleRule as (rule: ecr.LifecycleRule) => void;
    viaKernel.call(repo.repository, EcrLifecycleRules.deleteUntaggedAfterDays(2));

    expect(lifecycleRulesOf(stack).map(r => [r.rulePriority, r.selection.tagStatus])).toEqual([[1, 'untagged']]);
  });
});
