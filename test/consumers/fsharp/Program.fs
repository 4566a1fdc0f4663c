/// Synthesizes every example of FsCDK's ECR guide (Guide.fs) and the README's F# and C# examples on the installed
/// CdkSecureEcr package, checks each template, and prints `N passed, N failed` (exit 1 when a check failed).
module Program

open System
open System.IO
open System.Text.RegularExpressions
open Amazon.CDK
open Amazon.CDK.Assertions
open Amazon.CDK.AWS.ECR
open CdkSecureEcr
open Checks

let private allOf (pairs: (string * obj) list) = Match.ObjectLike(dict pairs)

/// The secure defaults of the guide's "Default Settings", on one repository of a template.
let private secureDefaults (stackName: string) (name: string) (s: Synthesized) (mutability: string) =
    let at what = sprintf "%s/%s: %s" stackName name what
    json (at "ImageScanningConfiguration") """{"ScanOnPush":true}""" (fun () -> prop name "ImageScanningConfiguration" s)
    json (at "ImageTagMutability") (sprintf "\"%s\"" mutability) (fun () -> prop name "ImageTagMutability" s)
    json (at "EncryptionConfiguration") """{"EncryptionType":"AES256"}""" (fun () -> prop name "EncryptionConfiguration" s)

let private retained (stackName: string) (name: string) (s: Synthesized) =
    json (sprintf "%s/%s: DeletionPolicy" stackName name) "\"Retain\"" (fun () -> (repository name s)["DeletionPolicy"])
    json (sprintf "%s/%s: UpdateReplacePolicy" stackName name) "\"Retain\"" (fun () -> (repository name s)["UpdateReplacePolicy"])

let basicEcr () =
    let s = synth "BasicECR" Guide.basicEcr
    secureDefaults "BasicECR" "my-app" s "MUTABLE"
    retained "BasicECR" "my-app" s
    equal "BasicECR/my-app: EmptyOnDelete absent (disabled)" true (fun () -> isNull (prop "my-app" "EmptyOnDelete" s))
    equal "BasicECR/my-app: no lifecycle policy" true (fun () -> isNull (prop "my-app" "LifecyclePolicy" s))
    holds "BasicECR: Template.FromStack finds one repository" (fun () -> s.Assertions.ResourceCountIs("AWS::ECR::Repository", 1))
    holds "BasicECR: HasResourceProperties with Match.ObjectLike" (fun () ->
        s.Assertions.HasResourceProperties(
            "AWS::ECR::Repository",
            allOf [ "RepositoryName", box "my-app"; "ImageScanningConfiguration", box (allOf [ "ScanOnPush", box true ]) ]
        ))

let ecrWithLifecycle () =
    let s = synth "ECRWithLifecycle" Guide.ecrWithLifecycle
    equal "ECRWithLifecycle/my-app-dev: untagged 7 days, then keep 10" [ untaggedAfter 1 7; keepLast 2 10 ] (fun () -> rules "my-app-dev" s)
    equal "ECRWithLifecycle/my-app-prod: untagged 14 days, then keep 30" [ untaggedAfter 1 14; keepLast 2 30 ] (fun () -> rules "my-app-prod" s)
    secureDefaults "ECRWithLifecycle" "my-app-dev" s "MUTABLE"
    secureDefaults "ECRWithLifecycle" "my-app-prod" s "IMMUTABLE"

let ecrStandardPolicies () =
    let s = synth "ECRStandardPolicies" Guide.ecrStandardPolicies
    let withLifecycle = synth "ECRWithLifecycle" Guide.ecrWithLifecycle
    equal "ECRStandardPolicies/app-dev: StandardDev() is untagged 7 days, then keep 10" [ untaggedAfter 1 7; keepLast 2 10 ] (fun () -> rules "app-dev" s)
    equal "ECRStandardPolicies/app-prod: StandardProd() is untagged 14 days, then keep 30" [ untaggedAfter 1 14; keepLast 2 30 ] (fun () -> rules "app-prod" s)
    equal "ECRStandardPolicies/app-dev: the same policy text as the two helpers written out" (policyText "my-app-dev" withLifecycle) (fun () -> policyText "app-dev" s)
    json "ECRStandardPolicies/app-prod: ImageTagMutability" "\"IMMUTABLE\"" (fun () -> prop "app-prod" "ImageTagMutability" s)
    // The presets: the same rules, plus the removal settings each stage wants.
    let p = synth "Presets" Guide.presets
    equal "Presets/app-dev (ForDevelopment): the standard dev rules" [ untaggedAfter 1 7; keepLast 2 10 ] (fun () -> rules "app-dev" p)
    json "Presets/app-dev (ForDevelopment): EmptyOnDelete" "true" (fun () -> prop "app-dev" "EmptyOnDelete" p)
    json "Presets/app-dev (ForDevelopment): DeletionPolicy" "\"Delete\"" (fun () -> (repository "app-dev" p)["DeletionPolicy"])
    equal "Presets/app-prod (ForProduction): the standard prod rules" [ untaggedAfter 1 14; keepLast 2 30 ] (fun () -> rules "app-prod" p)
    secureDefaults "Presets" "app-prod" p "IMMUTABLE"
    retained "Presets" "app-prod" p

let ecrCustomLifecycle () =
    let s = synth "ECRCustomLifecycle" Guide.ecrCustomLifecycle
    equal
        "ECRCustomLifecycle/my-service: rules numbered in the order written"
        [ taggedAfter 1 "staging-" 30; taggedAfter 2 "feature-" 7; taggedAfter 3 "pr-" 3; untaggedAfter 4 1 ]
        (fun () -> rules "my-service" s)
    equal "ECRCustomLifecycle/my-service: every rule is described" true (fun () ->
        let policy = Text.Json.Nodes.JsonNode.Parse(policyText "my-service" s)
        policy["rules"].AsArray() |> Seq.forall (fun r -> not (isNull r["description"])))

let immutableTags () =
    let s = synth "ImmutableTags" Guide.immutableTags
    secureDefaults "ImmutableTags" "prod-app" s "IMMUTABLE"
    retained "ImmutableTags" "prod-app" s

let devRepository () =
    let s = synth "DevRepository" (Guide.devRepository >> ignore)
    secureDefaults "DevRepository" "dev-app" s "MUTABLE"
    equal "DevRepository/dev-app: untagged 3 days, then keep 5" [ untaggedAfter 1 3; keepLast 2 5 ] (fun () -> rules "dev-app" s)
    json "DevRepository/dev-app: EmptyOnDelete" "true" (fun () -> prop "dev-app" "EmptyOnDelete" s)
    json "DevRepository/dev-app: DeletionPolicy" "\"Delete\"" (fun () -> (repository "dev-app" s)["DeletionPolicy"])
    json "DevRepository/dev-app: UpdateReplacePolicy" "\"Delete\"" (fun () -> (repository "dev-app" s)["UpdateReplacePolicy"])
    holds "DevRepository/dev-app: emptyOnDelete warns (cdk-secure-ecr:emptyOnDelete)" (fun () ->
        Annotations.FromStack(s.Stack).HasWarning("/DevRepository/dev-app", Match.StringLikeRegexp ".*emptyOnDelete.*"))
    let acknowledged = synth "DevRepositoryAcknowledged" Guide.devRepositoryAcknowledged
    holds "DevRepository/dev-app: the acknowledged warning is gone" (fun () ->
        Annotations.FromStack(acknowledged.Stack).HasNoWarning("*", Match.StringLikeRegexp ".*emptyOnDelete.*"))
    // FsCDK's builder takes `emptyOnDelete true` with RETAIN; here it is an error, at the call, with the fix.
    throws
        "DevRepository: EmptyOnDelete without DESTROY throws the library's message in .NET"
        "emptyOnDelete deletes every image, so it needs removalPolicy: RemovalPolicy.DESTROY"
        (fun () ->
            let app = App()
            EcrRepository(Stack(app, "Bad"), "dev-app", EcrRepositoryProps(EmptyOnDelete = true)) |> ignore)

let imageScanning () =
    let s = synth "SecureRepository" (Guide.secureRepository >> ignore)
    secureDefaults "SecureRepository" "secure-app" s "IMMUTABLE"
    let a = synth "ScanningAndAlerts" Guide.scanningAndAlerts
    json "ScanningAndAlerts: registry scanning is ENHANCED" "\"ENHANCED\"" (fun () -> (resource "AWS::ECR::RegistryScanningConfiguration" a |> at [ "Properties"; "ScanType" ]))
    json "ScanningAndAlerts: the alert rule matches CRITICAL findings of secure-app's scans"
        (sprintf
            """{"source":["aws.ecr"],"detail-type":["ECR Image Scan"],"detail":{"repository-name":[%s],"scan-status":["COMPLETE"],"finding-severity-counts":{"CRITICAL":[{"numeric":[">",0]}]}}}"""
            (refTo (logicalId "AWS::ECR::Repository" "secure-app" a)))
        (fun () -> (resource "AWS::Events::Rule" a |> at [ "Properties"; "EventPattern" ]))
    json "ScanningAndAlerts: the alert goes to the topic"
        (sprintf """[{"Arn":%s,"Id":"Target0"}]""" (refTo (logicalId "AWS::SNS::Topic" "Alerts" a)))
        (fun () -> (resource "AWS::Events::Rule" a |> at [ "Properties"; "Targets" ]))

let private accountRoot (account: string) =
    sprintf """{"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::%s:root"]]}}""" account

let crossAccountAccess () =
    let s = synth "CrossAccountAccess" Guide.crossAccountAccess
    let statements () =
        let policy = prop "shared-app" "RepositoryPolicyText" s
        policy["Statement"].AsArray() |> Seq.toList
    let statementFor account = statements () |> List.find (fun st -> sameJson st["Principal"] (accountRoot account))
    equal "CrossAccountAccess/shared-app: 222222222222 may pull, nothing more"
        [ "ecr:BatchCheckLayerAvailability"; "ecr:BatchGetImage"; "ecr:GetDownloadUrlForLayer" ]
        (fun () -> actions (statementFor "222222222222") |> List.sort)
    equal "CrossAccountAccess/shared-app: 333333333333 may push" true (fun () -> actions (statementFor "333333333333") |> List.contains "ecr:PutImage")
    equal "CrossAccountAccess/shared-app: no statement has a Resource (ECR rejects one)" true (fun () ->
        statements () |> List.forall (fun st -> isNull st["Resource"]))

let repositoryPolicy () =
    let s = synth "RepositoryPolicy" Guide.repositoryPolicy
    json "RepositoryPolicy/policy-app: the added statement"
        (sprintf """[{"Action":"ecr:DescribeImages","Effect":"Allow","Principal":%s}]""" (accountRoot "222222222222"))
        (fun () -> (prop "policy-app" "RepositoryPolicyText" s)["Statement"])
    throws "RepositoryPolicy: Principal * without a condition is refused at the call" "Principal"
        (fun () ->
            let app = App()
            let repo = EcrRepository(Stack(app, "Open"), "open-app")
            repo.AddToResourcePolicy(
                Amazon.CDK.AWS.IAM.PolicyStatement(
                    Amazon.CDK.AWS.IAM.PolicyStatementProps(Principals = [| Amazon.CDK.AWS.IAM.AnyPrincipal() |], Actions = [| "ecr:BatchGetImage" |])
                )
            )
            |> ignore)

let escapeHatch () =
    let s = synth "EscapeHatch" Guide.escapeHatch
    let repoArn = arnOf (logicalId "AWS::ECR::Repository" "my-app" s)
    let onRepo role = roleStatements role s |> List.filter (fun st -> sameJson st["Resource"] repoArn)
    let actionsOf role = onRepo role |> List.collect actions
    equal "EscapeHatch: Repository.GrantPull allows pulling, not pushing" (true, false) (fun () ->
        let a = actionsOf "Puller" in (List.contains "ecr:BatchGetImage" a, List.contains "ecr:PutImage" a))
    equal "EscapeHatch: GrantPush allows pushing, not pulling" (true, false) (fun () ->
        let a = actionsOf "Pusher" in (List.contains "ecr:PutImage" a, List.contains "ecr:BatchGetImage" a))
    equal "EscapeHatch: GrantPullPush allows both" (true, true) (fun () ->
        let a = actionsOf "PullPush" in (List.contains "ecr:PutImage" a, List.contains "ecr:BatchGetImage" a))
    equal "EscapeHatch: every grant includes ecr:GetAuthorizationToken on *" true (fun () ->
        [ "Puller"; "Pusher"; "PullPush" ]
        |> List.forall (fun role ->
            roleStatements role s |> List.exists (fun st -> actions st = [ "ecr:GetAuthorizationToken" ] && sameJson st["Resource"] "\"*\"")))
    equal "EscapeHatch: an aws-ecr LifecycleRule (FsCDK's ECRHelpers type) added through Repository is numbered" [ untaggedAfter 1 7 ] (fun () ->
        rules "my-app" s)

let ownRules () =
    let s = synth "OwnRules" Guide.ownRules
    equal "OwnRules/my-app: an EcrLifecycleRule written out, then AddLifecycleRule"
        [ { keepLast 1 5 with TagStatus = "tagged"; TagPrefixes = [ "release-" ] }; untaggedAfter 2 7 ]
        (fun () -> rules "my-app" s)

let containerStack () =
    let s = synth "ContainerStack" Guide.containerStack
    let repo = logicalId "AWS::ECR::Repository" "my-service" s
    equal "ContainerStack: the task's image is my-service at v1.0.0" true (fun () ->
        let image = containerImage s
        image.Contains(refTo repo) && image.Contains("\":v1.0.0\""))
    equal "ContainerStack: the execution role may pull from my-service" true (fun () ->
        roleStatements "TaskExecutionRole" s
        |> List.exists (fun st -> actions st |> List.contains "ecr:BatchGetImage" && sameJson st["Resource"] (arnOf repo)))

/// Lifecycle Rule Helpers: the values FsCDK's ECRHelpers return, as ours return them (checked before any stack).
let lifecycleRuleHelpers () =
    let days (rule: IEcrLifecycleRule) = rule.MaxImageAge.ToDays()
    let cleanupUntagged = EcrLifecycleRules.DeleteUntaggedAfterDays 7
    let keepRecent = EcrLifecycleRules.KeepLastNImages 10
    let cleanupFeatureBranches = EcrLifecycleRules.DeleteTaggedAfterDays("feature-", 7)
    equal "Helpers: DeleteUntaggedAfterDays 7 selects untagged images, 7 days" (Nullable TagStatus.UNTAGGED, 7.0) (fun () ->
        (cleanupUntagged.TagStatus, days cleanupUntagged))
    equal "Helpers: KeepLastNImages 10 selects any image, keeps 10" (Nullable TagStatus.ANY, Nullable 10.0) (fun () ->
        (keepRecent.TagStatus, keepRecent.MaxImageCount))
    equal "Helpers: DeleteTaggedAfterDays \"feature-\" 7" (Nullable TagStatus.TAGGED, [ "feature-" ], 7.0) (fun () ->
        (cleanupFeatureBranches.TagStatus, List.ofArray cleanupFeatureBranches.TagPrefixList, days cleanupFeatureBranches))
    equal "Helpers: StandardDev() is 7 days, 10 images" [ 7.0; 10.0 ] (fun () ->
        match EcrLifecycleRules.StandardDev() with
        | [| untagged; keep |] -> [ days untagged; keep.MaxImageCount.Value ]
        | other -> failwithf "want 2 rules, got %d" other.Length)
    equal "Helpers: StandardProd() is 14 days, 30 images" [ 14.0; 30.0 ] (fun () ->
        match EcrLifecycleRules.StandardProd() with
        | [| untagged; keep |] -> [ days untagged; keep.MaxImageCount.Value ]
        | other -> failwithf "want 2 rules, got %d" other.Length)
    equal "Helpers: every rule has a description" true (fun () ->
        [ cleanupUntagged; keepRecent; cleanupFeatureBranches ] |> List.forall (fun r -> not (String.IsNullOrEmpty r.Description)))
    throws "Helpers: KeepLastNImages 0 throws the library's message" "keepLastNImages: count must be a whole number >= 1, got 0"
        (fun () -> EcrLifecycleRules.KeepLastNImages 0 |> ignore)
    // "Policies are evaluated in priority order": the policy text, without a repository.
    equal "Helpers: EcrLifecyclePolicy.FromRules numbers the rules, the keep rule last" [ taggedAfter 1 "feature-" 7; untaggedAfter 2 7; keepLast 3 10 ] (fun () ->
        parseRules (EcrLifecyclePolicy.FromRules([| keepRecent; cleanupFeatureBranches; cleanupUntagged |]).ToJson()))

let bestPractices () =
    let s = synth "BestPractices" Guide.bestPractices
    json "BestPractices/shop/web: tags project, environment, team"
        """[{"Key":"environment","Value":"prod"},{"Key":"project","Value":"shop"},{"Key":"team","Value":"platform"}]"""
        (fun () -> prop "shop/web" "Tags" s)
    json "BestPractices: shop/ images replicate to eu-west-1"
        """{"Rules":[{"Destinations":[{"Region":"eu-west-1","RegistryId":{"Ref":"AWS::AccountId"}}],"RepositoryFilters":[{"Filter":"shop/","FilterType":"PREFIX_MATCH"}]}]}"""
        (fun () -> (resource "AWS::ECR::ReplicationConfiguration" s |> at [ "Properties"; "ReplicationConfiguration" ]))

/// The README's examples: shown word for word, and they synthesize what they say.
let readme () =
    let readmeText = File.ReadAllText(Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "..", "README.md")).Replace("\r\n", "\n")
    let region (file: string) =
        let text = File.ReadAllText(Path.Combine(__SOURCE_DIRECTORY__, file)).Replace("\r\n", "\n")
        let m = Regex.Match(text, @"// README begin\n(.*?)// README end\n", RegexOptions.Singleline)
        if not m.Success then failwithf "%s: no README begin/end markers" file
        m.Groups[1].Value
    let shown (fence: string) (file: string) =
        equal (sprintf "README: the ```%s example is %s, word for word" fence file) true (fun () ->
            readmeText.Contains(sprintf "```%s\n%s```\n" fence (region file)))
    shown "fsharp" "ReadmeExample.fs"
    shown "csharp" "ReadmeCSharp/ReadmeExample.cs"
    let f = synth "ReadmeFSharp" ReadmeExample.images
    equal "README F#: my-app-dev untagged 7 days, then keep 10" [ untaggedAfter 1 7; keepLast 2 10 ] (fun () -> rules "my-app-dev" f)
    equal "README F#: my-app-prod the standard prod rules" [ untaggedAfter 1 14; keepLast 2 30 ] (fun () -> rules "my-app-prod" f)
    json "README F#: my-app-prod IMMUTABLE" "\"IMMUTABLE\"" (fun () -> prop "my-app-prod" "ImageTagMutability" f)
    equal "README F#: the task's image is my-app-prod" true (fun () ->
        (containerImage f).Contains(refTo (logicalId "AWS::ECR::Repository" "Prod" f)))
    let c = synth "ReadmeCSharp" (fun stack -> Images.Build stack)
    secureDefaults "ReadmeCSharp" "my-app-prod" c "IMMUTABLE"
    equal "README C#: my-service rules, the keep rule last" [ taggedAfter 1 "pr-" 3; untaggedAfter 2 1; keepLast 3 20 ] (fun () -> rules "my-service" c)
    json "README C#: 222222222222 may pull from my-service"
        (sprintf """[{"Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Effect":"Allow","Principal":%s,"Sid":"PullFromAccounts"}]""" (accountRoot "222222222222"))
        (fun () -> (prop "my-service" "RepositoryPolicyText" c)["Statement"])
    equal "README C#: the deployer may pull from my-app-prod" true (fun () ->
        roleStatements "Deployer" c |> List.exists (fun st -> actions st |> List.contains "ecr:BatchGetImage"))

[<EntryPoint>]
let main _ =
    section "Lifecycle Rule Helpers" lifecycleRuleHelpers
    section "Basic Repository" basicEcr
    section "Repository with Lifecycle Rules" ecrWithLifecycle
    section "Repository with Standard Lifecycle Policies" ecrStandardPolicies
    section "Repository with Custom Lifecycle Rules" ecrCustomLifecycle
    section "Immutable Tags" immutableTags
    section "Repository for Development" devRepository
    section "Image Scanning" imageScanning
    section "Cross-Account Access" crossAccountAccess
    section "Repository Policy" repositoryPolicy
    section "Escape Hatch" escapeHatch
    section "Rules written out" ownRules
    section "Integration with ECS" containerStack
    section "Best Practices" bestPractices
    section "README examples" readme
    summary ()
