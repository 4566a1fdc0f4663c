"""A Python CDK app that uses cdk-secure-ecr as a user would: installed from the wheel in dist/python.

test_consumer.py synthesizes it and checks the template. Every language under test/consumers/ builds the
same stack (see ../README.md), so a difference between languages shows up as a failing consumer.
"""
import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs, aws_iam as iam, aws_kms as kms, aws_lambda as lambda_
from cdk_secure_ecr import EcrLifecycleRules, EcrRepository

STACK_NAME = "ConsumerStack"


def build_app() -> cdk.App:
    app = cdk.App()
    stack = cdk.Stack(app, STACK_NAME)

    basic = EcrRepository(stack, "Basic")
    prod = EcrRepository.for_production(stack, "Prod")
    EcrRepository.for_development(stack, "Dev")
    EcrRepository(
        stack,
        "Custom",
        repository_name="consumer-custom",
        # Declared with the `any` rule first: it must still be evaluated last.
        lifecycle_rules=[
            EcrLifecycleRules.keep_last_n_images(20),
            EcrLifecycleRules.delete_tagged_after_days("pr-", 3),
            EcrLifecycleRules.delete_tagged_after_days("feature-", 7),
            EcrLifecycleRules.delete_untagged_after_days(1),
        ],
    )
    key = kms.Key(stack, "RepoKey", enable_key_rotation=True)
    EcrRepository(stack, "Encrypted", encryption_key=key)

    puller = iam.Role(stack, "Puller", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    basic.grant_pull(puller)

    # An EcrRepository is an ecr.IRepository: aws-cdk-lib takes it as it is.
    task = ecs.FargateTaskDefinition(stack, "Task")
    task.add_container("app", image=ecs.ContainerImage.from_ecr_repository(prod, "v1"))
    lambda_.DockerImageFunction(stack, "Fn", code=lambda_.DockerImageCode.from_ecr(prod, tag_or_digest="v1"))
    return app


def synth_template() -> dict:
    """Synthesize the app and return the CloudFormation template of its one stack."""
    assembly = build_app().synth()
    return assembly.get_stack_by_name(STACK_NAME).template
