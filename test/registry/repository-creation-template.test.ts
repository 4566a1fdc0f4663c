import { App, Aspects, aws_ecr as ecr, aws_iam as iam, aws_kms as kms, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { EcrLifecycleRules } from '../../src/lifecycle/lifecycle-rules';
import {
  EcrRepositoryCreationTemplate, EcrRepositoryCreationTemplateProps, RepositoryCreationTemplateAppliedFor as AppliedFor,
} from '../../src/registry/repository-creation-template';
import { newStack } from '../util';

const TYPE = 'AWS::ECR::RepositoryCreationTemplate';

function template(props: Partial<EcrRepositoryCreationTemplateProps> = {}) {
  const stack = newStack();
  const created = new EcrRepositoryCreationTemplate(stack, 'Template', { prefix: 'ROOT', appliedFor: [AppliedFor.CREATE_ON_PUSH], ...props });
  return { stack, created, template: Template.fromStack(stack) };
}

describe('EcrRepositoryCreationTemplate', () => {
  test('writes MUTABLE tags and AES-256 encryption explicitly, and needs no role', () => {
    const { template: t } = template();
    t.hasResourceProperties(TYPE, {
      Prefix: 'ROOT',
      AppliedFor: ['CREATE_ON_PUSH'],
      ImageTagMutability: 'MUTABLE',
      EncryptionConfiguration: { EncryptionType: 'AES256' },
      CustomRoleArn: Match.absent(),
      LifecyclePolicy: Match.absent(),
      RepositoryPolicy: Match.absent(),
    });
    t.resourceCountIs('AWS::IAM::Role', 0);
  });

  // Issue 16: encryption is resolved once for EcrRepository and templates; a template with KMS_DSSE got no key.
  test('KMS_DSSE without a key creates a rotating key, as EcrRepository does', () => {
    const { template: t } = template({ encryption: ecr.RepositoryEncryption.KMS_DSSE });
    t.hasResourceProperties(TYPE, {
      EncryptionConfiguration: { EncryptionType: 'KMS_DSSE', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TemplateKey'), 'Arn'] } },
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  // "Dual-layer server-side encryption with AWS KMS (DSSE-KMS) is only available in the AWS GovCloud (US) Regions."
  test('KMS_DSSE warns outside the AWS GovCloud (US) Regions, as EcrRepository does', () => {
    const { stack } = template({ encryption: ecr.RepositoryEncryption.KMS_DSSE });
    Annotations.fromStack(stack).hasWarning('/TestStack/Template', Match.stringLikeRegexp(
      'encryption KMS_DSSE is only available in the AWS GovCloud \\(US\\) Regions, and this stack deploys to eu-west-1.*cdk-secure-ecr:dsseRegion'));
  });

  test('renders lifecycle rules with the same numbering as EcrRepository (the ANY rule last)', () => {
    const { template: t } = template({ lifecycleRules: [EcrLifecycleRules.keepLastNImages(30), EcrLifecycleRules.deleteUntaggedAfterDays(14)] });
    const text = Object.values(t.findResources(TYPE))[0].Properties.LifecyclePolicy;
    const rules = JSON.parse(text).rules;
    expect(rules.map((r: any) => [r.rulePriority, r.selection.tagStatus])).toEqual([[1, 'untagged'], [2, 'any']]);
  });

  test('renders the access props as the same least-privilege repository policy, as a JSON string', () => {
    const { stack, template: t } = template({ pullAccounts: ['222222222222'] });
    const text = stack.resolve(Object.values(t.findResources(TYPE))[0].Properties.RepositoryPolicy);
    const document = typeof text === 'string' ? JSON.parse(text) : JSON.parse(text['Fn::Join'][1].join(''));
    expect(document.Statement).toEqual([expect.objectContaining({
      Sid: 'PullFromAccounts',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    })]);
    expect(document.Statement[0].Resource).toBeUndefined();
  });

  // "If you intend to use KMS keys, resource tags, or a combination of both in one or more templates, you need to
  // ... Create an IAM role" (repository-creation-templates-create.html)
  test('encryption KMS creates a rotating key that passes CT.KMS.PR.3 and a role ECR assumes to use it', () => {
    const { template: t } = template({ encryption: ecr.RepositoryEncryption.KMS, prefix: 'prod' });
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'kms:CreateGrant' })]) },
      },
    });
    t.hasResourceProperties(TYPE, {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TemplateKey'), 'Arn'] } },
      CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TemplateRole'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecr.amazonaws.com' } })] },
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TemplateRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([':ecr:eu-west-1:111111111111:repository/prod/*'])] },
          }),
          Match.objectLike({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
          Match.objectLike({ Action: ['kms:RetireGrant', 'kms:DescribeKey'] }),
        ]),
      },
    });
  });

  // "we recommend using the aws:SourceArn and aws:SourceAccount global condition context keys in resource policies
  // to limit the permissions that [the service] gives another service to the resource" (IAM User Guide, The confused
  // deputy problem); a trust policy is the role's resource policy.
  test('the created role trusts ECR only when it acts for this account', () => {
    const { template: t } = template({ encryption: ecr.RepositoryEncryption.KMS });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'ecr.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        }],
      },
    });
  });

  test('a customRole of another account is refused', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Foreign', 'arn:aws:iam::222222222222:role/ecr-templates');
    expect(() => new EcrRepositoryCreationTemplate(stack, 'Template', {
      prefix: 'team-a', appliedFor: [AppliedFor.REPLICATION], encryption: ecr.RepositoryEncryption.KMS, customRole: role,
    })).toThrow(/customRole: 'arn:aws:iam::222222222222:role\/ecr-templates' is a role of the account 222222222222; ECR assumes a role of this registry's account \(111111111111\)/);
  });

  test('the template waits for the created role\'s policy, which ECR needs as soon as the template exists', () => {
    const { template: t } = template({ encryption: ecr.RepositoryEncryption.KMS });
    const [templateResource] = Object.values(t.findResources(TYPE));
    expect(templateResource.DependsOn).toEqual([expect.stringMatching(/^TemplateRolePolicy/)]);
  });

  test('tags are resource tags of the created repositories, and the role may tag them', () => {
    const { template: t } = template({ tags: { team: 'platform' } });
    t.hasResourceProperties(TYPE, { ResourceTags: [{ Key: 'team', Value: 'platform' }], CustomRoleArn: Match.anyValue() });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'], Resource: Match.anyValue() })] },
    });
  });

  test('a given customRole is used instead of a created one and gets the key permissions', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('ecr.amazonaws.com') });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const created = new EcrRepositoryCreationTemplate(stack, 'Template', {
      prefix: 'team-a', appliedFor: [AppliedFor.REPLICATION], encryptionKey: key, customRole: role,
    });
    expect(created.role).toBe(role);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.hasResourceProperties(TYPE, { CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Mine') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
          Match.objectLike({ Action: ['kms:RetireGrant', 'kms:DescribeKey'] }),
        ],
      },
    });
  });

  test('renders exclusion filters with the *_WITH_EXCLUSION modes', () => {
    const { template: t } = template({
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')],
    });
    t.hasResourceProperties(TYPE, {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' }],
    });
  });

  test('warns about lifecycle rules that delete images their author meant to keep, as EcrRepository does', () => {
    const { stack } = template({ imageTagMutability: ecr.TagMutability.IMMUTABLE, lifecycleRules: [{ maxImageAge: Duration.days(30) }] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Template/Resource', Match.stringLikeRegexp('expires EVERY image pushed more than 30 days ago'));
  });

  test('warns when every AWS account may pull from the created repositories', () => {
    const { stack } = template({ dangerouslyAllowPullFromAnyAwsAccount: true });
    Annotations.fromStack(stack).hasWarning('/TestStack/Template', Match.stringLikeRegexp('every repository this template creates'));
  });

  test('lists every invalid prop at once, naming the construct', () => {
    expect(() => template({
      prefix: 'Prod',
      appliedFor: [AppliedFor.REPLICATION, AppliedFor.REPLICATION],
      encryption: ecr.RepositoryEncryption.AES_256,
      encryptionKey: kms.Key.fromKeyArn(newStack(), 'K', 'arn:aws:kms:eu-west-1:111111111111:key/abc'),
      pullAccounts: ['12345'],
      lifecycleRules: [{ maxImageCount: 0 }],
      description: 'x'.repeat(257),
    })).toThrow(new RegExp([
      'TestStack/Template: invalid EcrRepositoryCreationTemplate props:',
      "  - prefix: 'Prod' is not a repository prefix",
      '  - appliedFor\\[1\\]: REPLICATION is listed twice',
      '  - encryptionKey needs encryption: RepositoryEncryption.KMS or KMS_DSSE, got AES256',
      "  - pullAccounts\\[0\\]: '12345' is not a 12-digit AWS account id",
      '  - lifecycle rule 1: maxImageCount must be a whole number >= 1, got 0',
      '  - description: at most 256 characters, got 257',
    ].join('[^]*')));
  });

  test.each([
    ['filters without a *_WITH_EXCLUSION mode', { imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')] },
      /imageTagMutabilityExclusionFilters need imageTagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, got MUTABLE/],
    ['a *_WITH_EXCLUSION mode without filters', { imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION },
      /imageTagMutability MUTABLE_WITH_EXCLUSION needs 1 to 5 imageTagMutabilityExclusionFilters/],
    ['6 exclusion filters', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'e', 'f'].map(tag => ecr.ImageTagMutabilityExclusionFilter.wildcard(tag)),
    }, /imageTagMutabilityExclusionFilters allows at most 5 filters, got 6/],
    ['a tag key starting with aws:', { tags: { 'aws:team': 'x' } }, /tags: key 'aws:team' must be 1 to 128 characters \(got 8\) and not start with 'aws:'/],
    ['a tag value of 257 characters', { tags: { team: 'x'.repeat(257) } }, /tags: the value of 'team' must be at most 256 characters \(got 257\)/],
  ])('refuses %s, as EcrRepository does', (_name, props, message) => {
    expect(() => template(props as Partial<EcrRepositoryCreationTemplateProps>)).toThrow(message);
  });

  test('an empty appliedFor is refused', () => {
    expect(() => template({ appliedFor: [] })).toThrow(/appliedFor: give at least one of CREATE_ON_PUSH, PULL_THROUGH_CACHE, REPLICATION/);
  });

  test.each(['ROOT', 'prod', 'docker-hub', 'team__a/service.x', 'ecr-public/', 'a--b'])('accepts the prefix %s', prefix => {
    expect(() => template({ prefix })).not.toThrow();
  });

  test.each(['Prod', '-prod', 'prod//x', 'a___b', ''])('refuses the prefix %j', prefix => {
    expect(() => template({ prefix })).toThrow(/is not a repository prefix/);
  });

  test('skips the prefix check on a token', () => {
    const stack = newStack();
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    expect(() => new EcrRepositoryCreationTemplate(stack, 'T', { prefix, appliedFor: [AppliedFor.CREATE_ON_PUSH] })).not.toThrow();
  });

  test('checks a long near-miss prefix in linear time', () => {
    const start = Date.now();
    expect(() => template({ prefix: `${'a-'.repeat(127)}_` })).toThrow(/is not a repository prefix/);
    expect(Date.now() - start).toBeLessThan(500);
  });

  test('a second template with the same prefix in one stack is refused, naming the first', () => {
    const stack = newStack();
    new EcrRepositoryCreationTemplate(stack, 'First', { prefix: 'prod', appliedFor: [AppliedFor.CREATE_ON_PUSH] });
    new EcrRepositoryCreationTemplate(stack, 'Other', { prefix: 'dev', appliedFor: [AppliedFor.CREATE_ON_PUSH] });
    expect(() => new EcrRepositoryCreationTemplate(stack, 'Second', { prefix: 'prod', appliedFor: [AppliedFor.REPLICATION] }))
      .toThrow(/TestStack\/Second: prefix 'prod' already has the repository creation template 'TestStack\/First'/);
  });
});

// Issue 16: the template's repository policy and settings hold on the final template, not only at the call.
describe('EcrRepositoryCreationTemplate on the final template', () => {
  const create = (props: Partial<EcrRepositoryCreationTemplateProps> = {}) => {
    const stack = newStack();
    return new EcrRepositoryCreationTemplate(stack, 'Template', { prefix: 'prod', appliedFor: [AppliedFor.REPLICATION], ...props });
  };
  const synth = (created: EcrRepositoryCreationTemplate) => () => App.of(created)!.synth();

  test('a repository policy set with the L1 setter that lets anyone push fails synthesis, naming the setter', () => {
    const created = create({ pullAccounts: ['222222222222'] });
    created.resource.repositoryPolicy = JSON.stringify({ Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'ecr:PutImage' }] });

    expect(synth(created)).toThrow(/\[TestStack\/Template\] repository policy statement 'Open': Principal '\*' may only read.*\[changed by setting RepositoryPolicy on TestStack\/Template\/Resource directly/);
  });

  test('an override of the repository policy is checked', () => {
    const created = create();
    created.resource.addPropertyOverride('RepositoryPolicy', '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:*"}]}');

    expect(synth(created)).toThrow(/repository policy statement #0: Principal '\*' may only read.*\[changed by an override of RepositoryPolicy/);
  });

  test('an Aspect that opens the policy is checked', () => {
    const created = create();
    Aspects.of(created).add({
      visit: (node: IConstruct) => {
        if (node instanceof ecr.CfnRepositoryCreationTemplate) node.repositoryPolicy = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:PutImage"}]}';
      },
    });

    expect(synth(created)).toThrow(/repository policy statement #0: Principal '\*' may only read/);
  });

  test('a policy whose principal is Fn::Sub of * inside the JSON text is refused', () => {
    const created = create({ pullAccounts: ['222222222222'] });
    created.resource.repositoryPolicy = Stack.of(created).toJsonString({
      Statement: [{ Effect: 'Allow', Principal: { AWS: Fn.sub('*') }, Action: 'ecr:PutImage' }],
    });

    expect(synth(created)).toThrow(/repository policy statement #0: Principal '\*' may only read/);
  });

  test('a push principal from a parameter gets a warning that it could not be checked', () => {
    const stack = newStack();
    const pusher = new CfnParameter(stack, 'Pusher');
    new EcrRepositoryCreationTemplate(stack, 'Template', {
      prefix: 'prod', appliedFor: [AppliedFor.REPLICATION], pushPrincipals: [new iam.ArnPrincipal(pusher.valueAsString)],
    });

    Annotations.fromStack(stack).hasWarning('/TestStack/Template', Match.stringLikeRegexp("statement 'PushPrincipal0' writes, and the library cannot read principal"));
  });

  test('IMMUTABLE tags overridden to MUTABLE fail synthesis', () => {
    const created = create({ imageTagMutability: ecr.TagMutability.IMMUTABLE });
    created.resource.addPropertyOverride('ImageTagMutability', 'MUTABLE');

    expect(synth(created)).toThrow(/ImageTagMutability is "MUTABLE" in the final template, but this template was made with IMMUTABLE tags \[changed by an override/);
  });

  test('a customer key removed by an override fails synthesis', () => {
    const created = create({ encryption: ecr.RepositoryEncryption.KMS });
    created.resource.addPropertyDeletionOverride('EncryptionConfiguration.KmsKey');

    expect(synth(created)).toThrow(/EncryptionConfiguration is \{"EncryptionType":"KMS"\} in the final template, but this template was made with KMS and the key/);
  });
});

// Issue 16: the filters are rendered through aws-ecr's public API (a scratch Repository's L1 property), which must
// leave nothing behind.
test('rendering exclusion filters leaves no repository and no extra construct behind', () => {
  const { stack, template: t } = template({
    imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION,
    imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('dev-*')],
  });
  t.resourceCountIs('AWS::ECR::Repository', 0);
  t.hasResourceProperties(TYPE, {
    ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'dev-*' }],
  });
  expect(stack.node.findChild('Template').node.children.map(c => c.node.id)).toEqual(['Resource']);
});
