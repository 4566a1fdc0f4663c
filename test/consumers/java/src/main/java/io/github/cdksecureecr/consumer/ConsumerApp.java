// A Java CDK app that uses cdk-secure-ecr as a user would. ConsumerAppTest synthesizes it and checks the
// template; every language under test/consumers/ builds this same stack (see ../README.md).
package io.github.cdksecureecr.consumer;

import io.github.cdksecureecr.EcrLifecycleRules;
import io.github.cdksecureecr.EcrRepository;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.lambda.DockerImageCode;
import software.amazon.awscdk.services.lambda.DockerImageFunction;
import software.amazon.awscdk.services.lambda.EcrImageCodeProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;

public final class ConsumerApp {
    public static final String STACK_NAME = "ConsumerStack";

    private ConsumerApp() {}

    /** Builds the app: one stack with every kind of repository the library offers. */
    public static App build() {
        App app = new App();
        Stack stack = new Stack(app, STACK_NAME);

        EcrRepository basic = new EcrRepository(stack, "Basic");
        EcrRepository prod = EcrRepository.forProduction(stack, "Prod");
        EcrRepository.forDevelopment(stack, "Dev");
        EcrRepository.Builder.create(stack, "Custom")
                .repositoryName("consumer-custom")
                // Declared with the `any` rule first: it must still be evaluated last.
                .lifecycleRules(List.of(
                        EcrLifecycleRules.keepLastNImages(20),
                        EcrLifecycleRules.deleteTaggedAfterDays("pr-", 3),
                        EcrLifecycleRules.deleteTaggedAfterDays("feature-", 7),
                        EcrLifecycleRules.deleteUntaggedAfterDays(1)))
                .build();
        Key key = Key.Builder.create(stack, "RepoKey").enableKeyRotation(true).build();
        EcrRepository.Builder.create(stack, "Encrypted").encryptionKey(key).build();

        Role puller = Role.Builder.create(stack, "Puller")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .build();
        basic.grantPull(puller);

        // An EcrRepository is an ecr.IRepository: aws-cdk-lib takes it as it is.
        FargateTaskDefinition task = new FargateTaskDefinition(stack, "Task");
        task.addContainer("app", ContainerDefinitionOptions.builder().image(ContainerImage.fromEcrRepository(prod, "v1")).build());
        DockerImageFunction.Builder.create(stack, "Fn")
                .code(DockerImageCode.fromEcr(prod, EcrImageCodeProps.builder().tagOrDigest("v1").build()))
                .build();
        return app;
    }

    /** Synthesizes the app and returns the CloudFormation template of its one stack. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> synthTemplate() {
        return (Map<String, Object>) build().synth().getStackByName(STACK_NAME).getTemplate();
    }

    public static void main(String[] args) {
        System.out.println(synthTemplate().get("Resources"));
    }
}
