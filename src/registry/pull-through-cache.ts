// EcrPullThroughCache: a pull through cache rule that mirrors an upstream registry (Docker Hub, ECR Public, Quay,
// registry.k8s.io, GHCR, GitLab, Azure, another ECR) into this private registry, as AWS::ECR::PullThroughCacheRule.
import { aws_ecr as ecr, aws_iam as iam, aws_secretsmanager as secretsmanager, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EcrRepositoryCreationTemplate, RepositoryCreationTemplateAppliedFor, RepositoryCreationTemplateOptions } from './repository-creation-template';
import { AZURE_REGISTRY_NAME, isBadAccount, isBadCachePrefix, isBadRegion } from '../private/aws-ids';
import { throwIfProblems } from '../private/errors';
import { checkProps, IAM_ROLE, implementing, instanceOf, required, Schema, string } from '../private/prop-types';
import { claimOncePerStack } from '../private/singleton';

/**
 * An upstream registry that ECR can cache images from.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
export class UpstreamRegistry {
  /** Amazon ECR Public (`public.ecr.aws`); no credential needed. */
  public static readonly ECR_PUBLIC = new UpstreamRegistry('ecr-public', 'public.ecr.aws', 'ecr-public', false);
  /** The Kubernetes registry (`registry.k8s.io`); no credential needed. */
  public static readonly KUBERNETES = new UpstreamRegistry('k8s', 'registry.k8s.io', 'kubernetes', false);
  /** Quay (`quay.io`); a credential is optional. */
  public static readonly QUAY = new UpstreamRegistry('quay', 'quay.io', 'quay', false);
  /** Docker Hub (`registry-1.docker.io`); needs a credential secret. */
  public static readonly DOCKER_HUB = new UpstreamRegistry('docker-hub', 'registry-1.docker.io', 'docker-hub', true);
  /** GitHub Container Registry (`ghcr.io`); needs a credential secret. */
  public static readonly GITHUB_CONTAINER_REGISTRY = new UpstreamRegistry('github-container-registry', 'ghcr.io', 'github', true);
  /** GitLab Container Registry (`registry.gitlab.com`); needs a credential secret. */
  public static readonly GITLAB_CONTAINER_REGISTRY = new UpstreamRegistry('gitlab-container-registry', 'registry.gitlab.com', 'gitlab', true);

  /**
   * A Microsoft Azure Container Registry (`<registryName>.azurecr.io`); needs a credential secret.
   *
   * @param registryName the registry's name: 5 to 50 letters and digits
   */
  public static azureContainerRegistry(registryName: string): UpstreamRegistry {
    if (!Token.isUnresolved(registryName) && !AZURE_REGISTRY_NAME.test(registryName)) {
      throw new Error(`UpstreamRegistry.azureContainerRegistry: registryName must be 5 to 50 letters and digits (the part before .azurecr.io), got '${registryName}'`);
    }
    return new UpstreamRegistry('azure-container-registry', `${registryName}.azurecr.io`, 'azure', true);
  }

  /**
   * Another Amazon ECR private registry (`<account>.dkr.ecr.<region>.amazonaws.com`); needs `customRole`.
   *
   * @param account the upstream registry's 12-digit account id
   * @param region the upstream registry's region, e.g. `us-east-1`
   */
  public static ecrPrivate(account: string, region: string): UpstreamRegistry {
    const problems: string[] = [];
    if (isBadAccount(account)) {
      problems.push(`account must be a 12-digit AWS account id, got '${account}'`);
    }
    if (isBadRegion(region)) {
      problems.push(`region must look like an AWS region such as 'us-east-1', got '${region}'`);
    }
    if (problems.length > 0) {
      throw new Error(`UpstreamRegistry.ecrPrivate: ${problems.join('; ')}`);
    }
    return new UpstreamRegistry('ecr', `${account}.dkr.ecr.${region}.amazonaws.com`, 'ecr', false);
  }

  /** The `UpstreamRegistry` value CloudFormation expects, e.g. `docker-hub`. */
  public readonly registryType: string;
  /** The upstream registry's URL, e.g. `registry-1.docker.io`. */
  public readonly url: string;
  /** The repository prefix the ECR console suggests for this upstream, e.g. `docker-hub`. */
  public readonly defaultPrefix: string;
  /** Whether ECR needs a Secrets Manager credential to pull from this upstream. */
  public readonly requiresCredential: boolean;

  private constructor(registryType: string, url: string, defaultPrefix: string, requiresCredential: boolean) {
    this.registryType = registryType;
    this.url = url;
    this.defaultPrefix = defaultPrefix;
    this.requiresCredential = requiresCredential;
  }
}

/**
 * Properties of an `EcrPullThroughCache`.
 */
export interface EcrPullThroughCacheProps {
  /** The registry to cache images from. */
  readonly upstream: UpstreamRegistry;

  /**
   * The repository name prefix of the cached repositories: `docker pull <registry>/<prefix>/<image>`.
   * 2 to 30 lower-case characters, or `ROOT`.
   *
   * @default - the ECR console's name for the upstream (`docker-hub`, `ecr-public`, `kubernetes`, `quay`, `github`, `gitlab`, `azure`, `ecr`)
   */
  readonly repositoryPrefix?: string;

  /**
   * The Secrets Manager secret with the upstream credentials (`{"username": ..., "accessToken": ...}`).
   * Its name must begin with `ecr-pullthroughcache/`, and it must be in this account and region.
   *
   * @default - no credential; required for Docker Hub, GitHub, GitLab and Azure
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
   */
  readonly credential?: secretsmanager.ISecret;

  /**
   * The IAM role ECR assumes to pull from an upstream ECR private registry.
   *
   * @default - none; required when the upstream is `UpstreamRegistry.ecrPrivate(...)`, not allowed otherwise
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
   */
  readonly customRole?: iam.IRole;
}

// From JavaScript, a string such as 'docker-hub' would otherwise fail below without saying why.
const UPSTREAM = instanceOf('UpstreamRegistry', UpstreamRegistry,
  'use one of its constants or factories, e.g. UpstreamRegistry.DOCKER_HUB or UpstreamRegistry.ecrPrivate(account, region)');

const PROPS_TYPES: Schema = {
  upstream: required(UPSTREAM, 'the registry to cache, e.g. UpstreamRegistry.ECR_PUBLIC'),
  repositoryPrefix: string,
  credential: implementing('secretsmanager.ISecret', { secretArn: 'string' }, 'pass a secretsmanager.Secret, or Secret.fromSecretNameV2(...) for an existing one'),
  customRole: IAM_ROLE,
};

/** The name prefix ECR requires of pull through cache credential secrets. */
const SECRET_PREFIX = 'ecr-pullthroughcache/';

/**
 * A pull through cache rule: the first pull of `<registry>/<prefix>/<image>` fetches the image from the upstream
 * registry into this private registry, and later pulls are served (and scanned) from ECR.
 *
 * Rules are per registry (account and region) and per repository prefix: two `EcrPullThroughCache` with the same
 * prefix in one stack are an error. ECR allows at most 50 rules per registry.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
export class EcrPullThroughCache extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnPullThroughCacheRule;

  /** The repository name prefix of the cached repositories. */
  public readonly repositoryPrefix: string;

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the upstream registry, the repository prefix and the credential.
   */
  public constructor(scope: Construct, id: string, props: EcrPullThroughCacheProps) {
    super(scope, id);
    props = checkProps(this, 'EcrPullThroughCache', props, PROPS_TYPES);
    const upstream = props.upstream;
    this.repositoryPrefix = props.repositoryPrefix ?? upstream.defaultPrefix;

    const problems: string[] = [];
    const prefix = this.repositoryPrefix;
    if (isBadCachePrefix(prefix)) {
      problems.push(`repositoryPrefix: '${prefix}' is not a repository prefix; use 2 to 30 lower-case letters, digits, '.', '_', '-' `
        + "and '/' (e.g. 'docker-hub'), or 'ROOT'");
    }
    if (upstream.requiresCredential && props.credential === undefined) {
      problems.push(`credential: ${upstream.url} needs a Secrets Manager secret named '${SECRET_PREFIX}...' with its username and access token`);
    }
    if (props.credential !== undefined) {
      problems.push(...checkSecretName(props.credential));
    }
    if (upstream.registryType === 'ecr' && props.customRole === undefined) {
      problems.push(`customRole: pulling from another ECR registry (${upstream.url}) needs an IAM role ECR can assume`);
    }
    if (upstream.registryType !== 'ecr' && props.customRole !== undefined) {
      problems.push(`customRole: only an ECR upstream (UpstreamRegistry.ecrPrivate) takes a role; remove it for ${upstream.url}`);
    }
    throwIfProblems(`${this.node.path}: invalid EcrPullThroughCache props`, problems);
    claimOncePerStack(this, `EcrPullThroughCache:${prefix}`, first =>
      `repositoryPrefix '${prefix}' is already used by the pull through cache rule '${first}'; give each rule its own prefix`);

    this.resource = new ecr.CfnPullThroughCacheRule(this, 'Resource', {
      ecrRepositoryPrefix: prefix,
      upstreamRegistry: upstream.registryType,
      upstreamRegistryUrl: upstream.url,
      credentialArn: props.credential?.secretArn,
      customRoleArn: props.customRole?.roleArn,
    });
  }

  /**
   * Create the repository creation template of this rule's repositories (prefix `repositoryPrefix`, applied for
   * `PULL_THROUGH_CACHE`), so that cached repositories get secure settings too, as this construct's child `id`.
   *
   * @param id the construct id of the template.
   * @param options the settings of the cached repositories.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-rule.html
   */
  public addRepositoryCreationTemplate(id: string, options: RepositoryCreationTemplateOptions = {}): EcrRepositoryCreationTemplate {
    return new EcrRepositoryCreationTemplate(this, id, {
      ...options,
      prefix: this.repositoryPrefix,
      appliedFor: [RepositoryCreationTemplateAppliedFor.PULL_THROUGH_CACHE],
    });
  }
}

function checkSecretName(secret: secretsmanager.ISecret): string[] {
  // A secret created in this app names itself through its L1 (a lazy token when no secretName was given).
  const cfn = secret.node.defaultChild;
  const name: string | undefined = cfn instanceof secretsmanager.CfnSecret ? Stack.of(cfn).resolve(cfn.name) : secret.secretName;
  if (name === undefined) {
    return [`credential: the secret '${secret.node.path}' gets a generated name, which ECR rejects; give it a secretName beginning with '${SECRET_PREFIX}'`];
  }
  if (typeof name === 'string' && !Token.isUnresolved(name) && !name.startsWith(SECRET_PREFIX)) {
    return [`credential: the secret's name must begin with '${SECRET_PREFIX}', got '${name}'`];
  }
  return [];
}
