// Checks the template that ConsumerApp synthesizes with the cdk-secure-ecr jar from dist/java.
// Each assertion message names the repository and the setting, so a failure says what broke.
package io.github.cdksecureecr.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerAppTest {
    private Map<String, Object> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void synthesize() {
        resources = (Map<String, Object>) ConsumerApp.synthTemplate().get("Resources");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> ofType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources.forEach((id, r) -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            if (type.equals(resource.get("Type"))) {
                found.put(id, resource);
            }
        });
        return found;
    }

    /** The logical ID of the one resource of `type` under the construct `constructId`. */
    private String logicalId(String type, String constructId) {
        List<String> ids = ofType(type).keySet().stream().filter(id -> id.startsWith(constructId)).toList();
        assertEquals(1, ids.size(), "expected one " + type + " under '" + constructId + "', found " + ids);
        return ids.get(0);
    }

    private Map<String, Object> repository(String constructId) {
        return ofType("AWS::ECR::Repository").get(logicalId("AWS::ECR::Repository", constructId));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> props(String constructId) {
        return (Map<String, Object>) repository(constructId).get("Properties");
    }

    /** The repository's lifecycle rules, parsed from LifecyclePolicyText, in priority order. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> lifecycleRules(String constructId) {
        Object policy = props(constructId).get("LifecyclePolicy");
        assertTrue(policy instanceof Map, constructId + ": no LifecyclePolicy");
        Object text = ((Map<String, Object>) policy).get("LifecyclePolicyText");
        assertTrue(text instanceof String, constructId + ": LifecyclePolicyText is not a plain JSON string: " + text);
        try {
            Map<String, Object> document = new ObjectMapper().readValue((String) text, Map.class);
            List<Map<String, Object>> rules = new ArrayList<>((List<Map<String, Object>>) document.get("rules"));
            rules.sort(Comparator.comparingInt(r -> ((Number) r.get("rulePriority")).intValue()));
            return rules;
        } catch (java.io.IOException e) {
            throw new AssertionError(constructId + ": LifecyclePolicyText is not JSON: " + text, e);
        }
    }

    /** [priority, tagStatus, tag prefixes, countType, countNumber] of a rule: what a reviewer compares. */
    @SuppressWarnings("unchecked")
    private static List<Object> summary(Map<String, Object> rule) {
        Map<String, Object> selection = (Map<String, Object>) rule.get("selection");
        return Arrays.asList(((Number) rule.get("rulePriority")).intValue(), selection.get("tagStatus"),
                selection.get("tagPrefixList"), selection.get("countType"),
                ((Number) selection.get("countNumber")).intValue());
    }

    private List<List<Object>> summaries(String constructId) {
        return lifecycleRules(constructId).stream().map(ConsumerAppTest::summary).toList();
    }

    @Test
    void defaultRepositoryScansOnPush() {
        assertEquals(Map.of("ScanOnPush", true), props("Basic").get("ImageScanningConfiguration"),
                "Basic: ImageScanningConfiguration");
    }

    @Test
    void defaultRepositoryHasMutableTags() {
        assertEquals("MUTABLE", props("Basic").get("ImageTagMutability"), "Basic: ImageTagMutability");
    }

    @Test
    void defaultRepositoryStatesAes256Encryption() {
        assertEquals(Map.of("EncryptionType", "AES256"), props("Basic").get("EncryptionConfiguration"),
                "Basic: EncryptionConfiguration");
    }

    @Test
    void defaultRepositoryIsRetained() {
        assertEquals("Retain", repository("Basic").get("DeletionPolicy"), "Basic: DeletionPolicy");
        assertEquals("Retain", repository("Basic").get("UpdateReplacePolicy"), "Basic: UpdateReplacePolicy");
    }

    @Test
    void productionPresetIsImmutableRetainedAndScanned() {
        assertEquals("IMMUTABLE", props("Prod").get("ImageTagMutability"), "Prod: ImageTagMutability");
        assertEquals(Map.of("ScanOnPush", true), props("Prod").get("ImageScanningConfiguration"),
                "Prod: ImageScanningConfiguration");
        assertEquals("Retain", repository("Prod").get("DeletionPolicy"), "Prod: DeletionPolicy");
    }

    @Test
    void developmentPresetIsMutableAndDestroyedWithItsImages() {
        assertEquals("MUTABLE", props("Dev").get("ImageTagMutability"), "Dev: ImageTagMutability");
        assertEquals(true, props("Dev").get("EmptyOnDelete"), "Dev: EmptyOnDelete");
        assertEquals("Delete", repository("Dev").get("DeletionPolicy"), "Dev: DeletionPolicy");
    }

    static Stream<Arguments> presetRules() {
        return Stream.of(
                Arguments.of("Prod", List.of(
                        Arrays.asList(1, "untagged", null, "sinceImagePushed", 14),
                        Arrays.asList(2, "any", null, "imageCountMoreThan", 30))),
                Arguments.of("Dev", List.of(
                        Arrays.asList(1, "untagged", null, "sinceImagePushed", 7),
                        Arrays.asList(2, "any", null, "imageCountMoreThan", 10))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presetRules")
    void presetHasItsStandardRules(String constructId, List<List<Object>> want) {
        assertEquals(want, summaries(constructId),
                constructId + ": lifecycle rules [priority, tagStatus, prefixes, countType, countNumber]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void customRulesKeepDeclaredOrderWithTheAnyRuleLast() {
        assertEquals(List.of(
                Arrays.asList(1, "tagged", List.of("pr-"), "sinceImagePushed", 3),
                Arrays.asList(2, "tagged", List.of("feature-"), "sinceImagePushed", 7),
                Arrays.asList(3, "untagged", null, "sinceImagePushed", 1),
                Arrays.asList(4, "any", null, "imageCountMoreThan", 20)),
                summaries("Custom"), "Custom: lifecycle rules [priority, tagStatus, prefixes, countType, countNumber]");
        for (Map<String, Object> rule : lifecycleRules("Custom")) {
            Object priority = rule.get("rulePriority");
            assertEquals(Map.of("type", "expire"), rule.get("action"), "Custom: rule " + priority + " action");
            assertFalse(String.valueOf(rule.getOrDefault("description", "")).isEmpty(),
                    "Custom: rule " + priority + " has no description");
            Map<String, Object> selection = (Map<String, Object>) rule.get("selection");
            if ("sinceImagePushed".equals(selection.get("countType"))) {
                assertEquals("days", selection.get("countUnit"), "Custom: rule " + priority + " countUnit");
            }
        }
    }

    @Test
    void customRepositoryKeepsItsName() {
        assertEquals("consumer-custom", props("Custom").get("RepositoryName"), "Custom: RepositoryName");
    }

    @Test
    void encryptionKeySwitchesToKmsWithThatKey() {
        String key = logicalId("AWS::KMS::Key", "RepoKey");
        assertEquals(Map.of("EncryptionType", "KMS", "KmsKey", Map.of("Fn::GetAtt", List.of(key, "Arn"))),
                props("Encrypted").get("EncryptionConfiguration"), "Encrypted: EncryptionConfiguration");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grantPullGivesTheRolePullActionsOnTheRepository() {
        String role = logicalId("AWS::IAM::Role", "Puller");
        List<Map<String, Object>> policies = ofType("AWS::IAM::Policy").values().stream()
                .filter(p -> ((List<Object>) ((Map<String, Object>) p.get("Properties")).get("Roles"))
                        .contains(Map.of("Ref", role)))
                .toList();
        assertEquals(1, policies.size(), "expected one IAM policy attached to " + role);
        Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policies.get(0).get("Properties"))
                .get("PolicyDocument");
        List<Map<String, Object>> statements = (List<Map<String, Object>>) document.get("Statement");

        Map<String, Object> pull = statements.stream().filter(s -> actions(s).contains("ecr:BatchGetImage"))
                .findFirst().orElseThrow(() -> new AssertionError("Puller: no statement allows ecr:BatchGetImage in " + statements));
        assertTrue(actions(pull).containsAll(List.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer")),
                "Puller: pull statement lacks layer actions: " + pull);
        assertFalse(actions(pull).contains("ecr:PutImage"), "Puller: grantPull must not allow push: " + pull);
        assertEquals(Map.of("Fn::GetAtt", List.of(logicalId("AWS::ECR::Repository", "Basic"), "Arn")), pull.get("Resource"),
                "Puller: pull should be scoped to the Basic repository");
        assertTrue(statements.stream().anyMatch(s -> actions(s).contains("ecr:GetAuthorizationToken") && "*".equals(s.get("Resource"))),
                "Puller: ecr:GetAuthorizationToken on * missing from " + statements);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List ? (List<Object>) action : List.of(action);
    }

    /** The Fn::Join parts of an image URI, which must contain the Prod repository and ":v1". */
    @SuppressWarnings("unchecked")
    private void assertImageIsProdAtV1(String what, Object uri) {
        List<Object> parts = (List<Object>) ((List<Object>) ((Map<String, Object>) uri).get("Fn::Join")).get(1);
        assertTrue(parts.contains(Map.of("Ref", logicalId("AWS::ECR::Repository", "Prod"))), what + ": image should be Prod's repository, got " + parts);
        assertTrue(parts.contains(":v1"), what + ": image should be tag v1, got " + parts);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ecsTakesTheRepositoryItself() {
        Map<String, Object> props = (Map<String, Object>) ofType("AWS::ECS::TaskDefinition").get(logicalId("AWS::ECS::TaskDefinition", "Task")).get("Properties");
        Map<String, Object> container = ((List<Map<String, Object>>) props.get("ContainerDefinitions")).get(0);
        assertImageIsProdAtV1("Task", container.get("Image"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void lambdaTakesTheRepositoryItself() {
        Map<String, Object> props = (Map<String, Object>) ofType("AWS::Lambda::Function").get(logicalId("AWS::Lambda::Function", "Fn")).get("Properties");
        assertImageIsProdAtV1("Fn", ((Map<String, Object>) props.get("Code")).get("ImageUri"));
    }
}
