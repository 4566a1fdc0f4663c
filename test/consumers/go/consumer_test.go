// Checks the template that consumer.go synthesizes with the cdk-secure-ecr Go bindings from dist/go.
// Each failure message names the repository and the setting, so a failure says what broke.
package consumer

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

type object = map[string]interface{}

var template object

func TestMain(m *testing.M) {
	template = SynthTemplate()
	m.Run()
}

func ofType(cfnType string) map[string]object {
	found := map[string]object{}
	for id, r := range template["Resources"].(object) {
		if r.(object)["Type"] == cfnType {
			found[id] = r.(object)
		}
	}
	return found
}

// logicalID is the logical ID of the one resource of cfnType under the construct constructID.
func logicalID(t *testing.T, cfnType, constructID string) string {
	t.Helper()
	var ids []string
	for id := range ofType(cfnType) {
		if strings.HasPrefix(id, constructID) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("expected one %s under %q, found %v", cfnType, constructID, ids)
	}
	return ids[0]
}

func repository(t *testing.T, constructID string) object {
	t.Helper()
	return ofType("AWS::ECR::Repository")[logicalID(t, "AWS::ECR::Repository", constructID)]
}

func props(t *testing.T, constructID string) object {
	t.Helper()
	return repository(t, constructID)["Properties"].(object)
}

// expect fails the test with "what: want X, got Y" when got and want differ (compared as JSON values).
func expect(t *testing.T, what string, got, want interface{}) {
	t.Helper()
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	var g, w interface{}
	_ = json.Unmarshal(gotJSON, &g)
	_ = json.Unmarshal(wantJSON, &w)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: want %s, got %s", what, wantJSON, gotJSON)
	}
}

// rules returns the repository's lifecycle rules, parsed from LifecyclePolicyText, in priority order.
func rules(t *testing.T, constructID string) []object {
	t.Helper()
	policy, ok := props(t, constructID)["LifecyclePolicy"].(object)
	if !ok {
		t.Fatalf("%s: no LifecyclePolicy", constructID)
	}
	text, ok := policy["LifecyclePolicyText"].(string)
	if !ok {
		t.Fatalf("%s: LifecyclePolicyText is not a plain JSON string: %v", constructID, policy["LifecyclePolicyText"])
	}
	var document struct{ Rules []object }
	if err := json.Unmarshal([]byte(text), &document); err != nil {
		t.Fatalf("%s: LifecyclePolicyText is not JSON: %v: %s", constructID, err, text)
	}
	sort.Slice(document.Rules, func(i, j int) bool {
		return document.Rules[i]["rulePriority"].(float64) < document.Rules[j]["rulePriority"].(float64)
	})
	return document.Rules
}

// summaries gives [priority, tagStatus, tag prefixes, countType, countNumber] per rule: what a reviewer compares.
func summaries(t *testing.T, constructID string) [][]interface{} {
	t.Helper()
	var out [][]interface{}
	for _, r := range rules(t, constructID) {
		sel := r["selection"].(object)
		out = append(out, []interface{}{r["rulePriority"], sel["tagStatus"], sel["tagPrefixList"], sel["countType"], sel["countNumber"]})
	}
	return out
}

func actions(statement object) []string {
	var out []string
	switch a := statement["Action"].(type) {
	case string:
		out = append(out, a)
	case []interface{}:
		for _, x := range a {
			out = append(out, x.(string))
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDefaultRepositoryScansOnPush(t *testing.T) {
	expect(t, "Basic: ImageScanningConfiguration", props(t, "Basic")["ImageScanningConfiguration"], object{"ScanOnPush": true})
}

func TestDefaultRepositoryHasMutableTags(t *testing.T) {
	expect(t, "Basic: ImageTagMutability", props(t, "Basic")["ImageTagMutability"], "MUTABLE")
}

func TestDefaultRepositoryStatesAES256Encryption(t *testing.T) {
	expect(t, "Basic: EncryptionConfiguration", props(t, "Basic")["EncryptionConfiguration"], object{"EncryptionType": "AES256"})
}

func TestDefaultRepositoryIsRetained(t *testing.T) {
	expect(t, "Basic: DeletionPolicy", repository(t, "Basic")["DeletionPolicy"], "Retain")
	expect(t, "Basic: UpdateReplacePolicy", repository(t, "Basic")["UpdateReplacePolicy"], "Retain")
}

func TestProductionPresetIsImmutableRetainedAndScanned(t *testing.T) {
	expect(t, "Prod: ImageTagMutability", props(t, "Prod")["ImageTagMutability"], "IMMUTABLE")
	expect(t, "Prod: ImageScanningConfiguration", props(t, "Prod")["ImageScanningConfiguration"], object{"ScanOnPush": true})
	expect(t, "Prod: DeletionPolicy", repository(t, "Prod")["DeletionPolicy"], "Retain")
}

func TestDevelopmentPresetIsMutableAndDestroyedWithItsImages(t *testing.T) {
	expect(t, "Dev: ImageTagMutability", props(t, "Dev")["ImageTagMutability"], "MUTABLE")
	expect(t, "Dev: EmptyOnDelete", props(t, "Dev")["EmptyOnDelete"], true)
	expect(t, "Dev: DeletionPolicy", repository(t, "Dev")["DeletionPolicy"], "Delete")
}

func TestPresetHasItsStandardRules(t *testing.T) {
	for constructID, want := range map[string][][]interface{}{
		"Prod": {{1, "untagged", nil, "sinceImagePushed", 14}, {2, "any", nil, "imageCountMoreThan", 30}},
		"Dev":  {{1, "untagged", nil, "sinceImagePushed", 7}, {2, "any", nil, "imageCountMoreThan", 10}},
	} {
		t.Run(constructID, func(t *testing.T) {
			expect(t, constructID+": lifecycle rules [priority, tagStatus, prefixes, countType, countNumber]", summaries(t, constructID), want)
		})
	}
}

func TestCustomRulesKeepDeclaredOrderWithTheAnyRuleLast(t *testing.T) {
	expect(t, "Custom: lifecycle rules [priority, tagStatus, prefixes, countType, countNumber]", summaries(t, "Custom"), [][]interface{}{
		{1, "tagged", []string{"pr-"}, "sinceImagePushed", 3},
		{2, "tagged", []string{"feature-"}, "sinceImagePushed", 7},
		{3, "untagged", nil, "sinceImagePushed", 1},
		{4, "any", nil, "imageCountMoreThan", 20},
	})
	for _, r := range rules(t, "Custom") {
		what := "Custom: rule " + string(mustJSON(r["rulePriority"]))
		expect(t, what+" action", r["action"], object{"type": "expire"})
		if d, _ := r["description"].(string); d == "" {
			t.Errorf("%s has no description", what)
		}
		if sel := r["selection"].(object); sel["countType"] == "sinceImagePushed" {
			expect(t, what+" countUnit", sel["countUnit"], "days")
		}
	}
}

func TestCustomRepositoryKeepsItsName(t *testing.T) {
	expect(t, "Custom: RepositoryName", props(t, "Custom")["RepositoryName"], "consumer-custom")
}

func TestEncryptionKeySwitchesToKMSWithThatKey(t *testing.T) {
	key := logicalID(t, "AWS::KMS::Key", "RepoKey")
	expect(t, "Encrypted: EncryptionConfiguration", props(t, "Encrypted")["EncryptionConfiguration"],
		object{"EncryptionType": "KMS", "KmsKey": object{"Fn::GetAtt": []string{key, "Arn"}}})
}

func TestGrantPullGivesTheRolePullActionsOnTheRepository(t *testing.T) {
	role := logicalID(t, "AWS::IAM::Role", "Puller")
	var statements []object
	policies := 0
	for _, p := range ofType("AWS::IAM::Policy") {
		properties := p["Properties"].(object)
		for _, r := range properties["Roles"].([]interface{}) {
			if reflect.DeepEqual(r, object{"Ref": role}) {
				policies++
				for _, s := range properties["PolicyDocument"].(object)["Statement"].([]interface{}) {
					statements = append(statements, s.(object))
				}
			}
		}
	}
	if policies != 1 {
		t.Fatalf("expected one IAM policy attached to %s, found %d", role, policies)
	}
	var pull, auth object
	for _, s := range statements {
		if contains(actions(s), "ecr:BatchGetImage") {
			pull = s
		}
		if contains(actions(s), "ecr:GetAuthorizationToken") {
			auth = s
		}
	}
	if pull == nil {
		t.Fatalf("Puller: no statement allows ecr:BatchGetImage in %s", mustJSON(statements))
	}
	for _, a := range []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer"} {
		if !contains(actions(pull), a) {
			t.Errorf("Puller: pull statement lacks %s: %s", a, mustJSON(pull))
		}
	}
	if contains(actions(pull), "ecr:PutImage") {
		t.Errorf("Puller: grantPull must not allow push: %s", mustJSON(pull))
	}
	expect(t, "Puller: pull statement Resource", pull["Resource"],
		object{"Fn::GetAtt": []string{logicalID(t, "AWS::ECR::Repository", "Basic"), "Arn"}})
	if auth == nil || auth["Resource"] != "*" {
		t.Errorf("Puller: ecr:GetAuthorizationToken on * missing from %s", mustJSON(statements))
	}
}

func mustJSON(v interface{}) []byte {
	b, _ := json.Marshal(v)
	return b
}

// imageURIReferencesProd fails unless the Fn::Join parts of an image URI contain the Prod repository and ":v1".
func imageURIReferencesProd(t *testing.T, what string, uri interface{}) {
	t.Helper()
	parts := uri.(object)["Fn::Join"].([]interface{})[1].([]interface{})
	want := []interface{}{object{"Ref": logicalID(t, "AWS::ECR::Repository", "Prod")}, ":v1"}
	for _, w := range want {
		found := false
		for _, p := range parts {
			if reflect.DeepEqual(p, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: image should be Prod's repository at v1, missing %v in %v", what, w, parts)
		}
	}
}

func TestEcsTakesTheRepositoryItself(t *testing.T) {
	task := ofType("AWS::ECS::TaskDefinition")[logicalID(t, "AWS::ECS::TaskDefinition", "Task")]
	container := task["Properties"].(object)["ContainerDefinitions"].([]interface{})[0].(object)
	imageURIReferencesProd(t, "Task", container["Image"])
}

func TestLambdaTakesTheRepositoryItself(t *testing.T) {
	fn := ofType("AWS::Lambda::Function")[logicalID(t, "AWS::Lambda::Function", "Fn")]
	imageURIReferencesProd(t, "Fn", fn["Properties"].(object)["Code"].(object)["ImageUri"])
}
