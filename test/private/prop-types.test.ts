// JavaScript callers (and jsii's None/nil/null) reach every construct without a type check: `null` is absent, and a
// wrong type is refused with the library's message (construct path, prop, bad value, fix), never a TypeError or
// a silently different template (issue 16).
import { App, aws_ecr as ecr, aws_iam as iam, aws_kms as kms, aws_sns as sns, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import {
  EcrAccountSettings, EcrManagedSigning, EcrPublicRepository, EcrPullThroughCache, EcrPullTimeUpdateExclusion, EcrRegistryScanning,
  EcrReplication, EcrRepository, EcrRepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor, UpstreamRegistry,
} from '../../src';
import { newStack } from '../util';

/** Props as JavaScript passes them: anything. */
type Untyped = any;

const ON_PUSH = [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH];
const template = (stack: Stack, props: Untyped) =>
  new EcrRepositoryCreationTemplate(stack, 'Template', { prefix: 'prod', appliedFor: ON_PUSH, ...props });

describe('null is absent', () => {
  test('forCompliance with encryptionKey: null creates its rotating customer-managed key', () => {
    const stack = newStack();
    EcrRepository.forCompliance(stack, 'Repo', { encryptionKey: null } as Untyped);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RepoKey'), 'Arn'] } },
    });
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('forProduction with lifecycleRules: null keeps the preset rules', () => {
    const stack = newStack();
    const withNull = EcrRepository.forProduction(stack, 'Null', { repositoryName: 'repo-a', lifecycleRules: null } as Untyped);
    const preset = EcrRepository.forProduction(stack, 'Preset', { repositoryName: 'repo-b' });
    const policyOf = (repo: EcrRepository) => stack.resolve((repo.repository.node.defaultChild as ecr.CfnRepository).lifecyclePolicy);
    expect(policyOf(withNull)).toEqual(policyOf(preset));
    expect(policyOf(withNull)).toEqual({ lifecyclePolicyText: expect.stringContaining('"rulePriority":1') });
  });

  test.each(['encryption', 'encryptionKey', 'tags', 'lifecycleRules', 'imageTagMutability', 'pullAccounts', 'pushPrincipals'])(
    'an EcrRepository with %s: null synthesizes as if it were left out', prop => {
      const stack = newStack();
      new EcrRepository(stack, 'Repo', { [prop]: null } as Untyped);
      const expected = newStack();
      new EcrRepository(expected, 'Repo', {});
      expect(Template.fromStack(stack).toJSON()).toEqual(Template.fromStack(expected).toJSON());
    });

  test.each(['encryption', 'encryptionKey', 'tags', 'customRole', 'description'])(
    'a creation template with %s: null synthesizes as if it were left out', prop => {
      const stack = newStack();
      template(stack, { [prop]: null });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
        EncryptionConfiguration: { EncryptionType: 'AES256' },
      });
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    });
});

describe('wrong types are refused with the library message', () => {
  const role = (scope: Construct) => iam.Role.fromRoleArn(scope, 'Role', 'arn:aws:iam::111111111111:role/r');
  test.each<[string, (stack: Stack) => unknown, RegExp]>([
    ['a creation template with encryption: { value: \'KMS\' }', stack => template(stack, { encryption: { value: 'KMS' } }),
      /^TestStack\/Template: invalid EcrRepositoryCreationTemplate props:\n {2}- encryption: \{"value":"KMS"\} is not a RepositoryEncryption; use RepositoryEncryption.AES_256, KMS or KMS_DSSE$/],
    ['a creation template with appliedFor: [\'BOGUS\']', stack => template(stack, { appliedFor: ['BOGUS'] }),
      /appliedFor\[0\]: "BOGUS" is not a valid RepositoryCreationTemplateAppliedFor; use one of "CREATE_ON_PUSH", "PULL_THROUGH_CACHE", "REPLICATION"/],
    ['a creation template with appliedFor: \'CREATE_ON_PUSH\'', stack => template(stack, { appliedFor: 'CREATE_ON_PUSH' }),
      /appliedFor: "CREATE_ON_PUSH" is not a list; pass an array, e.g. \["CREATE_ON_PUSH"\]/],
    ['a creation template without a prefix', stack => template(stack, { prefix: undefined }),
      /prefix is required; give the repository name prefix/],
    ['a creation template with tags: { k: undefined }', stack => template(stack, { tags: { k: undefined } }),
      /tags: the value of 'k' is undefined; give it a value or leave the key out/],
    ['a creation template with a customRole ARN string', stack => template(stack, { customRole: 'arn:aws:iam::111111111111:role/r' }),
      /customRole: "arn:aws:iam::111111111111:role\/r" is not an iam.IRole; pass an iam.Role, or iam.Role.fromRoleArn/],
    ['an EcrRepository with tags: { k: undefined }', stack => new EcrRepository(stack, 'Repo', { tags: { k: undefined } } as Untyped),
      /^TestStack\/Repo: invalid EcrRepository props:\n {2}- tags: the value of 'k' is undefined; give it a value or leave the key out$/],
    ['an EcrRepository with tags: { k: 5 }', stack => new EcrRepository(stack, 'Repo', { tags: { k: 5 } } as Untyped),
      /tags\['k'\]: 5 is not a string/],
    ['an EcrRepository with an encryptionKey ARN string', stack => new EcrRepository(stack, 'Repo', { encryptionKey: 'arn:aws:kms:eu-west-1:111111111111:key/k' } as Untyped),
      /encryptionKey: "arn:aws:kms:eu-west-1:111111111111:key\/k" is not an kms.IKey; pass a kms.Key, or kms.Key.fromKeyArn/],
    ['an EcrRepository with an exclusion filter string', stack => new EcrRepository(stack, 'Repo', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: ['latest'],
    } as Untyped), /imageTagMutabilityExclusionFilters\[0\]: "latest" is not an ImageTagMutabilityExclusionFilter; use ImageTagMutabilityExclusionFilter.wildcard\('latest'\)/],
    ['an EcrRepository with pullAccounts: a string', stack => new EcrRepository(stack, 'Repo', { pullAccounts: '111111111111' } as Untyped),
      /pullAccounts: "111111111111" is not a list; pass an array, e.g. \["111111111111"\]/],
    ['an EcrRepository with a principal ARN string', stack => new EcrRepository(stack, 'Repo', { pushPrincipals: ['arn:aws:iam::111111111111:role/ci'] } as Untyped),
      /pushPrincipals\[0\]: "arn:aws:iam::111111111111:role\/ci" is not an iam.IPrincipal; pass a principal such as new iam.ArnPrincipal/],
    ['an EcrRepository with imageScanOnPush: \'false\'', stack => new EcrRepository(stack, 'Repo', { imageScanOnPush: 'false' } as Untyped),
      /imageScanOnPush: "false" is not true or false/],
    ['an EcrRepository with a null lifecycle rule', stack => new EcrRepository(stack, 'Repo', { lifecycleRules: [null] } as Untyped),
      /lifecycleRules\[0\]: null is not allowed in a list; remove it/],
    ['an EcrRepository with maxImageAge: 30', stack => new EcrRepository(stack, 'Repo', { lifecycleRules: [{ maxImageAge: 30 }] } as Untyped),
      /lifecycleRules\[0\].maxImageAge: 30 is not a Duration; use Duration.days\(n\)/],
    ['an EcrRepository with tagPrefixList: \'v\'', stack => new EcrRepository(stack, 'Repo', { lifecycleRules: [{ tagPrefixList: 'v', maxImageCount: 1 }] } as Untyped),
      /lifecycleRules\[0\].tagPrefixList: "v" is not a list/],
    ['an EcrRepository with props that are not an object', stack => new EcrRepository(stack, 'Repo', 'my-repo' as Untyped),
      /^TestStack\/Repo: invalid EcrRepository props:\n {2}- "my-repo" is not an object of EcrRepository props$/],
    ['addLifecycleRule with null', stack => new EcrRepository(stack, 'Repo').addLifecycleRule(null as Untyped),
      /^TestStack\/Repo: invalid lifecycle rule:\n {2}- rule is required, got null$/],
    ['addLifecycleRules with maxImageAge: 7', stack => new EcrRepository(stack, 'Repo').addLifecycleRules([{ maxImageAge: 7 }] as Untyped),
      /rules\[0\].maxImageAge: 7 is not a Duration/],
    ['an EcrPullTimeUpdateExclusion without a principal', stack => new EcrPullTimeUpdateExclusion(stack, 'X', {} as Untyped),
      /^TestStack\/X: invalid EcrPullTimeUpdateExclusion props:\n {2}- principal is required; give the IAM role or user/],
    ['an EcrPullTimeUpdateExclusion with an ARN string', stack => new EcrPullTimeUpdateExclusion(stack, 'X', { principal: 'arn:aws:iam::111111111111:role/r' } as Untyped),
      /principal: "arn:aws:iam::111111111111:role\/r" is not an iam.IPrincipal/],
    ['an EcrPullThroughCache with upstream \'docker-hub\'', stack => new EcrPullThroughCache(stack, 'Cache', { upstream: 'docker-hub' } as Untyped),
      /upstream: "docker-hub" is not an UpstreamRegistry; use one of its constants or factories/],
    ['an EcrPullThroughCache without props', stack => new EcrPullThroughCache(stack, 'Cache', undefined as Untyped),
      /upstream is required; give the registry to cache/],
    ['an EcrPullThroughCache with a customRole ARN string', stack => new EcrPullThroughCache(stack, 'Cache', {
      upstream: UpstreamRegistry.ecrPrivate('222222222222', 'us-east-1'), customRole: 'arn:aws:iam::111111111111:role/r',
    } as Untyped), /customRole: "arn:aws:iam::111111111111:role\/r" is not an iam.IRole/],
    ['an EcrPullThroughCache with a credential ARN string', stack => new EcrPullThroughCache(stack, 'Cache', {
      upstream: UpstreamRegistry.DOCKER_HUB, credential: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ecr-pullthroughcache/x',
    } as Untyped), /credential: ".*" is not an secretsmanager.ISecret; pass a secretsmanager.Secret/],
    ['an EcrReplication with destinations: a region string', stack => new EcrReplication(stack, 'Replication', { rules: [{ destinations: 'us-east-1' }] } as Untyped),
      /rules\[0\].destinations: "us-east-1" is not a list/],
    ['an EcrReplication with a region number', stack => new EcrReplication(stack, 'Replication', { rules: [{ destinations: [{ region: 1 }] }] } as Untyped),
      /rules\[0\].destinations\[0\].region: 1 is not a string/],
    ['an EcrReplication with a rule that is a string', stack => new EcrReplication(stack, 'Replication', { rules: ['us-east-1'] } as Untyped),
      /rules\[0\]: "us-east-1" is not an EcrReplicationRule \(an object with its fields\)/],
    ['an EcrRegistryScanning with repositoryFilters: \'*\'', stack => new EcrRegistryScanning(stack, 'Scanning', {
      rules: [{ frequency: 'SCAN_ON_PUSH', repositoryFilters: '*' }],
    } as Untyped), /rules\[0\].repositoryFilters: "\*" is not a list/],
    ['an EcrRegistryScanning rule without a frequency', stack => new EcrRegistryScanning(stack, 'Scanning', { rules: [{}] } as Untyped),
      /rules\[0\].frequency is required; give RegistryScanFrequency.SCAN_ON_PUSH or CONTINUOUS_SCAN/],
    ['an EcrManagedSigning with repositoryFilters: \'*\'', stack => new EcrManagedSigning(stack, 'Signing', { repositoryFilters: '*' } as Untyped),
      /^TestStack\/Signing: invalid EcrManagedSigning props:\n {2}- repositoryFilters: "\*" is not a list/],
    ['an EcrManagedSigning with a profile ARN string', stack => new EcrManagedSigning(stack, 'Signing', {
      repositoryFilters: ['*'], signingProfile: 'arn:aws:signer:eu-west-1:111111111111:/signing-profiles/p',
    } as Untyped), /signingProfile: ".*" is not an signer.ISigningProfile/],
    ['notifyOnScanFindings without a topic', stack => new EcrRepository(stack, 'Repo').notifyOnScanFindings('Alert', {} as Untyped),
      /^TestStack\/Repo: invalid notifyOnScanFindings options:\n {2}- topic is required; give the SNS topic to notify$/],
    ['notifyOnScanFindings with a topic ARN string', stack => new EcrRepository(stack, 'Repo').notifyOnScanFindings('Alert', {
      topic: 'arn:aws:sns:eu-west-1:111111111111:t',
    } as Untyped), /topic: ".*" is not an sns.ITopic; pass an sns.Topic/],
    ['notifyOnScanFindings with enhancedScanning: \'yes\'', stack => new EcrRepository(stack, 'Repo').notifyOnScanFindings('Alert', {
      topic: new sns.Topic(stack, 'Topic'), enhancedScanning: 'yes',
    } as Untyped), /enhancedScanning: "yes" is not true or false/],
  ])('%s', (_name, create, message) => {
    const stack = newStack();
    role(stack);
    expect(() => create(stack)).toThrow(message);
  });

  test.each<[string, unknown, RegExp]>([
    ['tags that are a string', { tags: 'team=payments' }, /tags: "team=payments" is not an object of keys to values, e.g. \{ team: 'payments' \}/],
    ['a function', { repositoryName: function makeName() { return 'x'; } }, /repositoryName: a function \(makeName\) is not a string/],
    ['a circular object', (() => { const o: Untyped = {}; o.self = o; return { encryption: o }; })(), /encryption: \[object Object\] is not a RepositoryEncryption/],
    ['a symbol', { repositoryName: Symbol('name') }, /repositoryName: Symbol\(name\) is not a string/],
  ])('%s is shown and refused', (_name, props, message) => {
    expect(() => new EcrRepository(newStack(), 'Repo', props as Untyped)).toThrow(message);
  });

  // RepositoryEncryption's constructor is protected: a subclass can carry a value ECR does not know.
  test('a RepositoryEncryption of a value ECR does not know is refused', () => {
    class Custom extends ecr.RepositoryEncryption {
      public constructor() { super('ROT13'); }
    }
    expect(() => new EcrRepository(newStack(), 'Repo', { encryption: new Custom() }))
      .toThrow(/encryption: 'ROT13' is not an encryption ECR knows; use RepositoryEncryption.AES_256, KMS or KMS_DSSE/);
  });

  test.each<[string, Untyped, RegExp]>([
    ['architectures: a string', { architectures: ['ARM 64'] }, /architectures\[0\]: "ARM 64" is not a GalleryArchitecture; use GalleryArchitecture.ARM_64 or GalleryArchitecture.of/],
    ['tags: { k: undefined }', { tags: { k: undefined } }, /tags: the value of 'k' is undefined/],
    ['pushPrincipals: an ARN string', { pushPrincipals: ['arn:aws:iam::111111111111:role/ci'] }, /pushPrincipals\[0\]: ".*" is not an iam.IPrincipal/],
  ])('an EcrPublicRepository with %s is refused', (_name, props, message) => {
    const stack = new Stack(new App(), 'Public', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(() => new EcrPublicRepository(stack, 'Repo', props)).toThrow(message);
  });

  test('an EcrPublicRepository with null props is one with none', () => {
    const stack = new Stack(new App(), 'Public', { env: { account: '111111111111', region: 'us-east-1' } });
    new EcrPublicRepository(stack, 'Repo', null as Untyped);
    Template.fromStack(stack).resourceCountIs('AWS::ECR::PublicRepository', 1);
  });

  test('an EcrAccountSettings with blobMounting: null is one without it', () => {
    const stack = newStack();
    expect(() => new EcrAccountSettings(stack, 'Settings', { blobMounting: null } as Untyped))
      .toThrow(/^TestStack\/Settings: invalid EcrAccountSettings props:\n {2}- set registryPolicyScope or blobMounting/);
  });

  test('an object of a class is named by its class, not dumped', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new EcrRepository(stack, 'Repo', { encryption: key } as Untyped))
      .toThrow(/encryption: an object of class Key\d* is not a RepositoryEncryption/);
  });

  test('every wrong type is reported at once', () => {
    const stack = newStack();
    expect(() => new EcrRepository(stack, 'Repo', { repositoryName: 5, emptyOnDelete: 'yes', lifecycleRules: [{ maxImageAge: Duration.days(1), maxImageCount: '3' }] } as Untyped))
      .toThrow(/repositoryName: 5 is not a string\n {2}- emptyOnDelete: "yes" is not true or false\n {2}- lifecycleRules\[0\].maxImageCount: "3" is not a number/);
  });
});
