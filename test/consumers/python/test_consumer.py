"""Checks the template that consumer_app.py synthesizes with the installed cdk-secure-ecr wheel."""
import json

import pytest

from consumer_app import synth_template


@pytest.fixture(scope="module")
def template() -> dict:
    return synth_template()


def resources_of_type(template: dict, cfn_type: str) -> dict:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == cfn_type}


def repository(template: dict, construct_id: str) -> dict:
    """The one AWS::ECR::Repository under the construct `construct_id` (its logical ID starts with it)."""
    found = {lid: r for lid, r in resources_of_type(template, "AWS::ECR::Repository").items() if lid.startswith(construct_id)}
    assert len(found) == 1, f"expected one AWS::ECR::Repository under '{construct_id}', found {sorted(found)}"
    return next(iter(found.values()))


def lifecycle_rules(template: dict, construct_id: str) -> list:
    """The repository's lifecycle rules, parsed from LifecyclePolicyText, in priority order."""
    props = repository(template, construct_id)["Properties"]
    assert "LifecyclePolicy" in props, f"{construct_id}: no LifecyclePolicy in {props}"
    text = props["LifecyclePolicy"]["LifecyclePolicyText"]
    assert isinstance(text, str), f"{construct_id}: LifecyclePolicyText is not a plain JSON string: {text!r}"
    rules = json.loads(text)["rules"]
    return sorted(rules, key=lambda r: r["rulePriority"])


def summary(rule: dict) -> tuple:
    """(priority, tagStatus, tag prefixes, countType, countNumber) of a rule: what a reviewer compares."""
    sel = rule["selection"]
    return (rule["rulePriority"], sel["tagStatus"], sel.get("tagPrefixList"), sel["countType"], sel["countNumber"])


def test_default_repository_scans_on_push(template):
    scan = repository(template, "Basic")["Properties"].get("ImageScanningConfiguration")
    assert scan == {"ScanOnPush": True}, f"Basic: ImageScanningConfiguration should be ScanOnPush true, got {scan}"


def test_default_repository_has_mutable_tags(template):
    mutability = repository(template, "Basic")["Properties"].get("ImageTagMutability")
    assert mutability == "MUTABLE", f"Basic: ImageTagMutability should be MUTABLE, got {mutability}"


def test_default_repository_states_aes256_encryption(template):
    enc = repository(template, "Basic")["Properties"].get("EncryptionConfiguration")
    assert enc == {"EncryptionType": "AES256"}, f"Basic: EncryptionConfiguration should be AES256, got {enc}"


def test_default_repository_is_retained(template):
    repo = repository(template, "Basic")
    assert repo.get("DeletionPolicy") == "Retain", f"Basic: DeletionPolicy should be Retain, got {repo.get('DeletionPolicy')}"
    assert repo.get("UpdateReplacePolicy") == "Retain", f"Basic: UpdateReplacePolicy should be Retain, got {repo.get('UpdateReplacePolicy')}"


def test_production_preset_is_immutable_retained_and_scanned(template):
    repo = repository(template, "Prod")
    props = repo["Properties"]
    assert props.get("ImageTagMutability") == "IMMUTABLE", f"Prod: ImageTagMutability should be IMMUTABLE, got {props.get('ImageTagMutability')}"
    assert props.get("ImageScanningConfiguration") == {"ScanOnPush": True}, f"Prod: should scan on push, got {props.get('ImageScanningConfiguration')}"
    assert repo.get("DeletionPolicy") == "Retain", f"Prod: DeletionPolicy should be Retain, got {repo.get('DeletionPolicy')}"


def test_development_preset_is_mutable_and_destroyed_with_its_images(template):
    repo = repository(template, "Dev")
    props = repo["Properties"]
    assert props.get("ImageTagMutability") == "MUTABLE", f"Dev: ImageTagMutability should be MUTABLE, got {props.get('ImageTagMutability')}"
    assert props.get("EmptyOnDelete") is True, f"Dev: EmptyOnDelete should be true, got {props.get('EmptyOnDelete')}"
    assert repo.get("DeletionPolicy") == "Delete", f"Dev: DeletionPolicy should be Delete, got {repo.get('DeletionPolicy')}"


@pytest.mark.parametrize(
    "construct_id, want",
    [
        ("Prod", [(1, "untagged", None, "sinceImagePushed", 14), (2, "any", None, "imageCountMoreThan", 30)]),
        ("Dev", [(1, "untagged", None, "sinceImagePushed", 7), (2, "any", None, "imageCountMoreThan", 10)]),
    ],
)
def test_preset_has_its_standard_rules(template, construct_id, want):
    got = [summary(r) for r in lifecycle_rules(template, construct_id)]
    assert got == want, f"{construct_id}: lifecycle rules (priority, tagStatus, prefixes, countType, countNumber) should be {want}, got {got}"


def test_custom_rules_keep_declared_order_with_the_any_rule_last(template):
    rules = lifecycle_rules(template, "Custom")
    got = [summary(r) for r in rules]
    want = [
        (1, "tagged", ["pr-"], "sinceImagePushed", 3),
        (2, "tagged", ["feature-"], "sinceImagePushed", 7),
        (3, "untagged", None, "sinceImagePushed", 1),
        (4, "any", None, "imageCountMoreThan", 20),
    ]
    assert got == want, f"Custom: lifecycle rules should be {want}, got {got}"
    for rule in rules:
        assert rule["action"] == {"type": "expire"}, f"Custom: rule {rule['rulePriority']} action should be expire, got {rule['action']}"
        assert rule.get("description"), f"Custom: rule {rule['rulePriority']} has no description"
        if rule["selection"]["countType"] == "sinceImagePushed":
            assert rule["selection"].get("countUnit") == "days", f"Custom: rule {rule['rulePriority']} countUnit should be days, got {rule['selection']}"


def test_custom_repository_keeps_its_name(template):
    name = repository(template, "Custom")["Properties"].get("RepositoryName")
    assert name == "consumer-custom", f"Custom: RepositoryName should be consumer-custom, got {name}"


def test_encryption_key_switches_to_kms_with_that_key(template):
    keys = list(resources_of_type(template, "AWS::KMS::Key"))
    assert len(keys) == 1, f"expected one AWS::KMS::Key, found {keys}"
    enc = repository(template, "Encrypted")["Properties"].get("EncryptionConfiguration")
    want = {"EncryptionType": "KMS", "KmsKey": {"Fn::GetAtt": [keys[0], "Arn"]}}
    assert enc == want, f"Encrypted: EncryptionConfiguration should be {want}, got {enc}"


def test_grant_pull_gives_the_role_pull_actions_on_the_repository(template):
    roles = [lid for lid in resources_of_type(template, "AWS::IAM::Role") if lid.startswith("Puller")]
    assert len(roles) == 1, f"expected one IAM role 'Puller', found {roles}"
    policies = [p for p in resources_of_type(template, "AWS::IAM::Policy").values() if {"Ref": roles[0]} in p["Properties"]["Roles"]]
    assert len(policies) == 1, f"expected one IAM policy attached to {roles[0]}, found {len(policies)}"
    statements = policies[0]["Properties"]["PolicyDocument"]["Statement"]

    def actions(stmt):
        return stmt["Action"] if isinstance(stmt["Action"], list) else [stmt["Action"]]

    repo_ids = [lid for lid in resources_of_type(template, "AWS::ECR::Repository") if lid.startswith("Basic")]
    pull = [s for s in statements if "ecr:BatchGetImage" in actions(s)]
    assert pull, f"Puller: no statement allows ecr:BatchGetImage in {statements}"
    assert {"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer"} <= set(actions(pull[0])), f"Puller: pull statement lacks layer actions: {pull[0]}"
    assert pull[0]["Resource"] == {"Fn::GetAtt": [repo_ids[0], "Arn"]}, f"Puller: pull should be scoped to the Basic repository, got {pull[0]['Resource']}"
    assert "ecr:PutImage" not in actions(pull[0]), f"Puller: grantPull must not allow push: {pull[0]}"
    auth = [s for s in statements if "ecr:GetAuthorizationToken" in actions(s)]
    assert auth and auth[0]["Resource"] == "*", f"Puller: ecr:GetAuthorizationToken on * missing from {statements}"


def prod_image_uri_parts(template: dict) -> list:
    """The Fn::Join parts of an image URI that points at the Prod repository, with its tag."""
    prod = next(lid for lid in resources_of_type(template, "AWS::ECR::Repository") if lid.startswith("Prod"))
    return [{"Ref": prod}, ":v1"]


def test_ecs_takes_the_repository_itself(template):
    [task] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
    parts = task["Properties"]["ContainerDefinitions"][0]["Image"]["Fn::Join"][1]
    assert all(p in parts for p in prod_image_uri_parts(template)), f"Task: image should be Prod's repository at v1, got {parts}"


def test_lambda_takes_the_repository_itself(template):
    [fn] = resources_of_type(template, "AWS::Lambda::Function").values()
    parts = fn["Properties"]["Code"]["ImageUri"]["Fn::Join"][1]
    assert all(p in parts for p in prod_image_uri_parts(template)), f"Fn: ImageUri should be Prod's repository at v1, got {parts}"
