"""The registry features of cdk-secure-ecr in a Python app of their own (a second stack, RegistryStack): the
compliance preset, a repository creation template, a pull through cache rule with its one-line template, a
pull-time update exclusion, managed signing and the registry policy. test_registry.py checks its template.
Every language under test/consumers/ builds the same stack (see ../README.md).
"""
import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr, aws_iam as iam
from cdk_secure_ecr import (
    EcrManagedSigning,
    EcrPullThroughCache,
    EcrPullTimeUpdateExclusion,
    EcrRegistryPolicy,
    EcrRepository,
    EcrRepositoryCreationTemplate,
    RepositoryCreationTemplateAppliedFor,
    UpstreamRegistry,
)

REGISTRY_STACK_NAME = "RegistryStack"


def build_registry_app() -> cdk.App:
    app = cdk.App()
    stack = cdk.Stack(app, REGISTRY_STACK_NAME)

    EcrRepository.for_compliance(stack, "Compliance")
    EcrRepositoryCreationTemplate(
        stack,
        "Template",
        prefix="ROOT",
        applied_for=[RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH],
        encryption=ecr.RepositoryEncryption.KMS,
        tags={"team": "platform"},
    )
    EcrPullThroughCache(stack, "Cache", upstream=UpstreamRegistry.ECR_PUBLIC).add_repository_creation_template("Template")
    EcrPullTimeUpdateExclusion(
        stack, "ScannerExclusion", principal=iam.Role.from_role_arn(stack, "Scanner", "arn:aws:iam::111111111111:role/scanner")
    )
    signing = EcrManagedSigning(stack, "Signing", repository_filters=["prod/*"])
    signing.grant_sign(iam.Role(stack, "Pusher", assumed_by=iam.AccountPrincipal("111111111111")))
    EcrRegistryPolicy(stack, "RegistryPolicy").allow_replication_from(["222222222222"])
    return app


def synth_registry_template() -> dict:
    """Synthesize the registry app and return the CloudFormation template of its one stack."""
    return build_registry_app().synth().get_stack_by_name(REGISTRY_STACK_NAME).template
