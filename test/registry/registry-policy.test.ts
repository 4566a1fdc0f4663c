import { App, Aspects, CfnParameter, Fn, Stack, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { EcrAccountSettings, RegistryPolicyScope } from '../../src/registry/account-settings';
import { EcrRegistryPolicy } from '../../src/registry/registry-policy';
import { newStack } from '../util';

const TYPE = 'AWS::ECR::RegistryPolicy';
const REPOSITORIES = (names: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:eu-west-1:111111111111:repository/${names}`]] });

describe('EcrRegistryPolicy', () => {
  // registry-permissions-examples.html: Principal the source account, Action CreateRepository and ReplicateImage,
  // Resource the destination registry's repository/*.
  test('allowReplicationFrom lets the source accounts replicate into every repository of this registry', () => {
    const stack = newStack();
    new EcrRegistryPolicy(stack, 'Policy').allowReplicationFrom(['222222222222', '333333333333']);
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      PolicyText: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'ReplicationFromAccounts0',
          Effect: 'Allow',
          Principal: {
            AWS: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:root']] },
            ],
          },
          Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
          Resource: REPOSITORIES('*'),
        }],
      },
    });
  });

  // registry-permissions-create-pullthroughcache.html: CreateRepository and BatchImportUpstreamImage on <prefix>/*.
  test('allowPullThroughCache lets the principals create and fill the repositories of the prefix only', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Puller', 'arn:aws:iam::111111111111:role/puller');
    new EcrRegistryPolicy(stack, 'Policy').allowPullThroughCache('docker-hub', [role]);
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      PolicyText: {
        Statement: [{
          Sid: 'PullThroughCache0',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:role/puller' },
          Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
          Resource: REPOSITORIES('docker-hub/*'),
        }],
      },
    });
  });

  test('statements are numbered so that their Sids stay unique', () => {
    const stack = newStack();
    const policy = new EcrRegistryPolicy(stack, 'Policy');
    policy.allowReplicationFrom(['222222222222']);
    policy.allowPullThroughCache('ROOT', [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/a')]);
    const text = Object.values(Template.fromStack(stack).findResources(TYPE))[0].Properties.PolicyText;
    expect(text.Statement.map((s: any) => s.Sid)).toEqual(['ReplicationFromAccounts0', 'PullThroughCache1']);
    expect(text.Statement[1].Resource).toEqual(REPOSITORIES('*'));
  });

  // "If any additional actions are added to the registry policy, an error will occur." (registry-permissions.html)
  test('addToPolicy refuses other actions, a missing Resource and Principal "*", listing all', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    expect(() => policy.addToPolicy(new iam.PolicyStatement({
      sid: 'Wide', principals: [new iam.AnyPrincipal()], actions: ['ecr:ReplicateImage', 'ecr:BatchGetImage'],
    }))).toThrow(new RegExp([
      'TestStack/Policy: invalid registry policy statement:',
      "  - 'Wide' has the actions \\[ecr:BatchGetImage\\]; a registry policy takes only",
      "  - 'Wide' has no Resource",
      "  - 'Wide': Principal '\\*' may only read, whatever its condition",
    ].join('[^]*')));
  });

  test('addToPolicy refuses a Resource that is not an ECR repository', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    expect(() => policy.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:ReplicateImage'], resources: ['arn:aws:s3:::bucket/*'],
    }))).toThrow(/has the Resource 'arn:aws:s3:::bucket\/\*', which is not an ECR repository ARN/);
  });

  // Replicating writes images: the repository policy's rule (push for anyone is refused whatever its condition)
  // holds in the registry policy too; name the source accounts with allowReplicationFrom instead.
  test('addToPolicy refuses Principal "*" even with a condition that restricts who', () => {
    const stack = newStack();
    const policy = new EcrRegistryPolicy(stack, 'Policy');
    expect(() => policy.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['ecr:ReplicateImage'],
      resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    }))).toThrow(/the statement: Principal '\*' may only read, whatever its condition, but is allowed ecr:ReplicateImage; name the accounts, roles or organizations that push instead \(e\.g\. allowReplicationFrom\)/);
  });


  test('allowReplicationFrom refuses account ids that are not 12 digits, and an empty list', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    expect(() => policy.allowReplicationFrom(['12345'])).toThrow(/TestStack\/Policy: invalid allowReplicationFrom:\n  - accounts\[0\]: '12345' is not a 12-digit AWS account id/);
    expect(() => policy.allowReplicationFrom([])).toThrow(/accounts: give at least one source account/);
  });

  test('allowPullThroughCache refuses an empty principal list', () => {
    expect(() => new EcrRegistryPolicy(newStack(), 'Policy').allowPullThroughCache('quay', [])).toThrow(/principals: give at least one role or user/);
  });

  test('a policy without statements fails synthesis', () => {
    const stack = newStack();
    new EcrRegistryPolicy(stack, 'Policy');
    expect(() => Template.fromStack(stack)).toThrow(/the registry policy has no statement/);
  });

  test('a second EcrRegistryPolicy in the same stack is refused, naming the first', () => {
    const stack = newStack();
    new EcrRegistryPolicy(stack, 'First');
    expect(() => new EcrRegistryPolicy(stack, 'Second'))
      .toThrow(/TestStack\/Second: only one EcrRegistryPolicy is allowed per stack, and 'TestStack\/First' already is one/);
  });
});

// Issue 16: the registry policy's checks hold on the final template, not only at the call.
describe('EcrRegistryPolicy on the final template', () => {
  const synth = (policy: EcrRegistryPolicy) => () => App.of(policy)!.synth();
  const replication = () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    policy.allowReplicationFrom(['222222222222']);
    return policy;
  };

  test('a statement widened with addAnyPrincipal() after addToPolicy fails synthesis', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    const statement = new iam.PolicyStatement({
      sid: 'Replicate', principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:ReplicateImage'], resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'],
    });
    policy.addToPolicy(statement);
    statement.addAnyPrincipal();

    expect(synth(policy)).toThrow(/\[TestStack\/Policy\] registry policy statement 'Replicate': Principal '\*' may only read, whatever its condition, but is allowed ecr:ReplicateImage.*\[changed after the checks at the call/);
  });

  test('an override that lets anyone write fails synthesis, naming the override', () => {
    const policy = replication();
    policy.resource.addPropertyOverride('PolicyText.Statement.0.Principal', '*');

    expect(synth(policy)).toThrow(/registry policy statement 'ReplicationFromAccounts0': Principal '\*' may only read.*\[changed by an override of PolicyText on TestStack\/Policy\/Resource/);
  });

  test('a policy text set with the L1 setter fails synthesis, naming the setter', () => {
    const policy = replication();
    policy.resource.policyText = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:CreateRepository', Resource: '*' }] };

    expect(synth(policy)).toThrow(/registry policy statement #0: Principal '\*' may only read[\s\S]*registry policy statement #0 has the Resource '\*', which is not an ECR repository ARN.*\[changed by setting PolicyText on TestStack\/Policy\/Resource directly/);
  });

  test('an Aspect that adds an action other than the registry actions fails synthesis', () => {
    const policy = replication();
    Aspects.of(policy).add({
      visit: (node: IConstruct) => {
        if (node instanceof ecr.CfnRegistryPolicy) node.addPropertyOverride('PolicyText.Statement.0.Action', ['ecr:*']);
      },
    });

    expect(synth(policy)).toThrow(/registry policy statement 'ReplicationFromAccounts0' has the actions \[ecr:\*\]; a registry policy takes only/);
  });

  test('a Resource of Fn::Sub * is *, refused', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    expect(() => policy.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:ReplicateImage'], resources: [Fn.sub('*')],
    }))).toThrow(/has the Resource '\*', which is not an ECR repository ARN/);
  });

  test('a Resource of another account is refused', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    expect(() => policy.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:ReplicateImage'], resources: ['arn:aws:ecr:eu-west-1:222222222222:repository/*'],
    }))).toThrow(/has the Resource 'arn:aws:ecr:eu-west-1:222222222222:repository\/\*' of the account 222222222222; a registry policy applies to this registry's repositories \(111111111111\)/);
  });

  test('a Resource from a parameter is written, with a warning that it could not be checked', () => {
    const stack = newStack();
    const policy = new EcrRegistryPolicy(stack, 'Policy');
    policy.addToPolicy(new iam.PolicyStatement({
      sid: 'Param', principals: [new iam.AccountPrincipal('222222222222')], actions: ['ecr:ReplicateImage'], resources: [new CfnParameter(stack, 'Arn').valueAsString],
    }));

    Annotations.fromStack(stack).hasWarning('/TestStack/Policy', Match.stringLikeRegexp(
      "registry policy statement 'Param': the library cannot read the Resource '\\$\\{Token\\}'.*\\[ack: cdk-secure-ecr:uncheckedResource\\]"));
  });

  test('a principal from a parameter is written, with a warning that it could not be checked', () => {
    const stack = newStack();
    const policy = new EcrRegistryPolicy(stack, 'Policy');
    policy.allowPullThroughCache('docker-hub', [new iam.ArnPrincipal(new CfnParameter(stack, 'Puller').valueAsString)]);

    Annotations.fromStack(stack).hasWarning('/TestStack/Policy', Match.stringLikeRegexp(
      "registry policy statement 'PullThroughCache0' writes, and the library cannot read principal '\\$\\{Token\\}'.*\\[ack: cdk-secure-ecr:uncheckedPrincipal\\]"));
  });
});

describe('allowPullThroughCache checks the prefix and the principals as ECR does', () => {
  test.each(['*', '', '/', 'Docker Hub!', 'a', 'x'.repeat(31)])("refuses the prefix '%s'", prefix => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    const puller = new iam.ArnPrincipal('arn:aws:iam::111111111111:role/puller');
    expect(() => policy.allowPullThroughCache(prefix, [puller]))
      .toThrow(new RegExp(`repositoryPrefix: '${prefix.replace(/[*/!]/g, c => `\\${c}`)}' is not a pull through cache prefix`));
  });

  // "the IAM principals in your account" (registry-permissions-create-pullthroughcache.html)
  test('refuses a principal of another account at the call', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    expect(() => policy.allowPullThroughCache('docker-hub', [new iam.AccountPrincipal('222222222222')]))
      .toThrow(/principals\[0\]: '222222222222' is another account than this registry's \(111111111111\)/);
  });

  test('refuses a principal of another account added to a pull through cache statement later', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    const statement = new iam.PolicyStatement({
      sid: 'Cache',
      principals: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/puller')],
      actions: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
      resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/docker-hub/*'],
    });
    policy.addToPolicy(statement);
    statement.addArnPrincipal('arn:aws:iam::222222222222:role/other');

    expect(() => App.of(policy)!.synth()).toThrow(/registry policy statement 'Cache': principal 'arn:aws:iam::222222222222:role\/other' is of another account than this registry's \(111111111111\)/);
  });
});

describe('principal types an ECR resource policy does not take', () => {
  test.each<[string, iam.IPrincipal]>([
    ['FederatedPrincipal', new iam.FederatedPrincipal('cognito-identity.amazonaws.com')],
    ['CanonicalUserPrincipal', new iam.CanonicalUserPrincipal('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be')],
  ])('the registry policy refuses a %s', (name, principal) => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    expect(() => policy.addToPolicy(new iam.PolicyStatement({
      principals: [principal], actions: ['ecr:ReplicateImage'], resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'],
    }))).toThrow(new RegExp(`principal type ${name === 'FederatedPrincipal' ? 'Federated' : 'CanonicalUser'} .* is not accepted here`));
  });
});

describe('EcrRegistryPolicy final template edge cases', () => {
  test('a Deny statement may name anyone, from any account, and still takes only the registry actions', () => {
    const stack = newStack();
    const policy = new EcrRegistryPolicy(stack, 'Policy');
    policy.allowReplicationFrom(['222222222222']);
    policy.addToPolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal(), new iam.AccountPrincipal('333333333333')],
      actions: ['ecr:BatchImportUpstreamImage'],
      resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'],
    }));

    Template.fromStack(stack).hasResourceProperties(TYPE, {
      PolicyText: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'ecr:BatchImportUpstreamImage' })]) },
    });
    expect(() => policy.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['ecr:*'], resources: ['*'] })))
      .toThrow(/has the actions \[ecr:\*\]; a registry policy takes only/);
  });

  test('a policy text overridden with text that is not JSON fails synthesis', () => {
    const policy = new EcrRegistryPolicy(newStack(), 'Policy');
    policy.allowReplicationFrom(['222222222222']);
    policy.resource.addPropertyOverride('PolicyText', '{"Statement": [');

    expect(() => App.of(policy)!.synth()).toThrow(/registry policy: the policy text is not JSON/);
  });
});

// registry-permissions.html: "V1 – For version 1, Amazon ECR only enforces the following permissions at the private
// registry level" (ecr:ReplicateImage, ecr:BatchImportUpstreamImage, ecr:CreateRepository); "V2 is the expanded
// registry policy scope that includes all ECR permissions." registry-permissions-account-settings.html: "Amazon ECR
// doesn't recommend reverting to the previous registry policy V1."
describe('EcrRegistryPolicy and the registry policy scope', () => {
  const WARNING = /the registry policy grants ecr:CreateRepository, ecr:BatchImportUpstreamImage, and this app does not set the account setting REGISTRY_POLICY_SCOPE to V2.*\[ack: cdk-secure-ecr:registryPolicyScope\]/;
  const puller = (stack: Stack) => iam.Role.fromRoleArn(stack, 'Puller', 'arn:aws:iam::111111111111:role/puller');

  test('pull through cache statements without registryPolicyScope V2 in the app warn, naming the setting', () => {
    const stack = newStack();
    new EcrRegistryPolicy(stack, 'Policy').allowPullThroughCache('docker-hub', [puller(stack)]);
    Annotations.fromStack(stack).hasWarning('/TestStack/Policy', Match.stringLikeRegexp(WARNING.source));
  });

  test('replication statements grant ecr:CreateRepository, so they warn as well', () => {
    const stack = newStack();
    new EcrRegistryPolicy(stack, 'Policy').allowReplicationFrom(['222222222222']);
    Annotations.fromStack(stack).hasWarning('/TestStack/Policy', Match.stringLikeRegexp('grants ecr:CreateRepository, and this app does not set'));
  });

  test('a statement with only ecr:ReplicateImage does not warn', () => {
    const stack = newStack();
    new EcrRegistryPolicy(stack, 'Policy').addToPolicy(new iam.PolicyStatement({
      actions: ['ecr:ReplicateImage'],
      principals: [new iam.AccountPrincipal('222222222222')],
      resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'],
    }));
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('the warning reads the final statements: an override that adds ecr:CreateRepository warns', () => {
    const stack = newStack();
    const policy = new EcrRegistryPolicy(stack, 'Policy');
    policy.addToPolicy(new iam.PolicyStatement({
      actions: ['ecr:ReplicateImage'],
      principals: [new iam.AccountPrincipal('222222222222')],
      resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/*'],
    }));
    policy.resource.addPropertyOverride('PolicyText.Statement.0.Action', ['ecr:ReplicateImage', 'ecr:CreateRepository']);
    Annotations.fromStack(stack).hasWarning('/TestStack/Policy', Match.stringLikeRegexp('grants ecr:CreateRepository, and this app does not set'));
  });

  test('EcrAccountSettings with V2 for the same account and region, in any stack of the app, silences it', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const policyStack = new Stack(app, 'Policy', { env });
    new EcrAccountSettings(new Stack(app, 'Settings', { env }), 'Settings', { registryPolicyScope: RegistryPolicyScope.V2 });
    new EcrRegistryPolicy(policyStack, 'Policy').allowPullThroughCache('docker-hub', [puller(policyStack)]);
    Annotations.fromStack(policyStack).hasNoWarning('*', Match.anyValue());
  });

  test.each([
    ['V1', { account: '111111111111', region: 'eu-west-1' }, RegistryPolicyScope.V1],
    ['V2 in another region', { account: '111111111111', region: 'us-east-1' }, RegistryPolicyScope.V2],
    ['V2 in another account', { account: '222222222222', region: 'eu-west-1' }, RegistryPolicyScope.V2],
  ])('EcrAccountSettings with %s does not silence it', (_, env, scope) => {
    const app = new App();
    const policyStack = new Stack(app, 'Policy', { env: { account: '111111111111', region: 'eu-west-1' } });
    new EcrAccountSettings(new Stack(app, 'Settings', { env }), 'Settings', { registryPolicyScope: scope });
    new EcrRegistryPolicy(policyStack, 'Policy').allowPullThroughCache('docker-hub', [puller(policyStack)]);
    Annotations.fromStack(policyStack).hasWarning('/Policy/Policy', Match.stringLikeRegexp(WARNING.source));
  });
});
