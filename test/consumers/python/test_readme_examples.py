"""Runs every ```python block of the README against the installed cdk-secure-ecr wheel.

Each block runs as the body of a stack, like the TypeScript ones in rosetta/default.ts-fixture: `self` is a
fresh Stack and the fixture's imports are already there (a block may repeat them); then the app synthesizes.
So a Python example in the README that no longer matches the library fails here.
"""
import pathlib
import re
import textwrap

import pytest

README = pathlib.Path(__file__).resolve().parents[3] / "README.md"
BLOCKS = [
    (README.read_text()[: m.start()].count("\n") + 2, textwrap.dedent(m.group(1)))
    for m in re.finditer(r"^```python[^\n]*\n(.*?)^```", README.read_text(), flags=re.M | re.S)
]

FIXTURE_IMPORTS = """
from constructs import Construct
from aws_cdk import (
    Annotations, App, Duration, RemovalPolicy, Stack,
    aws_ecr as ecr, aws_ecs as ecs, aws_events_targets as targets, aws_iam as iam, aws_kms as kms, aws_lambda as lambda_,
    aws_secretsmanager as secretsmanager, aws_sns as sns,
)
from aws_cdk.assertions import Template
from cdk_secure_ecr import *
"""


@pytest.mark.skipif(not BLOCKS, reason="README.md has no ```python block yet")
@pytest.mark.parametrize("line, code", [pytest.param(line, code, id=f"README.md:{line}") for line, code in BLOCKS] or [(0, "")])
def test_readme_python_example_synthesizes(line, code):
    import aws_cdk as cdk

    app = cdk.App()
    namespace = {"self": cdk.Stack(app, "ReadmeExample")}
    exec(compile(FIXTURE_IMPORTS, "<fixture>", "exec"), namespace)
    exec(compile(code, f"README.md:{line}", "exec"), namespace)
    app.synth()
