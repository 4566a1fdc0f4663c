// The C# example of the README's ".NET (C# and F#)" section: the lines between the markers are in the README
// word for word, and ../Program.fs runs Images.Build and checks its template.
// README begin
using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using CdkSecureEcr;

public static class Images
{
    public static void Build(Stack stack)
    {
        var prod = EcrRepository.ForProduction(stack, "Prod", new EcrRepositoryProps { RepositoryName = "my-app-prod" });

        new EcrRepository(stack, "Service", new EcrRepositoryProps
        {
            RepositoryName = "my-service",
            LifecycleRules = new[]
            {
                EcrLifecycleRules.DeleteTaggedAfterDays("pr-", 3),
                EcrLifecycleRules.DeleteUntaggedAfterDays(1),
                EcrLifecycleRules.KeepLastNImages(20),
            },
            PullAccounts = new[] { "222222222222" },
        });

        var task = new FargateTaskDefinition(stack, "Task");
        task.AddContainer("app", new ContainerDefinitionOptions { Image = ContainerImage.FromEcrRepository(prod, "v1.0.0") });
        prod.GrantPull(new Role(stack, "Deployer", new RoleProps { AssumedBy = new AccountPrincipal("333333333333") }));
    }
}
// README end
