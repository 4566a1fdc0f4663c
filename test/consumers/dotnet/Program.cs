// A .NET CDK app that uses cdk-secure-ecr as a user would, then checks the template it synthesized.
// Every language under test/consumers/ builds this same stack (see ../README.md). Exits 1 when a check fails,
// after printing every check with the repository and setting it is about.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using CdkSecureEcr;

const string StackName = "ConsumerStack";

var app = new App();
var stack = new Stack(app, StackName);

var basic = new EcrRepository(stack, "Basic");
var prod = EcrRepository.ForProduction(stack, "Prod");
EcrRepository.ForDevelopment(stack, "Dev");
new EcrRepository(stack, "Custom", new EcrRepositoryProps
{
    RepositoryName = "consumer-custom",
    // Declared with the `any` rule first: it must still be evaluated last.
    LifecycleRules = new IEcrLifecycleRule[]
    {
        EcrLifecycleRules.KeepLastNImages(20),
        EcrLifecycleRules.DeleteTaggedAfterDays("pr-", 3),
        EcrLifecycleRules.DeleteTaggedAfterDays("feature-", 7),
        EcrLifecycleRules.DeleteUntaggedAfterDays(1),
    },
});
var key = new Key(stack, "RepoKey", new KeyProps { EnableKeyRotation = true });
new EcrRepository(stack, "Encrypted", new EcrRepositoryProps { EncryptionKey = key });
var puller = new Role(stack, "Puller", new RoleProps { AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com") });
basic.GrantPull(puller);

// An EcrRepository is an ecr.IRepository: aws-cdk-lib takes it as it is.
var task = new FargateTaskDefinition(stack, "Task");
task.AddContainer("app", new ContainerDefinitionOptions { Image = ContainerImage.FromEcrRepository(prod, "v1") });
new DockerImageFunction(stack, "Fn", new DockerImageFunctionProps
{
    Code = DockerImageCode.FromEcr(prod, new EcrImageCodeProps { TagOrDigest = "v1" }),
});

// Read the template from the cloud assembly on disk: plain JSON, whatever the runtime's object model.
var templatePath = app.Synth().GetStackByName(StackName).TemplateFullPath;
var resources = JsonNode.Parse(File.ReadAllText(templatePath))!["Resources"]!.AsObject();

var passed = 0;
var failed = 0;
void Check(string what, object? want, JsonNode? got)
{
    var wantJson = JsonSerializer.Serialize(want);
    var gotJson = got?.ToJsonString() ?? "null";
    if (JsonNode.DeepEquals(JsonNode.Parse(wantJson), got))
    {
        passed++;
        Console.WriteLine($"PASS {what}");
    }
    else
    {
        failed++;
        Console.WriteLine($"FAIL {what}: want {wantJson}, got {gotJson}");
    }
}

string LogicalId(string type, string constructId)
{
    var ids = resources.Where(r => (string?)r.Value!["Type"] == type && r.Key.StartsWith(constructId)).Select(r => r.Key).ToList();
    if (ids.Count != 1) throw new Exception($"expected one {type} under '{constructId}', found [{string.Join(", ", ids)}]");
    return ids[0];
}
JsonNode Repository(string constructId) => resources[LogicalId("AWS::ECR::Repository", constructId)]!;
JsonNode? Prop(string constructId, string name) => Repository(constructId)["Properties"]![name];

// [priority, tagStatus, tag prefixes, countType, countNumber] per rule, in priority order.
JsonNode? Rules(string constructId)
{
    var text = (string)Prop(constructId, "LifecyclePolicy")!["LifecyclePolicyText"]!;
    var rules = JsonNode.Parse(text)!["rules"]!.AsArray().OrderBy(r => (int)r!["rulePriority"]!);
    return JsonNode.Parse(JsonSerializer.Serialize(rules.Select(r => new object?[]
    {
        (int)r!["rulePriority"]!, (string?)r["selection"]!["tagStatus"], r["selection"]!["tagPrefixList"],
        (string?)r["selection"]!["countType"], (int)r["selection"]!["countNumber"]!,
    })));
}

Check("Basic: ImageScanningConfiguration", new { ScanOnPush = true }, Prop("Basic", "ImageScanningConfiguration"));
Check("Basic: ImageTagMutability", "MUTABLE", Prop("Basic", "ImageTagMutability"));
Check("Basic: EncryptionConfiguration", new { EncryptionType = "AES256" }, Prop("Basic", "EncryptionConfiguration"));
Check("Basic: DeletionPolicy", "Retain", Repository("Basic")["DeletionPolicy"]);
Check("Basic: UpdateReplacePolicy", "Retain", Repository("Basic")["UpdateReplacePolicy"]);
Check("Prod: ImageTagMutability", "IMMUTABLE", Prop("Prod", "ImageTagMutability"));
Check("Prod: ImageScanningConfiguration", new { ScanOnPush = true }, Prop("Prod", "ImageScanningConfiguration"));
Check("Prod: DeletionPolicy", "Retain", Repository("Prod")["DeletionPolicy"]);
Check("Prod: lifecycle rules", new object?[]
{
    new object?[] { 1, "untagged", null, "sinceImagePushed", 14 },
    new object?[] { 2, "any", null, "imageCountMoreThan", 30 },
}, Rules("Prod"));
Check("Dev: ImageTagMutability", "MUTABLE", Prop("Dev", "ImageTagMutability"));
Check("Dev: EmptyOnDelete", true, Prop("Dev", "EmptyOnDelete"));
Check("Dev: DeletionPolicy", "Delete", Repository("Dev")["DeletionPolicy"]);
Check("Dev: lifecycle rules", new object?[]
{
    new object?[] { 1, "untagged", null, "sinceImagePushed", 7 },
    new object?[] { 2, "any", null, "imageCountMoreThan", 10 },
}, Rules("Dev"));
Check("Custom: lifecycle rules in declared order, any last", new object?[]
{
    new object?[] { 1, "tagged", new[] { "pr-" }, "sinceImagePushed", 3 },
    new object?[] { 2, "tagged", new[] { "feature-" }, "sinceImagePushed", 7 },
    new object?[] { 3, "untagged", null, "sinceImagePushed", 1 },
    new object?[] { 4, "any", null, "imageCountMoreThan", 20 },
}, Rules("Custom"));
Check("Custom: RepositoryName", "consumer-custom", Prop("Custom", "RepositoryName"));
var customRules = JsonNode.Parse((string)Prop("Custom", "LifecyclePolicy")!["LifecyclePolicyText"]!)!["rules"]!.AsArray();
Check("Custom: every rule expires and is described", true,
    customRules.All(r => (string?)r!["action"]!["type"] == "expire" && !string.IsNullOrEmpty((string?)r["description"])));
Check("Custom: age rules count in days", true,
    customRules.Where(r => (string?)r!["selection"]!["countType"] == "sinceImagePushed").All(r => (string?)r!["selection"]!["countUnit"] == "days"));
Check("Encrypted: EncryptionConfiguration",
    new Dictionary<string, object> { ["EncryptionType"] = "KMS", ["KmsKey"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { LogicalId("AWS::KMS::Key", "RepoKey"), "Arn" } } },
    Prop("Encrypted", "EncryptionConfiguration"));

var role = LogicalId("AWS::IAM::Role", "Puller");
var statements = resources
    .Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy" && r.Value!["Properties"]!["Roles"]!.AsArray().Any(x => (string?)x!["Ref"] == role))
    .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
    .ToList();
List<string> Actions(JsonNode s) => s["Action"] is JsonArray a ? a.Select(x => (string)x!).ToList() : new List<string> { (string)s["Action"]! };
var pull = statements.FirstOrDefault(s => Actions(s!).Contains("ecr:BatchGetImage"));
Check("Puller: pull statement Resource",
    new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { LogicalId("AWS::ECR::Repository", "Basic"), "Arn" } },
    pull?["Resource"]);
Check("Puller: pull actions include the layer actions", true,
    pull != null && Actions(pull).Contains("ecr:BatchCheckLayerAvailability") && Actions(pull).Contains("ecr:GetDownloadUrlForLayer"));
Check("Puller: grantPull does not allow push", false, pull != null && Actions(pull).Contains("ecr:PutImage"));
Check("Puller: ecr:GetAuthorizationToken on *", true,
    statements.Any(s => Actions(s!).Contains("ecr:GetAuthorizationToken") && (string?)s!["Resource"] == "*"));

// An EcrRepository is an ecr.IRepository: the task definition and the function take it as it is.
var prodRef = new Dictionary<string, object> { ["Ref"] = LogicalId("AWS::ECR::Repository", "Prod") };
bool PointsAtProdV1(JsonNode? uri) => uri?["Fn::Join"]?[1] is JsonArray parts
    && parts.Any(p => JsonNode.DeepEquals(p, JsonNode.Parse(JsonSerializer.Serialize(prodRef)))) && parts.Any(p => p?.ToJsonString() == "\":v1\"");
Check("Task: image is Prod's repository at v1", true,
    PointsAtProdV1(resources[LogicalId("AWS::ECS::TaskDefinition", "Task")]!["Properties"]!["ContainerDefinitions"]![0]!["Image"]));
Check("Fn: ImageUri is Prod's repository at v1", true,
    PointsAtProdV1(resources[LogicalId("AWS::Lambda::Function", "Fn")]!["Properties"]!["Code"]!["ImageUri"]));

// ---- Registry features: a second app and stack, RegistryStack (the same in every language, see ../README.md) ----
const string RegistryStackName = "RegistryStack";
var registryApp = new App();
var registryStack = new Stack(registryApp, RegistryStackName);
EcrRepository.ForCompliance(registryStack, "Compliance");
new EcrRepositoryCreationTemplate(registryStack, "Template", new EcrRepositoryCreationTemplateProps
{
    Prefix = "ROOT",
    AppliedFor = new[] { RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH },
    Encryption = Amazon.CDK.AWS.ECR.RepositoryEncryption.KMS,
    Tags = new Dictionary<string, string> { ["team"] = "platform" },
});
new EcrPullThroughCache(registryStack, "Cache", new EcrPullThroughCacheProps { Upstream = UpstreamRegistry.ECR_PUBLIC })
    .AddRepositoryCreationTemplate("Template");
new EcrPullTimeUpdateExclusion(registryStack, "ScannerExclusion", new EcrPullTimeUpdateExclusionProps
{
    Principal = Role.FromRoleArn(registryStack, "Scanner", "arn:aws:iam::111111111111:role/scanner"),
});
var signing = new EcrManagedSigning(registryStack, "Signing", new EcrManagedSigningProps { RepositoryFilters = new[] { "prod/*" } });
signing.GrantSign(new Role(registryStack, "Pusher", new RoleProps { AssumedBy = new AccountPrincipal("111111111111") }));
new EcrRegistryPolicy(registryStack, "RegistryPolicy").AllowReplicationFrom(new[] { "222222222222" });

var registryPath = registryApp.Synth().GetStackByName(RegistryStackName).TemplateFullPath;
var registryResources = JsonNode.Parse(File.ReadAllText(registryPath))!["Resources"]!.AsObject();
string RegistryId(string type, string constructId)
{
    var ids = registryResources.Where(r => (string?)r.Value!["Type"] == type && r.Key.StartsWith(constructId)).Select(r => r.Key).ToList();
    if (ids.Count != 1) throw new Exception($"expected one {type} under '{constructId}', found [{string.Join(", ", ids)}]");
    return ids[0];
}
JsonNode RegistryProps(string type, string constructId) => registryResources[RegistryId(type, constructId)]!["Properties"]!;
Dictionary<string, object> ArnOf(string logicalId) => new() { ["Fn::GetAtt"] = new[] { logicalId, "Arn" } };

var compliance = RegistryProps("AWS::ECR::Repository", "Compliance");
Check("Compliance: ImageTagMutability", "IMMUTABLE", compliance["ImageTagMutability"]);
Check("Compliance: ImageScanningConfiguration", new { ScanOnPush = true }, compliance["ImageScanningConfiguration"]);
Check("Compliance: EncryptionConfiguration",
    new Dictionary<string, object> { ["EncryptionType"] = "KMS", ["KmsKey"] = ArnOf(RegistryId("AWS::KMS::Key", "Compliance")) },
    compliance["EncryptionConfiguration"]);
var deny = RegistryProps("AWS::KMS::Key", "Compliance")["KeyPolicy"]!["Statement"]!.AsArray().Where(s => (string?)s!["Effect"] == "Deny").ToList();
Check("Compliance key: one Deny kms:CreateGrant (CT.KMS.PR.3)", "kms:CreateGrant", deny.Count == 1 ? deny[0]!["Action"] : null);
Check("Compliance key: Deny condition",
    new Dictionary<string, object> { ["BoolIfExists"] = new Dictionary<string, string> { ["kms:GrantIsForAWSResource"] = "false", ["aws:PrincipalIsAWSService"] = "false" } },
    deny.Count == 1 ? deny[0]!["Condition"] : null);
var creationTemplate = RegistryProps("AWS::ECR::RepositoryCreationTemplate", "Template");
Check("Template: Prefix", "ROOT", creationTemplate["Prefix"]);
Check("Template: AppliedFor", new[] { "CREATE_ON_PUSH" }, creationTemplate["AppliedFor"]);
Check("Template: ImageTagMutability", "MUTABLE", creationTemplate["ImageTagMutability"]);
Check("Template: ResourceTags", new[] { new { Key = "team", Value = "platform" } }, creationTemplate["ResourceTags"]);
Check("Template: CustomRoleArn", ArnOf(RegistryId("AWS::IAM::Role", "Template")), creationTemplate["CustomRoleArn"]);
var cacheTemplate = RegistryProps("AWS::ECR::RepositoryCreationTemplate", "Cache");
Check("Cache template: Prefix", "ecr-public", cacheTemplate["Prefix"]);
Check("Cache template: AppliedFor", new[] { "PULL_THROUGH_CACHE" }, cacheTemplate["AppliedFor"]);
Check("Cache template: EncryptionConfiguration", new { EncryptionType = "AES256" }, cacheTemplate["EncryptionConfiguration"]);
Check("ScannerExclusion: PrincipalArn", "arn:aws:iam::111111111111:role/scanner",
    RegistryProps("AWS::ECR::PullTimeUpdateExclusion", "ScannerExclusion")["PrincipalArn"]);
var profileArn = ArnOf(RegistryId("AWS::Signer::SigningProfile", "Signing"));
Check("Signing: Rules", new[] { new Dictionary<string, object>
{
    ["SigningProfileArn"] = profileArn,
    ["RepositoryFilters"] = new[] { new { Filter = "prod/*", FilterType = "WILDCARD_MATCH" } },
} }, RegistryProps("AWS::ECR::SigningConfiguration", "Signing")["Rules"]);
var signStatement = JsonNode.Parse(JsonSerializer.Serialize(new Dictionary<string, object> { ["Effect"] = "Allow", ["Action"] = "signer:SignPayload", ["Resource"] = profileArn }));
Check("Pusher: signer:SignPayload on the profile", true,
    RegistryProps("AWS::IAM::Policy", "Pusher")["PolicyDocument"]!["Statement"]!.AsArray().Any(s => JsonNode.DeepEquals(s, signStatement)));
Check("RegistryPolicy: actions", new[] { new[] { "ecr:CreateRepository", "ecr:ReplicateImage" } },
    JsonNode.Parse(JsonSerializer.Serialize(RegistryProps("AWS::ECR::RegistryPolicy", "RegistryPolicy")["PolicyText"]!["Statement"]!.AsArray().Select(s => s!["Action"]))));
// ---- end of the registry features ----

// ---- Called from C#: the lifecycle preview, and the library's own errors as exceptions ----
// The images of the README's preview example, once from `aws ecr describe-images` output and once built in C#.
var describeImagesOutput = "{\"imageDetails\": ["
    + "{\"imageDigest\": \"sha256:1a2b\", \"imageTags\": [\"v1.0.0\"], \"imagePushedAt\": \"2026-01-10T09:00:00+00:00\"},"
    + "{\"imageDigest\": \"sha256:3c4d\", \"imagePushedAt\": 1779265800.0}]}";
var fromCli = ImageInventory.FromDescribeImagesOutput(describeImagesOutput);
var builtInCSharp = new IImageDetail[]
{
    new ImageDetail { Digest = "sha256:1a2b", Tags = new[] { "v1.0.0" }, PushedAt = new DateTime(2026, 1, 10, 9, 0, 0, DateTimeKind.Utc) },
    new ImageDetail { Digest = "sha256:3c4d", PushedAt = DateTimeOffset.FromUnixTimeSeconds(1779265800).UtcDateTime },
};
var standardProd = EcrLifecyclePolicy.FromRules(EcrLifecycleRules.StandardProd());
foreach (var (source, images) in new[] { ("describe-images", fromCli), ("C# ImageDetail", builtInCSharp) })
{
    var preview = standardProd.Preview(images, new LifecyclePreviewOptions { Now = new DateTime(2026, 6, 10, 12, 0, 0, DateTimeKind.Utc) });
    Check($"Preview ({source}): expired", new[] { new object?[] { "sha256:3c4d", 1, "expired by rule 1 (untagged images): pushed 21.1 days ago, more than 14 days" } },
        JsonNode.Parse(JsonSerializer.Serialize(preview.Expired.Select(v => new object?[] { v.Digest, v.RulePriority, v.Reason }))));
    Check($"Preview ({source}): kept", new[] { new object?[] { "sha256:1a2b", new[] { "v1.0.0" }, 2 } },
        JsonNode.Parse(JsonSerializer.Serialize(preview.Kept.Select(v => new object?[] { v.Digest, v.Tags, v.RulePriority }))));
    Check($"Preview ({source}): kept image is in STANDARD storage", true, preview.Kept.All(v => v.StorageClass == ImageStorageClass.STANDARD));
    Check($"Preview ({source}): nothing transitioned, no warnings", new[] { 0, 0 }, JsonNode.Parse(JsonSerializer.Serialize(new[] { preview.Transitioned.Length, preview.Warnings.Length })));
}
Check("Policy JSON from C#: two rules", 2, JsonNode.Parse(standardProd.ToJson())!["rules"]!.AsArray().Count);

// Bad input reaches C# as an exception carrying the library's own message (construct path, bad value, fix).
string? ErrorOf(Action action)
{
    try { action(); return null; }
    catch (Exception e) { return e.Message; }
}
var badStack = new Stack(new App(), "BadStack");
var badName = ErrorOf(() => new EcrRepository(badStack, "Bad", new EcrRepositoryProps { RepositoryName = "Bad_Name" }));
Check("Bad repositoryName: exception names the path and the value", true,
    badName != null && badName.Contains("BadStack/Bad: invalid EcrRepository props") && badName.Contains("repositoryName 'Bad_Name' is not a valid ECR name"));
var badCount = ErrorOf(() => EcrLifecycleRules.KeepLastNImages(0));
Check("KeepLastNImages(0): exception says what is wrong", true,
    badCount != null && badCount.Contains("keepLastNImages: count must be a whole number >= 1, got 0"));
var emptyPolicy = ErrorOf(() => EcrLifecyclePolicy.FromJson("{\"rules\":[]}"));
Check("FromJson with no rules: exception says ECR refuses it", true,
    emptyPolicy != null && emptyPolicy.Contains("a lifecycle policy needs at least one rule"));
if (failed > 0 || badName == null) Console.WriteLine($"(the exception messages seen: {badName} | {badCount} | {emptyPolicy})");

Console.WriteLine($"dotnet consumer: {passed} checks passed, {failed} failed");
return failed == 0 ? 0 : 1;
