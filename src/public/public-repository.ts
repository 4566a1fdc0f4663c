// EcrPublicRepository: a repository of Amazon ECR Public (public.ecr.aws) with its Gallery catalog data, as
// AWS::ECR::PublicRepository, with the secure defaults of the private repositories: RETAIN, a repository policy
// that only names who may push (never `*`), checked on what the template finally says.
import { Annotations, aws_ecr as ecr, aws_iam as iam, Lazy, RemovalPolicy, Resource, Stack, Tags, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { confineServices } from '../access/private/repository-policy';
import { enumProblems } from '../private/enums';
import { throwIfProblems } from '../private/errors';
import * as finalTemplate from '../private/final-template';
import { checkProps, IAM_PRINCIPAL, instanceOf, listOf, mapOf, Schema, string } from '../private/prop-types';
import { tagProblems } from '../private/tags';
import * as limits from './private/public-limits';
import * as publicPolicy from './private/public-policy';

/**
 * An architecture badge of the Amazon ECR Public Gallery. The four badges the Gallery shows and filters on are
 * static members; `of` takes any other value, which ECR Public stores but the Gallery does not show.
 *
 * @see https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_RepositoryCatalogDataInput.html
 */
export class GalleryArchitecture {
  /** 32-bit ARM. */
  public static readonly ARM = new GalleryArchitecture('ARM');
  /** 64-bit ARM (arm64, aarch64). */
  public static readonly ARM_64 = new GalleryArchitecture('ARM 64');
  /** 32-bit x86. */
  public static readonly X86 = new GalleryArchitecture('x86');
  /** 64-bit x86 (amd64). */
  public static readonly X86_64 = new GalleryArchitecture('x86-64');

  /**
   * Any other architecture, 1 to 50 characters; the Gallery does not show it as a badge.
   *
   * @param value the architecture as ECR Public stores it.
   */
  public static of(value: string): GalleryArchitecture {
    return new GalleryArchitecture(value);
  }

  /**
   * @param value the architecture as ECR Public stores it, e.g. `ARM 64`.
   */
  private constructor(public readonly value: string) {}
}

/**
 * An operating system badge of the Amazon ECR Public Gallery. The two badges the Gallery shows and filters on are
 * static members; `of` takes any other value, which ECR Public stores but the Gallery does not show.
 *
 * @see https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_RepositoryCatalogDataInput.html
 */
export class GalleryOperatingSystem {
  /** Linux. */
  public static readonly LINUX = new GalleryOperatingSystem('Linux');
  /** Windows. */
  public static readonly WINDOWS = new GalleryOperatingSystem('Windows');

  /**
   * Any other operating system, 1 to 50 characters; the Gallery does not show it as a badge.
   *
   * @param value the operating system as ECR Public stores it.
   */
  public static of(value: string): GalleryOperatingSystem {
    return new GalleryOperatingSystem(value);
  }

  /**
   * @param value the operating system as ECR Public stores it, e.g. `Linux`.
   */
  private constructor(public readonly value: string) {}
}

/**
 * Properties of an `EcrPublicRepository`.
 */
export interface EcrPublicRepositoryProps {
  /**
   * The repository name, shown in the Gallery: 2 to 205 lowercase letters, digits, `.`, `_`, `-`, with `/`
   * between namespaces (`project-a/nginx-web-app`).
   *
   * @default - CloudFormation generates a name
   * @see https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_CreateRepository.html
   */
  readonly repositoryName?: string;

  /**
   * The short description the Gallery shows with the image and in search results; at most 1024 characters.
   *
   * @default - no description
   */
  readonly repositoryDescription?: string;

  /**
   * The long description of the repository's contents, in Markdown; at most 10240 characters.
   *
   * @default - no about text
   */
  readonly aboutText?: string;

  /**
   * How to use the images (how to run them, where to get support), in Markdown; at most 10240 characters.
   *
   * @default - no usage text
   */
  readonly usageText?: string;

  /**
   * The architectures the images run on, shown as Gallery badges; at most 50, no repeats.
   *
   * @default - none
   */
  readonly architectures?: GalleryArchitecture[];

  /**
   * The operating systems the images run on, shown as Gallery badges; at most 50, no repeats.
   *
   * @default - none
   */
  readonly operatingSystems?: GalleryOperatingSystem[];

  /**
   * Principals that may push images (`ecr-public:` layer upload and `PutImage`), written to the repository policy.
   *
   * The same principal rules as a private repository's apply: no `*` in any form, account ids of 12 digits, no
   * wildcard in a principal ARN, a service principal only with `aws:SourceAccount` or `aws:SourceArn`. A principal
   * of this account can also be given `grantPush` instead, which needs no repository policy.
   *
   * @default - no repository policy
   */
  readonly pushPrincipals?: iam.IPrincipal[];

  /**
   * The alias of this account's public registry (the `<alias>` of `public.ecr.aws/<alias>/<name>`), to give
   * `repositoryUri` and `repositoryUriForTag`. The alias itself is set in the ECR console; this only names it.
   *
   * @default - no `repositoryUri`
   * @see https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_RegistryAlias.html
   */
  readonly registryAlias?: string;

  /**
   * What happens to the repository (and every image in it) when it leaves the stack.
   *
   * `RemovalPolicy.SNAPSHOT` is refused: a repository cannot be snapshotted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Tags for the repository: at most 50, keys of 1 to 127 and values of 1 to 255 characters.
   *
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A repository of Amazon ECR Public (`public.ecr.aws`), with its catalog data in the Amazon ECR Public Gallery.
 *
 * Everyone can pull a public image, anonymously, from anywhere: that is what ECR Public is for, and no policy
 * can restrict it. Put nothing in a public repository that must not be public. Who may push is what this
 * construct controls: `grantPush` for principals of this account, `pushPrincipals` for the repository policy.
 * Any repository policy statement that lets in `*` is refused at synthesis, including one written through
 * `addToResourcePolicy`, the L1 (`node.defaultChild`) or its overrides.
 *
 * ECR Public exists only in `us-east-1`: a stack in another known region is refused, and a stack without a region
 * gets a warning.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/public/public-repositories.html
 */
export class EcrPublicRepository extends Resource implements iam.IResourceWithPolicy {
  /** The repository name (a token when CloudFormation generates it). */
  public readonly repositoryName: string;

  /** The repository ARN, `arn:aws:ecr-public::<account>:repository/<name>`. */
  public readonly repositoryArn: string;

  /** The alias of the public registry, when `registryAlias` was given. */
  public readonly registryAlias?: string;

  /** `public.ecr.aws/<alias>/<name>`, when `registryAlias` was given. */
  public readonly repositoryUri?: string;

  /** The underlying CloudFormation resource (also `node.defaultChild`). */
  public readonly resource: ecr.CfnPublicRepository;

  private readonly policyDocument = new iam.PolicyDocument();

  /**
   * @param scope the parent construct.
   * @param id the construct id.
   * @param props the name, the Gallery catalog data and who may push.
   * @throws if a prop breaks a rule of ECR Public, or the stack's region is known and is not `us-east-1`.
   */
  public constructor(scope: Construct, id: string, props: EcrPublicRepositoryProps = {}) {
    super(scope, id, { physicalName: props?.repositoryName ?? undefined });
    props = checkProps(this, 'EcrPublicRepository', props, PROPS_TYPES);
    validateProps(this, props);

    const resource = new ecr.CfnPublicRepository(this, 'Resource', {
      repositoryName: props.repositoryName,
      repositoryCatalogData: catalogData(props),
      repositoryPolicyText: Lazy.any({ produce: () => this.policyDocument.isEmpty ? undefined : this.policyDocument.toJSON() }),
    });
    this.resource = resource;
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.repositoryName = this.getResourceNameAttribute(resource.ref);
    this.repositoryArn = this.getResourceArnAttribute(resource.attrArn, {
      service: 'ecr-public', region: '', resource: 'repository', resourceName: this.physicalName,
    });
    this.registryAlias = props.registryAlias;
    this.repositoryUri = props.registryAlias === undefined ? undefined : `public.ecr.aws/${props.registryAlias}/${this.repositoryName}`;

    (props.pushPrincipals ?? []).forEach((principal, i) => this.addToResourcePolicy(pushStatement(principal, i)));
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
    this.node.addValidation({
      // What the template finally says: statements added later, L1 setters, Aspects and escape-hatch overrides.
      validate: () => {
        const { properties } = finalTemplate.rendered(resource);
        const { document, problem } = finalTemplate.policyDocument(properties.RepositoryPolicyText);
        return [
          ...(problem === undefined ? publicPolicy.policyProblems(document) : [`public repository policy: ${problem}`]),
          ...tagProblems(resource.tags.tagValues()),
          ...limits.publicTagProblems(resource.tags.tagValues()),
        ];
      },
    });
  }

  /**
   * The URI of one image tag, `public.ecr.aws/<alias>/<name>:<tag>`.
   *
   * @param tag the image tag.
   * @default 'latest'
   * @throws without `registryAlias`, which the URI needs.
   */
  public repositoryUriForTag(tag: string = 'latest'): string {
    const problems = limits.imageTagProblems(tag);
    if (this.repositoryUri === undefined) {
      problems.push('repositoryUriForTag needs the registry alias: set registryAlias (the <alias> of public.ecr.aws/<alias>/<name>)');
    }
    throwIfProblems(`${this.node.path}: invalid repositoryUriForTag`, problems);
    return `${this.repositoryUri}:${tag}`;
  }

  /**
   * Let a principal push images: the `ecr-public:` layer upload and `PutImage` actions on this repository, and
   * `ecr-public:GetAuthorizationToken` and `sts:GetServiceBearerToken` (which name no resource) for the login.
   *
   * A principal of this account gets an identity policy; a principal of another account a repository policy
   * statement for the push (its own account must still allow the login actions).
   *
   * @param grantee the principal that pushes.
   * @see https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-policy-examples.html
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    const push = iam.Grant.addToPrincipalOrResource({
      grantee, actions: publicPolicy.PUSH_ACTIONS, resourceArns: [this.repositoryArn], resourceSelfArns: [], resource: this,
    });
    const login = iam.Grant.addToPrincipal({ grantee, actions: publicPolicy.LOGIN_ACTIONS, resourceArns: ['*'] });
    return push.combine(login);
  }

  /**
   * Add a statement to the repository policy, after the checks every statement of it passes.
   *
   * A statement for service principals without `aws:SourceAccount`/`aws:SourceArn` gets `aws:SourceAccount` of this
   * stack (the confused deputy problem).
   *
   * @param statement the statement, without a `Resource`.
   * @throws if the statement lets in `*` in any form, or breaks the principal rules of a private repository.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    const confined = confineServices(Stack.of(this), statement);
    throwIfProblems(`${this.node.path}: invalid repository policy statement`,
      publicPolicy.policyProblems(Stack.of(this).resolve({ Statement: [confined.toStatementJson()] })));
    this.policyDocument.addStatements(confined);
    return { statementAdded: true, policyDependable: this.resource };
  }

  /**
   * Apply a removal policy to the repository.
   *
   * @param policy what happens to the repository when it leaves the stack.
   * @throws for `RemovalPolicy.SNAPSHOT`, which a repository does not support.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    throwIfProblems(`${this.node.path}: invalid removal policy`, removalPolicyProblems(policy));
    super.applyRemovalPolicy(policy);
  }
}

/**
 * The catalog data in CloudFormation's own (PascalCase) keys: the L1 types it as plain JSON, so aws-cdk-lib
 * passes it through unconverted, and camelCase keys would fail the resource schema.
 */
function catalogData(props: EcrPublicRepositoryProps): Record<string, unknown> | undefined {
  const data = {
    RepositoryDescription: props.repositoryDescription,
    AboutText: props.aboutText,
    UsageText: props.usageText,
    Architectures: props.architectures?.map(a => a.value),
    OperatingSystems: props.operatingSystems?.map(o => o.value),
  };
  return Object.values(data).some(value => value !== undefined) ? data : undefined;
}

/** The types of every prop (their values are checked by `validateProps`). */
const PROPS_TYPES: Schema = {
  repositoryName: string,
  repositoryDescription: string,
  aboutText: string,
  usageText: string,
  architectures: listOf(instanceOf('GalleryArchitecture', GalleryArchitecture, "use GalleryArchitecture.ARM_64 or GalleryArchitecture.of('...')")),
  operatingSystems: listOf(instanceOf('GalleryOperatingSystem', GalleryOperatingSystem, "use GalleryOperatingSystem.LINUX or GalleryOperatingSystem.of('...')")),
  pushPrincipals: listOf(IAM_PRINCIPAL),
  registryAlias: string,
  tags: mapOf(string),
};

function validateProps(scope: Construct, props: EcrPublicRepositoryProps): void {
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && region !== limits.PUBLIC_REGION) {
    throw new Error(`${scope.node.path}: ECR Public exists only in ${limits.PUBLIC_REGION}, and this stack deploys to ${region}. `
      + `Put the public repository in a stack with env: { region: '${limits.PUBLIC_REGION}' }.`);
  }
  if (Token.isUnresolved(region)) {
    Annotations.of(scope).addWarningV2('cdk-secure-ecr:publicRegion', `ECR Public exists only in ${limits.PUBLIC_REGION}, and this stack `
      + `has no region: deploying it anywhere else fails. Set env: { region: '${limits.PUBLIC_REGION}' } on the stack, or acknowledge this warning.`);
  }
  throwIfProblems(`${scope.node.path}: invalid EcrPublicRepository props`, [
    ...limits.nameProblems(props.repositoryName),
    ...limits.textProblems('repositoryDescription', props.repositoryDescription, limits.DESCRIPTION_MAX),
    ...limits.textProblems('aboutText', props.aboutText, limits.ABOUT_TEXT_MAX),
    ...limits.textProblems('usageText', props.usageText, limits.USAGE_TEXT_MAX),
    ...limits.badgeProblems('architectures', (props.architectures ?? []).map(a => a.value)),
    ...limits.badgeProblems('operatingSystems', (props.operatingSystems ?? []).map(o => o.value)),
    ...limits.aliasProblems(props.registryAlias),
    ...tagProblems(props.tags ?? {}),
    ...limits.publicTagProblems(props.tags ?? {}),
    ...pushPrincipalProblems(Stack.of(scope), props.pushPrincipals),
    ...removalPolicyProblems(props.removalPolicy),
  ]);
}

/** The problems of the statements `pushPrincipals` become, each named by its principal's index. */
function pushPrincipalProblems(stack: Stack, principals: iam.IPrincipal[] | undefined): string[] {
  if (principals !== undefined && principals.length === 0) {
    return ['pushPrincipals: give at least one principal, or leave pushPrincipals out'];
  }
  return (principals ?? []).flatMap((principal, i) => {
    const statement = confineServices(stack, pushStatement(principal, i));
    return publicPolicy.policyProblems(stack.resolve({ Statement: [statement.toStatementJson()] }))
      .map(problem => `pushPrincipals[${i}]: ${problem}`);
  });
}

function pushStatement(principal: iam.IPrincipal, index: number): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: `PushPrincipal${index}`, actions: publicPolicy.PUSH_ACTIONS, principals: [principal] });
}

/** A repository can be destroyed or retained, not snapshotted. */
function removalPolicyProblems(policy: RemovalPolicy | undefined): string[] {
  const supported = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];
  return enumProblems('removalPolicy', policy, 'removal policy for a repository (SNAPSHOT is not supported)', supported);
}
