/// The F# example of the README's ".NET (C# and F#)" section: the lines between the markers are in the README
/// word for word (Program.fs checks it), and Program.fs synthesizes `images` and checks its template.
module ReadmeExample

// README begin
open Amazon.CDK
open Amazon.CDK.AWS.ECR
open Amazon.CDK.AWS.ECS
open CdkSecureEcr

let images (stack: Stack) =
    // FsCDK: ecrRepository "my-app-dev" { lifecycleRule (ECRHelpers.deleteUntaggedAfterDays 7)
    //                                     lifecycleRule (ECRHelpers.keepLastNImages 10) }
    EcrRepository(stack, "Dev", EcrRepositoryProps(
        RepositoryName = "my-app-dev",
        LifecycleRules = [| EcrLifecycleRules.DeleteUntaggedAfterDays 7; EcrLifecycleRules.KeepLastNImages 10 |]))
    |> ignore

    // FsCDK: ecrRepository "my-app-prod" { ...14 days, 30 images...; imageTagMutability TagMutability.IMMUTABLE }
    let prod = EcrRepository(stack, "Prod", EcrRepositoryProps(
        RepositoryName = "my-app-prod",
        ImageTagMutability = TagMutability.IMMUTABLE,
        LifecycleRules = EcrLifecycleRules.StandardProd()))  // or EcrRepository.ForProduction(stack, "Prod", ...)

    // The repository is an IRepository itself: no `.Repository` needed.
    let task = FargateTaskDefinition(stack, "Task")
    task.AddContainer("app", ContainerDefinitionOptions(Image = ContainerImage.FromEcrRepository(prod, "v1.0.0")))
    |> ignore
// README end
