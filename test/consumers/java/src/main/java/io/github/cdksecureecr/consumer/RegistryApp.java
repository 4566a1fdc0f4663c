// The registry features of cdk-secure-ecr in a Java app of their own (a second stack, RegistryStack): the
// compliance preset, a repository creation template, a pull through cache rule with its one-line template, a
// pull-time update exclusion, managed signing and the registry policy. RegistryAppTest checks its template;
// every language under test/consumers/ builds the same stack (see ../README.md).
package io.github.cdksecureecr.consumer;

import io.github.cdksecureecr.EcrManagedSigning;
import io.github.cdksecureecr.EcrPullThroughCache;
import io.github.cdksecureecr.EcrPullTimeUpdateExclusion;
import io.github.cdksecureecr.EcrRegistryPolicy;
import io.github.cdksecureecr.EcrRepository;
import io.github.cdksecureecr.EcrRepositoryCreationTemplate;
import io.github.cdksecureecr.RepositoryCreationTemplateAppliedFor;
import io.github.cdksecureecr.UpstreamRegistry;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ecr.RepositoryEncryption;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.Role;

public final class RegistryApp {
    public static final String STACK_NAME = "RegistryStack";

    private RegistryApp() {}

    /** Builds the app: one stack with every registry construct the library offers. */
    public static App build() {
        App app = new App();
        Stack stack = new Stack(app, STACK_NAME);

        EcrRepository.forCompliance(stack, "Compliance");
        EcrRepositoryCreationTemplate.Builder.create(stack, "Template")
                .prefix("ROOT")
                .appliedFor(List.of(RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH))
                .encryption(RepositoryEncryption.KMS)
                .tags(Map.of("team", "platform"))
                .build();
        EcrPullThroughCache.Builder.create(stack, "Cache").upstream(UpstreamRegistry.ECR_PUBLIC).build()
                .addRepositoryCreationTemplate("Template");
        EcrPullTimeUpdateExclusion.Builder.create(stack, "ScannerExclusion")
                .principal(Role.fromRoleArn(stack, "Scanner", "arn:aws:iam::111111111111:role/scanner"))
                .build();
        EcrManagedSigning signing = EcrManagedSigning.Builder.create(stack, "Signing")
                .repositoryFilters(List.of("prod/*"))
                .build();
        signing.grantSign(Role.Builder.create(stack, "Pusher").assumedBy(new AccountPrincipal("111111111111")).build());
        new EcrRegistryPolicy(stack, "RegistryPolicy").allowReplicationFrom(List.of("222222222222"));
        return app;
    }

    /** Synthesizes the app and returns the CloudFormation template of its one stack. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> synthTemplate() {
        return (Map<String, Object>) build().synth().getStackByName(STACK_NAME).getTemplate();
    }
}
