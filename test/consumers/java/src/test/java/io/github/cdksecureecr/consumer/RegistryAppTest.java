// Checks the template that RegistryApp synthesizes with the cdk-secure-ecr jar from dist/java.
// Each assertion message names the construct and the setting, so a failure says what broke.
package io.github.cdksecureecr.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAppTest {
    private Map<String, Object> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void synthesize() {
        resources = (Map<String, Object>) RegistryApp.synthTemplate().get("Resources");
    }

    /** The logical ID of the one resource of `type` under the construct `constructId`. */
    @SuppressWarnings("unchecked")
    private String logicalId(String type, String constructId) {
        List<String> ids = resources.entrySet().stream()
                .filter(e -> type.equals(((Map<String, Object>) e.getValue()).get("Type")) && e.getKey().startsWith(constructId))
                .map(Map.Entry::getKey)
                .toList();
        assertEquals(1, ids.size(), "expected one " + type + " under '" + constructId + "', found " + ids);
        return ids.get(0);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> props(String type, String constructId) {
        return (Map<String, Object>) ((Map<String, Object>) resources.get(logicalId(type, constructId))).get("Properties");
    }

    private static Map<String, Object> arnOf(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    @Test
    void compliancePresetIsImmutableScannedAndEncryptedWithItsOwnKey() {
        Map<String, Object> props = props("AWS::ECR::Repository", "Compliance");
        assertEquals("IMMUTABLE", props.get("ImageTagMutability"), "Compliance: ImageTagMutability");
        assertEquals(Map.of("ScanOnPush", true), props.get("ImageScanningConfiguration"), "Compliance: ImageScanningConfiguration");
        assertEquals(Map.of("EncryptionType", "KMS", "KmsKey", arnOf(logicalId("AWS::KMS::Key", "Compliance"))),
                props.get("EncryptionConfiguration"), "Compliance: EncryptionConfiguration");
    }

    @Test
    @SuppressWarnings("unchecked")
    void createdKeyDeniesCreateGrantUnlessForAnAwsResource() {
        Map<String, Object> policy = (Map<String, Object>) props("AWS::KMS::Key", "Compliance").get("KeyPolicy");
        List<Map<String, Object>> deny = ((List<Map<String, Object>>) policy.get("Statement")).stream()
                .filter(s -> "Deny".equals(s.get("Effect"))).toList();
        assertEquals(1, deny.size(), "Compliance key: want one Deny statement (CT.KMS.PR.3), got " + deny);
        assertEquals("kms:CreateGrant", deny.get(0).get("Action"), "Compliance key: Deny action");
        assertEquals(Map.of("BoolIfExists", Map.of("kms:GrantIsForAWSResource", "false", "aws:PrincipalIsAWSService", "false")),
                deny.get(0).get("Condition"), "Compliance key: Deny condition");
    }

    @Test
    void creationTemplateWithKmsAndTagsUsesACreatedRole() {
        Map<String, Object> props = props("AWS::ECR::RepositoryCreationTemplate", "Template");
        assertEquals("ROOT", props.get("Prefix"), "Template: Prefix");
        assertEquals(List.of("CREATE_ON_PUSH"), props.get("AppliedFor"), "Template: AppliedFor");
        assertEquals("MUTABLE", props.get("ImageTagMutability"), "Template: ImageTagMutability");
        assertEquals(List.of(Map.of("Key", "team", "Value", "platform")), props.get("ResourceTags"), "Template: ResourceTags");
        assertEquals(arnOf(logicalId("AWS::IAM::Role", "Template")), props.get("CustomRoleArn"), "Template: CustomRoleArn");
    }

    @Test
    void pullThroughCacheCreatesItsTemplateInOneLine() {
        Map<String, Object> props = props("AWS::ECR::RepositoryCreationTemplate", "Cache");
        assertEquals("ecr-public", props.get("Prefix"), "Cache template: Prefix");
        assertEquals(List.of("PULL_THROUGH_CACHE"), props.get("AppliedFor"), "Cache template: AppliedFor");
        assertEquals(Map.of("EncryptionType", "AES256"), props.get("EncryptionConfiguration"), "Cache template: EncryptionConfiguration");
    }

    @Test
    void pullTimeUpdateExclusionNamesTheRole() {
        assertEquals("arn:aws:iam::111111111111:role/scanner",
                props("AWS::ECR::PullTimeUpdateExclusion", "ScannerExclusion").get("PrincipalArn"), "ScannerExclusion: PrincipalArn");
    }

    @Test
    @SuppressWarnings("unchecked")
    void managedSigningSignsTheFilteredRepositoriesAndThePusherMaySign() {
        Map<String, Object> profileArn = arnOf(logicalId("AWS::Signer::SigningProfile", "Signing"));
        assertEquals(List.of(Map.of("SigningProfileArn", profileArn,
                        "RepositoryFilters", List.of(Map.of("Filter", "prod/*", "FilterType", "WILDCARD_MATCH")))),
                props("AWS::ECR::SigningConfiguration", "Signing").get("Rules"), "Signing: Rules");
        Map<String, Object> document = (Map<String, Object>) props("AWS::IAM::Policy", "Pusher").get("PolicyDocument");
        List<Object> statements = (List<Object>) document.get("Statement");
        assertTrue(statements.contains(Map.of("Effect", "Allow", "Action", "signer:SignPayload", "Resource", profileArn)),
                "Pusher: want signer:SignPayload on the profile, got " + statements);
    }

    @Test
    @SuppressWarnings("unchecked")
    void registryPolicyAllowsReplicationFromTheSourceAccount() {
        Map<String, Object> text = (Map<String, Object>) props("AWS::ECR::RegistryPolicy", "RegistryPolicy").get("PolicyText");
        List<Map<String, Object>> statements = (List<Map<String, Object>>) text.get("Statement");
        assertEquals(List.of(List.of("ecr:CreateRepository", "ecr:ReplicateImage")),
                statements.stream().map(s -> s.get("Action")).toList(), "RegistryPolicy: actions");
    }
}
