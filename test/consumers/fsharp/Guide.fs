/// Every example of FsCDK's ECR guide ("Amazon ECR (Elastic Container Registry)"), written on cdk-secure-ecr as an
/// FsCDK user who switches would write it: one function per section of the guide, building that section's stack.
/// Each is preceded by the guide's FsCDK code, so the two can be compared line by line. Program.fs checks the
/// templates.
///
/// The mapping, in short: `ecrRepository "name" { ... }` is `EcrRepository(stack, "name", EcrRepositoryProps(...))`,
/// each builder operation a property of the props, and `ECRHelpers.xxx` is `EcrLifecycleRules.Xxx`.
module Guide

open Amazon.CDK
open Amazon.CDK.AWS.ECR
open Amazon.CDK.AWS.ECS
open Amazon.CDK.AWS.IAM
open Amazon.CDK.AWS.SNS
open CdkSecureEcr

/// Basic Repository: secure defaults (scan on push, MUTABLE, AES256, RETAIN), all written into the template.
///   let repo = ecrRepository "my-app" { () }
let basicEcr (stack: Stack) =
    EcrRepository(stack, "my-app", EcrRepositoryProps(RepositoryName = "my-app")) |> ignore

/// Repository with Lifecycle Rules.
///   ecrRepository "my-app-dev" { lifecycleRule (ECRHelpers.deleteUntaggedAfterDays 7); lifecycleRule (ECRHelpers.keepLastNImages 10) }
///   ecrRepository "my-app-prod" { lifecycleRule (... 14); lifecycleRule (... 30); imageTagMutability TagMutability.IMMUTABLE }
let ecrWithLifecycle (stack: Stack) =
    // Development repository: delete untagged images after 7 days, keep only the last 10 images.
    EcrRepository(
        stack,
        "my-app-dev",
        EcrRepositoryProps(
            RepositoryName = "my-app-dev",
            LifecycleRules = [| EcrLifecycleRules.DeleteUntaggedAfterDays 7; EcrLifecycleRules.KeepLastNImages 10 |]
        )
    )
    |> ignore

    // Production repository: untagged after 14 days, keep the last 30, immutable tags.
    EcrRepository(
        stack,
        "my-app-prod",
        EcrRepositoryProps(
            RepositoryName = "my-app-prod",
            LifecycleRules = [| EcrLifecycleRules.DeleteUntaggedAfterDays 14; EcrLifecycleRules.KeepLastNImages 30 |],
            ImageTagMutability = TagMutability.IMMUTABLE
        )
    )
    |> ignore

/// Repository with Standard Lifecycle Policies. FsCDK leaves the rules to "CDK directly"; here they are one value.
///   let devRepo = ecrRepository "app-dev" { () }                                   // + standard dev rules
///   let prodRepo = ecrRepository "app-prod" { imageTagMutability TagMutability.IMMUTABLE }  // + standard prod rules
let ecrStandardPolicies (stack: Stack) =
    EcrRepository(stack, "app-dev", EcrRepositoryProps(RepositoryName = "app-dev", LifecycleRules = EcrLifecycleRules.StandardDev()))
    |> ignore

    EcrRepository(
        stack,
        "app-prod",
        EcrRepositoryProps(
            RepositoryName = "app-prod",
            ImageTagMutability = TagMutability.IMMUTABLE,
            LifecycleRules = EcrLifecycleRules.StandardProd()
        )
    )
    |> ignore

/// The same two repositories in one line each: the development and production presets of cdk-secure-ecr.
let presets (stack: Stack) =
    EcrRepository.ForDevelopment(stack, "app-dev", EcrRepositoryProps(RepositoryName = "app-dev")) |> ignore
    EcrRepository.ForProduction(stack, "app-prod", EcrRepositoryProps(RepositoryName = "app-prod")) |> ignore

/// Repository with Custom Lifecycle Rules: one rule per tag prefix, numbered in the order written.
///   ecrRepository "my-service" {
///     lifecycleRule (ECRHelpers.deleteTaggedAfterDays "staging-" 30)
///     lifecycleRule (ECRHelpers.deleteTaggedAfterDays "feature-" 7)
///     lifecycleRule (ECRHelpers.deleteTaggedAfterDays "pr-" 3)
///     lifecycleRule (ECRHelpers.deleteUntaggedAfterDays 1) }
let ecrCustomLifecycle (stack: Stack) =
    EcrRepository(
        stack,
        "my-service",
        EcrRepositoryProps(
            RepositoryName = "my-service",
            LifecycleRules =
                [| EcrLifecycleRules.DeleteTaggedAfterDays("staging-", 30) // staging images after 30 days
                   EcrLifecycleRules.DeleteTaggedAfterDays("feature-", 7) // feature branch images after 7 days
                   EcrLifecycleRules.DeleteTaggedAfterDays("pr-", 3) // PR images after 3 days
                   EcrLifecycleRules.DeleteUntaggedAfterDays 1 |] // untagged images for only 1 day
        )
    )
    |> ignore

/// Immutable Tags.
///   ecrRepository "prod-app" { imageTagMutability TagMutability.IMMUTABLE; imageScanOnPush true }
let immutableTags (stack: Stack) =
    EcrRepository(
        stack,
        "prod-app",
        EcrRepositoryProps(RepositoryName = "prod-app", ImageTagMutability = TagMutability.IMMUTABLE, ImageScanOnPush = true)
    )
    |> ignore

/// Repository for Development: mutable tags, frequent clean-up, destroyed with the stack together with its images.
///   ecrRepository "dev-app" {
///     imageTagMutability TagMutability.MUTABLE
///     lifecycleRule (ECRHelpers.deleteUntaggedAfterDays 3); lifecycleRule (ECRHelpers.keepLastNImages 5)
///     removalPolicy RemovalPolicy.DESTROY; emptyOnDelete true }
let devRepository (stack: Stack) =
    EcrRepository(
        stack,
        "dev-app",
        EcrRepositoryProps(
            RepositoryName = "dev-app",
            ImageTagMutability = TagMutability.MUTABLE,
            LifecycleRules = [| EcrLifecycleRules.DeleteUntaggedAfterDays 3; EcrLifecycleRules.KeepLastNImages 5 |],
            RemovalPolicy = RemovalPolicy.DESTROY, // dev only!
            EmptyOnDelete = true
        )
    )

/// The same, with the emptyOnDelete warning acknowledged: deleting the images is what this repository is for.
let devRepositoryAcknowledged (stack: Stack) =
    let devApp = devRepository stack
    Annotations.Of(devApp).AcknowledgeWarning("cdk-secure-ecr:emptyOnDelete", "images are rebuilt by CI")

/// Image Scanning: scan every pushed image, immutable tags for the audit trail.
///   ecrRepository "secure-app" { imageScanOnPush true; imageTagMutability TagMutability.IMMUTABLE }
let secureRepository (stack: Stack) =
    EcrRepository(
        stack,
        "secure-app",
        EcrRepositoryProps(RepositoryName = "secure-app", ImageScanOnPush = true, ImageTagMutability = TagMutability.IMMUTABLE)
    )

/// Image Scanning, further: enhanced scanning (Amazon Inspector) for the registry, and an alert on critical findings
/// (the guide's "Set up notifications for critical vulnerabilities").
let scanningAndAlerts (stack: Stack) =
    let repo = secureRepository stack
    EcrRegistryScanning(stack, "Scanning") |> ignore // ENHANCED, continuous, every repository
    let alerts = Topic(stack, "Alerts")
    repo.NotifyOnScanFindings("Critical", ScanFindingsNotificationOptions(Topic = alerts, MinimumSeverity = FindingSeverity.CRITICAL))
    |> ignore

/// Cross-Account Access. FsCDK: "must be configured using repository policies with the CDK API directly"; here
/// each access is a prop, one least-privilege statement each.
let crossAccountAccess (stack: Stack) =
    EcrRepository.ForProduction(
        stack,
        "shared-app",
        EcrRepositoryProps(
            RepositoryName = "shared-app",
            PullAccounts = [| "222222222222" |], // principals of this account may pull
            PushAccounts = [| "333333333333" |] // ... and push
        )
    )
    |> ignore

/// Repository Policy: any other statement, checked at the call like the props' statements.
///   cdkRepo.AddToResourcePolicy(PolicyStatement(...))
let repositoryPolicy (stack: Stack) =
    let repo = EcrRepository(stack, "policy-app", EcrRepositoryProps(RepositoryName = "policy-app"))
    repo.AddToResourcePolicy(
        PolicyStatement(PolicyStatementProps(Principals = [| AccountPrincipal("222222222222") |], Actions = [| "ecr:DescribeImages" |]))
    )
    |> ignore

/// Escape Hatch: FsCDK's `repoResource.Repository` is the aws-ecr Repository; so is ours (`repo.Repository`).
/// Grants work on either, and a rule written as FsCDK's ECRHelpers write them (an aws-ecr `LifecycleRule`) goes in
/// through the escape hatch and is numbered and checked like the others.
///   let cdkRepo = repoResource.Repository
///   cdkRepo.GrantPull(myRole); cdkRepo.GrantPush(myRole); cdkRepo.GrantPullPush(myRole)
let escapeHatch (stack: Stack) =
    let repoResource = EcrRepository(stack, "my-app", EcrRepositoryProps(RepositoryName = "my-app", ImageScanOnPush = true))
    let cdkRepo: Repository = repoResource.Repository
    let assumedBy = ServicePrincipal("ecs-tasks.amazonaws.com")
    let puller = Role(stack, "Puller", RoleProps(AssumedBy = assumedBy))
    let pusher = Role(stack, "Pusher", RoleProps(AssumedBy = assumedBy))
    let both = Role(stack, "PullPush", RoleProps(AssumedBy = assumedBy))
    cdkRepo.GrantPull puller |> ignore
    repoResource.GrantPush pusher |> ignore
    repoResource.GrantPullPush both |> ignore
    cdkRepo.AddLifecycleRule(LifecycleRule(TagStatus = TagStatus.UNTAGGED, MaxImageAge = Duration.Days 7.0))

/// A rule written out, as FsCDK's ECRHelpers write theirs: in .NET an aws-ecr `LifecycleRule` is not an
/// `IEcrLifecycleRule`, so in props it is an `EcrLifecycleRule` (the same properties, plus the archive tier).
let ownRules (stack: Stack) =
    let releases = EcrLifecycleRule(TagPrefixList = [| "release-" |], MaxImageCount = 5, Description = "Keep the last 5 releases")
    let repo = EcrRepository(stack, "my-app", EcrRepositoryProps(RepositoryName = "my-app", LifecycleRules = [| releases |]))
    repo.AddLifecycleRule(EcrLifecycleRules.DeleteUntaggedAfterDays 7)

/// Integration with ECS: the repository itself is an IRepository (FsCDK needs `repo.Repository` here).
///   taskDef.AddContainer("app", ContainerDefinitionOptions(Image = ContainerImage.FromEcrRepository(repo.Repository, "v1.0.0")))
let containerStack (stack: Stack) =
    let repo =
        EcrRepository(
            stack,
            "my-service",
            EcrRepositoryProps(RepositoryName = "my-service", ImageScanOnPush = true, ImageTagMutability = TagMutability.IMMUTABLE)
        )
    let taskDef = FargateTaskDefinition(stack, "Task")
    taskDef.AddContainer("app", ContainerDefinitionOptions(Image = ContainerImage.FromEcrRepository(repo, "v1.0.0")))
    |> ignore

/// Best practices of the guide that are one prop or construct here: tag repositories with project, environment and
/// team; replicate critical images across regions.
let bestPractices (stack: Stack) =
    EcrRepository.ForProduction(
        stack,
        "shop/web",
        EcrRepositoryProps(
            RepositoryName = "shop/web",
            Tags = dict [ "project", "shop"; "environment", "prod"; "team", "platform" ]
        )
    )
    |> ignore

    EcrReplication(
        stack,
        "Replication",
        EcrReplicationProps(
            Rules = [| EcrReplicationRule(Destinations = [| ReplicationDestination(Region = "eu-west-1") |], RepositoryPrefixes = [| "shop/" |]) |]
        )
    )
    |> ignore
