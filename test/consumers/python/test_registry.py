"""Checks the template that registry_app.py synthesizes with the installed cdk-secure-ecr wheel."""
import pytest

from registry_app import synth_registry_template


@pytest.fixture(scope="module")
def template() -> dict:
    return synth_registry_template()


def one(template: dict, cfn_type: str, construct_id: str) -> tuple:
    """(logical ID, properties) of the one resource of cfn_type under the construct construct_id."""
    found = [(lid, r) for lid, r in template["Resources"].items() if r["Type"] == cfn_type and lid.startswith(construct_id)]
    assert len(found) == 1, f"expected one {cfn_type} under '{construct_id}', found {[lid for lid, _ in found]}"
    return found[0][0], found[0][1].get("Properties", {})


def test_compliance_preset_is_immutable_scanned_and_encrypted_with_its_own_key(template):
    _, props = one(template, "AWS::ECR::Repository", "Compliance")
    key_id, _ = one(template, "AWS::KMS::Key", "Compliance")
    assert props.get("ImageTagMutability") == "IMMUTABLE", f"Compliance: ImageTagMutability should be IMMUTABLE, got {props.get('ImageTagMutability')}"
    assert props.get("ImageScanningConfiguration") == {"ScanOnPush": True}, f"Compliance: should scan on push, got {props.get('ImageScanningConfiguration')}"
    want = {"EncryptionType": "KMS", "KmsKey": {"Fn::GetAtt": [key_id, "Arn"]}}
    assert props.get("EncryptionConfiguration") == want, f"Compliance: EncryptionConfiguration should be {want}, got {props.get('EncryptionConfiguration')}"


def test_created_key_denies_create_grant_unless_for_an_aws_resource(template):
    _, props = one(template, "AWS::KMS::Key", "Compliance")
    deny = [s for s in props["KeyPolicy"]["Statement"] if s.get("Effect") == "Deny"]
    want = {"BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}}
    assert len(deny) == 1 and deny[0]["Action"] == "kms:CreateGrant" and deny[0]["Condition"] == want, \
        f"Compliance key: want one Deny kms:CreateGrant with {want} (CT.KMS.PR.3), got {deny}"


def test_creation_template_with_kms_and_tags_uses_a_created_role(template):
    _, props = one(template, "AWS::ECR::RepositoryCreationTemplate", "Template")
    role_id, _ = one(template, "AWS::IAM::Role", "Template")
    got = {k: props.get(k) for k in ("Prefix", "AppliedFor", "ImageTagMutability", "ResourceTags", "CustomRoleArn")}
    want = {
        "Prefix": "ROOT", "AppliedFor": ["CREATE_ON_PUSH"], "ImageTagMutability": "MUTABLE",
        "ResourceTags": [{"Key": "team", "Value": "platform"}], "CustomRoleArn": {"Fn::GetAtt": [role_id, "Arn"]},
    }
    assert got == want, f"Template: want {want}, got {got}"
    assert props["EncryptionConfiguration"]["EncryptionType"] == "KMS", f"Template: EncryptionType should be KMS, got {props['EncryptionConfiguration']}"


def test_pull_through_cache_creates_its_template_in_one_line(template):
    _, props = one(template, "AWS::ECR::RepositoryCreationTemplate", "Cache")
    got = (props.get("Prefix"), props.get("AppliedFor"), props.get("EncryptionConfiguration"))
    want = ("ecr-public", ["PULL_THROUGH_CACHE"], {"EncryptionType": "AES256"})
    assert got == want, f"Cache template: (Prefix, AppliedFor, EncryptionConfiguration) should be {want}, got {got}"


def test_pull_time_update_exclusion_names_the_role(template):
    _, props = one(template, "AWS::ECR::PullTimeUpdateExclusion", "ScannerExclusion")
    want = "arn:aws:iam::111111111111:role/scanner"
    assert props.get("PrincipalArn") == want, f"ScannerExclusion: PrincipalArn should be {want}, got {props.get('PrincipalArn')}"


def test_managed_signing_signs_the_filtered_repositories_and_the_pusher_may_sign(template):
    _, props = one(template, "AWS::ECR::SigningConfiguration", "Signing")
    profile_id, _ = one(template, "AWS::Signer::SigningProfile", "Signing")
    want = [{"SigningProfileArn": {"Fn::GetAtt": [profile_id, "Arn"]}, "RepositoryFilters": [{"Filter": "prod/*", "FilterType": "WILDCARD_MATCH"}]}]
    assert props.get("Rules") == want, f"Signing: Rules should be {want}, got {props.get('Rules')}"
    _, policy = one(template, "AWS::IAM::Policy", "Pusher")
    statements = policy["PolicyDocument"]["Statement"]
    assert {"Effect": "Allow", "Action": "signer:SignPayload", "Resource": {"Fn::GetAtt": [profile_id, "Arn"]}} in statements, \
        f"Pusher: want signer:SignPayload on the profile, got {statements}"


def test_registry_policy_allows_replication_from_the_source_account(template):
    _, props = one(template, "AWS::ECR::RegistryPolicy", "RegistryPolicy")
    statements = props["PolicyText"]["Statement"]
    assert [s["Action"] for s in statements] == [["ecr:CreateRepository", "ecr:ReplicateImage"]], \
        f"RegistryPolicy: want one statement with CreateRepository and ReplicateImage, got {statements}"
