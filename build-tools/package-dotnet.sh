#!/usr/bin/env bash
# The .NET package: first the local feed of the jsii packages Amazon.CDK.Lib needs that this machine's NuGet lacks
# (build-tools/dotnet-feed.ts; empty where NuGet serves them all), then jsii-pacmak, whose restore adds that feed as
# a source (MSBuild reads the environment as properties).
set -euo pipefail
ts-node --prefer-ts-exts build-tools/dotnet-feed.ts
RestoreAdditionalProjectSources="$PWD/dist/nuget-local" jsii-pacmak -v --target dotnet
