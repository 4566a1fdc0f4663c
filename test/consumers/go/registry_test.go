// Checks the template that registry.go synthesizes with the cdk-secure-ecr Go bindings from dist/go.
// Each failure message names the construct and the setting, so a failure says what broke.
package consumer

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

var (
	registryOnce      sync.Once
	registryResources object
)

// registryResource is (logical ID, properties) of the one resource of cfnType under the construct constructID.
func registryResource(t *testing.T, cfnType, constructID string) (string, object) {
	t.Helper()
	registryOnce.Do(func() { registryResources = SynthRegistryTemplate()["Resources"].(object) })
	var ids []string
	for id, r := range registryResources {
		if r.(object)["Type"] == cfnType && strings.HasPrefix(id, constructID) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("expected one %s under '%s', found %v", cfnType, constructID, ids)
	}
	properties, _ := registryResources[ids[0]].(object)["Properties"].(object)
	return ids[0], properties
}

func arnOf(logicalID string) object {
	return object{"Fn::GetAtt": []interface{}{logicalID, "Arn"}}
}

func TestCompliancePresetIsImmutableScannedAndEncryptedWithItsOwnKey(t *testing.T) {
	_, props := registryResource(t, "AWS::ECR::Repository", "Compliance")
	keyID, _ := registryResource(t, "AWS::KMS::Key", "Compliance")
	expect(t, "Compliance: ImageTagMutability", props["ImageTagMutability"], "IMMUTABLE")
	expect(t, "Compliance: ImageScanningConfiguration", props["ImageScanningConfiguration"], object{"ScanOnPush": true})
	expect(t, "Compliance: EncryptionConfiguration", props["EncryptionConfiguration"], object{"EncryptionType": "KMS", "KmsKey": arnOf(keyID)})
}

func TestCreatedKeyDeniesCreateGrantUnlessForAnAWSResource(t *testing.T) {
	_, props := registryResource(t, "AWS::KMS::Key", "Compliance")
	var deny []object
	for _, s := range props["KeyPolicy"].(object)["Statement"].([]interface{}) {
		if s.(object)["Effect"] == "Deny" {
			deny = append(deny, s.(object))
		}
	}
	if len(deny) != 1 {
		t.Fatalf("Compliance key: want one Deny statement (CT.KMS.PR.3), got %v", deny)
	}
	expect(t, "Compliance key: Deny action", deny[0]["Action"], "kms:CreateGrant")
	expect(t, "Compliance key: Deny condition", deny[0]["Condition"],
		object{"BoolIfExists": object{"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}})
}

func TestCreationTemplateWithKMSAndTagsUsesACreatedRole(t *testing.T) {
	_, props := registryResource(t, "AWS::ECR::RepositoryCreationTemplate", "Template")
	roleID, _ := registryResource(t, "AWS::IAM::Role", "Template")
	expect(t, "Template: Prefix", props["Prefix"], "ROOT")
	expect(t, "Template: AppliedFor", props["AppliedFor"], []interface{}{"CREATE_ON_PUSH"})
	expect(t, "Template: ImageTagMutability", props["ImageTagMutability"], "MUTABLE")
	expect(t, "Template: ResourceTags", props["ResourceTags"], []interface{}{object{"Key": "team", "Value": "platform"}})
	expect(t, "Template: CustomRoleArn", props["CustomRoleArn"], arnOf(roleID))
}

func TestPullThroughCacheCreatesItsTemplateInOneLine(t *testing.T) {
	_, props := registryResource(t, "AWS::ECR::RepositoryCreationTemplate", "Cache")
	expect(t, "Cache template: Prefix", props["Prefix"], "ecr-public")
	expect(t, "Cache template: AppliedFor", props["AppliedFor"], []interface{}{"PULL_THROUGH_CACHE"})
	expect(t, "Cache template: EncryptionConfiguration", props["EncryptionConfiguration"], object{"EncryptionType": "AES256"})
}

func TestPullTimeUpdateExclusionNamesTheRole(t *testing.T) {
	_, props := registryResource(t, "AWS::ECR::PullTimeUpdateExclusion", "ScannerExclusion")
	expect(t, "ScannerExclusion: PrincipalArn", props["PrincipalArn"], "arn:aws:iam::111111111111:role/scanner")
}

func TestManagedSigningSignsTheFilteredRepositoriesAndThePusherMaySign(t *testing.T) {
	_, props := registryResource(t, "AWS::ECR::SigningConfiguration", "Signing")
	profileID, _ := registryResource(t, "AWS::Signer::SigningProfile", "Signing")
	expect(t, "Signing: Rules", props["Rules"], []interface{}{object{
		"SigningProfileArn": arnOf(profileID),
		"RepositoryFilters": []interface{}{object{"Filter": "prod/*", "FilterType": "WILDCARD_MATCH"}},
	}})
	_, policy := registryResource(t, "AWS::IAM::Policy", "Pusher")
	statements := policy["PolicyDocument"].(object)["Statement"].([]interface{})
	want := object{"Effect": "Allow", "Action": "signer:SignPayload", "Resource": arnOf(profileID)}
	for _, s := range statements {
		if reflect.DeepEqual(s, want) {
			return
		}
	}
	t.Errorf("Pusher: want %v among %v", want, statements)
}

func TestRegistryPolicyAllowsReplicationFromTheSourceAccount(t *testing.T) {
	_, props := registryResource(t, "AWS::ECR::RegistryPolicy", "RegistryPolicy")
	var got []interface{}
	for _, s := range props["PolicyText"].(object)["Statement"].([]interface{}) {
		got = append(got, s.(object)["Action"])
	}
	expect(t, "RegistryPolicy: actions", got, []interface{}{[]interface{}{"ecr:CreateRepository", "ecr:ReplicateImage"}})
}
