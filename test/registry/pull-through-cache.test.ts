import { App, aws_ecr as ecr, aws_iam as iam, aws_secretsmanager as secretsmanager, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EcrPullThroughCache, EcrPullThroughCacheProps, UpstreamRegistry } from '../../src/registry/pull-through-cache';

function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

function credential(stack: Stack, name = 'ecr-pullthroughcache/docker-hub'): secretsmanager.ISecret {
  return secretsmanager.Secret.fromSecretNameV2(stack, `Imported${stack.node.children.length}`, name);
}

describe('EcrPullThroughCache', () => {
  test.each([
    ['ECR Public', UpstreamRegistry.ECR_PUBLIC, 'ecr-public', 'public.ecr.aws', 'ecr-public'],
    ['Kubernetes', UpstreamRegistry.KUBERNETES, 'k8s', 'registry.k8s.io', 'kubernetes'],
    ['Quay', UpstreamRegistry.QUAY, 'quay', 'quay.io', 'quay'],
  ])('caches %s without a credential under its conventional prefix', (_name, upstream, type, url, prefix) => {
    const stack = newStack();
    const cache = new EcrPullThroughCache(stack, 'Cache', { upstream });
    expect(cache.repositoryPrefix).toBe(prefix);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::ECR::PullThroughCacheRule'))).toEqual([stack.getLogicalId(cache.resource)]);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: prefix, UpstreamRegistry: type, UpstreamRegistryUrl: url,
    });
  });

  test('caches Docker Hub with a credential secret and a chosen prefix', () => {
    const stack = newStack();
    new EcrPullThroughCache(stack, 'Cache', {
      upstream: UpstreamRegistry.DOCKER_HUB, repositoryPrefix: 'dockerhub', credential: credential(stack),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'dockerhub',
      UpstreamRegistry: 'docker-hub',
      UpstreamRegistryUrl: 'registry-1.docker.io',
      CredentialArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:ecr-pullthroughcache/docker-hub']] },
    });
  });

  test('accepts a secret created in the stack with an ecr-pullthroughcache/ name', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Secret', { secretName: 'ecr-pullthroughcache/ghcr' });
    new EcrPullThroughCache(stack, 'Cache', { upstream: UpstreamRegistry.GITHUB_CONTAINER_REGISTRY, credential: secret });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'github', UpstreamRegistryUrl: 'ghcr.io', CredentialArn: { Ref: 'SecretA720EF05' },
    });
  });

  test('caches GitLab and Azure with credentials', () => {
    const stack = newStack();
    new EcrPullThroughCache(stack, 'GitLab', { upstream: UpstreamRegistry.GITLAB_CONTAINER_REGISTRY, credential: credential(stack, 'ecr-pullthroughcache/gitlab') });
    new EcrPullThroughCache(stack, 'Azure', { upstream: UpstreamRegistry.azureContainerRegistry('myregistry'), credential: credential(stack, 'ecr-pullthroughcache/azure') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { UpstreamRegistry: 'gitlab-container-registry', UpstreamRegistryUrl: 'registry.gitlab.com' });
    template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { UpstreamRegistry: 'azure-container-registry', UpstreamRegistryUrl: 'myregistry.azurecr.io', EcrRepositoryPrefix: 'azure' });
  });

  test('caches another ECR registry with a custom role', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/ecr-ptc');
    new EcrPullThroughCache(stack, 'Cache', { upstream: UpstreamRegistry.ecrPrivate('222222222222', 'eu-west-1'), customRole: role });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'ecr',
      UpstreamRegistry: 'ecr',
      UpstreamRegistryUrl: '222222222222.dkr.ecr.eu-west-1.amazonaws.com',
      CustomRoleArn: 'arn:aws:iam::111111111111:role/ecr-ptc',
    });
  });

  test('two rules with different prefixes may share a stack; the same prefix twice is refused', () => {
    const stack = newStack();
    new EcrPullThroughCache(stack, 'Public', { upstream: UpstreamRegistry.ECR_PUBLIC });
    new EcrPullThroughCache(stack, 'Quay', { upstream: UpstreamRegistry.QUAY });
    expect(() => new EcrPullThroughCache(stack, 'Again', { upstream: UpstreamRegistry.QUAY }))
      .toThrow(/Stack\/Again: repositoryPrefix 'quay' is already used by the pull through cache rule 'Stack\/Quay'; give each rule its own prefix/);
  });

  test.each<[string, (stack: Stack) => EcrPullThroughCacheProps, RegExp]>([
    ['a prefix of one character', () => ({ upstream: UpstreamRegistry.QUAY, repositoryPrefix: 'q' }),
      /repositoryPrefix: 'q' is not a repository prefix; use 2 to 30 lower-case letters, digits, '\.', '_', '-' and '\/' \(e\.g\. 'docker-hub'\), or 'ROOT'/],
    ['a prefix of 31 characters', () => ({ upstream: UpstreamRegistry.QUAY, repositoryPrefix: 'q'.repeat(31) }), /repositoryPrefix: 'q{31}' is not a repository prefix/],
    ['an upper-case prefix', () => ({ upstream: UpstreamRegistry.QUAY, repositoryPrefix: 'Quay' }), /repositoryPrefix: 'Quay' is not a repository prefix/],
    ['Docker Hub without a credential', () => ({ upstream: UpstreamRegistry.DOCKER_HUB }),
      /credential: registry-1\.docker\.io needs a Secrets Manager secret named 'ecr-pullthroughcache\/\.\.\.' with its username and access token/],
    ['a secret without the required name prefix', stack => ({ upstream: UpstreamRegistry.DOCKER_HUB, credential: credential(stack, 'dockerhub-token') }),
      /credential: the secret's name must begin with 'ecr-pullthroughcache\/', got 'dockerhub-token'/],
    ['a created secret without a name', stack => ({ upstream: UpstreamRegistry.DOCKER_HUB, credential: new secretsmanager.Secret(stack, 'Unnamed') }),
      /credential: the secret 'Stack\/Unnamed' gets a generated name, which ECR rejects; give it a secretName beginning with 'ecr-pullthroughcache\/'/],
    ['a created secret with a wrong name', stack => ({ upstream: UpstreamRegistry.DOCKER_HUB, credential: new secretsmanager.Secret(stack, 'Named', { secretName: 'hub' }) }),
      /credential: the secret's name must begin with 'ecr-pullthroughcache\/', got 'hub'/],
    ['an ECR upstream without a role', () => ({ upstream: UpstreamRegistry.ecrPrivate('222222222222', 'eu-west-1') }),
      /customRole: pulling from another ECR registry \(222222222222\.dkr\.ecr\.eu-west-1\.amazonaws\.com\) needs an IAM role ECR can assume/],
    ['a role for a public upstream', stack => ({ upstream: UpstreamRegistry.QUAY, customRole: iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111111111111:role/r') }),
      /customRole: only an ECR upstream \(UpstreamRegistry\.ecrPrivate\) takes a role; remove it for quay\.io/],
    ['an upstream that is a string, from JavaScript', () => ({ upstream: 'docker-hub' as unknown as UpstreamRegistry }),
      /upstream: "docker-hub" is not an UpstreamRegistry; use one of its constants or factories, e\.g\. UpstreamRegistry\.DOCKER_HUB/],
  ])('refuses %s', (_name, props, message) => {
    const stack = newStack();
    expect(() => new EcrPullThroughCache(stack, 'Cache', props(stack))).toThrow(message);
  });

  test('reports every problem at once, prefixed with the construct path', () => {
    const stack = newStack();
    expect(() => new EcrPullThroughCache(stack, 'Cache', { upstream: UpstreamRegistry.DOCKER_HUB, repositoryPrefix: 'X' }))
      .toThrow(/^Stack\/Cache: invalid EcrPullThroughCache props:\n {2}- repositoryPrefix: .*\n {2}- credential: /);
  });

  test.each([
    ['an Azure registry name with a dot', () => UpstreamRegistry.azureContainerRegistry('my.registry'),
      /UpstreamRegistry\.azureContainerRegistry: registryName must be 5 to 50 letters and digits \(the part before \.azurecr\.io\), got 'my\.registry'/],
    ['a bad ECR account', () => UpstreamRegistry.ecrPrivate('1234', 'eu-west-1'), /UpstreamRegistry\.ecrPrivate: account must be a 12-digit AWS account id, got '1234'/],
    ['a bad ECR region', () => UpstreamRegistry.ecrPrivate('222222222222', 'Ireland'),
      /UpstreamRegistry\.ecrPrivate: region must look like an AWS region such as 'us-east-1', got 'Ireland'/],
  ])('UpstreamRegistry refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('EcrPullThroughCache.addRepositoryCreationTemplate', () => {
  // "When using a pull through cache rule, the repository prefix you specify during rule creation is what you
  // should specify as your repository creation template prefix as well." (CreateRepositoryCreationTemplate)
  test('creates the template of the rule\'s prefix, applied for PULL_THROUGH_CACHE, in one line', () => {
    const stack = newStack();
    const cache = new EcrPullThroughCache(stack, 'Quay', { upstream: UpstreamRegistry.QUAY });
    const template = cache.addRepositoryCreationTemplate('Template', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
    expect(template.prefix).toBe('quay');
    expect(template.node.path).toBe('Stack/Quay/Template');
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'quay',
      AppliedFor: ['PULL_THROUGH_CACHE'],
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'AES256' },
      CustomRoleArn: Match.absent(),
    });
  });
});
