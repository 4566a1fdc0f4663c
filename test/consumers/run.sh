#!/usr/bin/env bash
# Runs the consumer apps in test/consumers/<language>/ against the packages that `npx projen build`
# (or `npx projen package-all`) left in dist/: each app installs the built artifact, not the source,
# synthesizes a stack with it and checks the template.
#
#   test/consumers/run.sh                 # every language: python java go dotnet fsharp csharp_readme
#   test/consumers/run.sh python go       # only these
#
# Every app runs even when an earlier one failed; the closing table says which passed, failed or were
# skipped, and how long each took. Exit status: 0 only when none failed. An app whose registry (PyPI, Maven
# Central, the Go module proxy) or toolchain (go, dotnet) is missing is skipped with one loud line
# (build-tools/registry.sh). Downloads are cached in the usual places under $HOME (pip, ~/.m2, Go's module cache,
# NuGet's http cache); the .NET apps extract their packages into test/consumers/.nuget/packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SELF="$ROOT/test/consumers/run.sh"
pkg() { node -p "const p = require('$ROOT/package.json'); $1"; }
VERSION="$(pkg 'p.version')"
CDK_VERSION="$(pkg "p.devDependencies['aws-cdk-lib']")"
CONSTRUCTS_VERSION="$(pkg 'p.devDependencies.constructs')"
SKIPPED=3 # exit status of a language that was skipped on purpose

missing_dist() {
  echo "consumers: $1 not found: build the packages first (npx projen compile && npx projen package-all)" >&2
  exit 1
}

run_python() {
  "$ROOT/build-tools/registry.sh" pypi 'Python consumer app and README examples (test/consumers/python)' || exit "$SKIPPED"
  local wheels=("$ROOT"/dist/python/*.whl)
  [[ -f "${wheels[0]}" ]] || missing_dist "dist/python/*.whl"
  [[ ${#wheels[@]} -eq 1 ]] || { echo "consumers: expected one wheel in dist/python, found ${wheels[*]}" >&2; exit 1; }
  local venv="$ROOT/test/consumers/python/.venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "${wheels[0]}" "aws-cdk-lib==$CDK_VERSION" "constructs==$CONSTRUCTS_VERSION" pytest
  cd "$ROOT/test/consumers/python"
  "$venv/bin/python" -m pytest -v -p no:cacheprovider test_consumer.py test_registry.py test_readme_examples.py
}

run_java() {
  "$ROOT/build-tools/registry.sh" maven 'Java consumer app (test/consumers/java)' || exit "$SKIPPED"
  [[ -f "$ROOT/dist/java/io/github/cdk-secure-ecr/cdk-secure-ecr/$VERSION/cdk-secure-ecr-$VERSION.jar" ]] ||
    missing_dist "dist/java/io/github/cdk-secure-ecr/cdk-secure-ecr/$VERSION"
  # Maven copies what it resolves into ~/.m2 and never re-reads a release version: drop the copy of the
  # previous build, so the test runs against this one.
  rm -rf "$HOME/.m2/repository/io/github/cdk-secure-ecr"
  mvn -B --no-transfer-progress -f "$ROOT/test/consumers/java/pom.xml" \
    -Ddist.java.url="file://$ROOT/dist/java" \
    -Dcdk-secure-ecr.version="$VERSION" -Daws-cdk-lib.version="$CDK_VERSION" -Dconstructs.version="$CONSTRUCTS_VERSION" \
    test
}

run_go() {
  "$ROOT/build-tools/registry.sh" go 'Go consumer app (test/consumers/go)' || exit "$SKIPPED"
  [[ -f "$ROOT/dist/go/cdksecureecr/go.mod" ]] || missing_dist "dist/go/cdksecureecr"
  # Work on a copy: `go mod tidy` against this build's dist/go must not rewrite the committed go.mod/go.sum.
  GO_WORK_DIR="$(mktemp -d)"
  trap 'rm -rf "$GO_WORK_DIR"' EXIT
  cp -R "$ROOT/test/consumers/go/." "$GO_WORK_DIR/"
  cd "$GO_WORK_DIR"
  go mod edit -replace "github.com/cdk-secure-ecr/cdk-secure-ecr-go/cdksecureecr=$ROOT/dist/go/cdksecureecr"
  go mod tidy
  go test -v -count=1 ./...
}

# The newest Amazon.CDK.Lib NuGet serves here (build-tools/dotnet-feed.ts packs the jsii packages it needs that this
# NuGet lacks): the .NET apps use the newest, as users do.
DOTNET_CDK_VERSION=2.277.0

# Shared by the .NET apps: a NuGet package folder of this checkout's own (another checkout's run on the same machine
# must not delete our package mid-build), without the previous build's CdkSecureEcr (NuGet caches by id and
# version), and the restore sources: the built package and the local feed.
dotnet_prepare() {
  "$ROOT/build-tools/registry.sh" dotnet "$1" || exit "$SKIPPED"
  compgen -G "$ROOT/dist/dotnet/*.nupkg" >/dev/null || missing_dist "dist/dotnet/*.nupkg"
  export NUGET_PACKAGES="$ROOT/test/consumers/.nuget/packages"
  rm -rf "$NUGET_PACKAGES/cdksecureecr"
  (cd "$ROOT" && npx ts-node --prefer-ts-exts build-tools/dotnet-feed.ts "$DOTNET_CDK_VERSION")
  DOTNET_SOURCES="$ROOT/dist/dotnet;$ROOT/dist/nuget-local"
  DOTNET_PROPS=(--property:CdkSecureEcrVersion="$VERSION" --property:CdkVersion="$DOTNET_CDK_VERSION")
}

# Restores (from the built package and the local feed) and builds a .NET project, timing both: dotnet_build NAME PROJECT.
dotnet_build() {
  local start=$SECONDS
  dotnet restore "$2" "${DOTNET_PROPS[@]}" "--property:RestoreAdditionalProjectSources=\"$DOTNET_SOURCES\""
  echo "$1: restore took $((SECONDS - start))s"
  start=$SECONDS
  dotnet build "$2" --no-restore "${DOTNET_PROPS[@]}"
  echo "$1: build took $((SECONDS - start))s"
}

# Restores and builds for net8.0 and net10.0, then runs both builds (net8.0 rolls forward where only a newer
# runtime is installed).
run_dotnet() {
  dotnet_prepare 'C# consumer app (test/consumers/dotnet)'
  local project="$ROOT/test/consumers/dotnet/Consumer.csproj"
  dotnet_build 'dotnet (net8.0, net10.0)' "$project"
  local status=0 tfm
  for tfm in net10.0 net8.0; do
    echo "--- dotnet run ($tfm) ---"
    dotnet run --project "$project" --no-build --framework "$tfm" "${DOTNET_PROPS[@]}" || status=1
  done
  return $status
}

# FsCDK's ECR guide in F# on the same package, and the README's F# and C# examples (test/consumers/fsharp).
# One target framework, net8.0 (the oldest LTS; it rolls forward): the C# app already runs both.
run_fsharp() {
  dotnet_prepare F#
  local project="$ROOT/test/consumers/fsharp/Consumer.fsproj" start
  dotnet_build fsharp "$project"
  start=$SECONDS
  dotnet run --project "$project" --no-build "${DOTNET_PROPS[@]}"
  echo "fsharp: run took $((SECONDS - start))s"
}

# jsii-rosetta's C# translation of every TypeScript example of the README (and of the API docs' examples), each
# compiled against the built nupkg and synthesized (build-tools/readme-csharp.ts writes the project from the tablet
# that `npx projen post-compile` leaves in .jsii.tabl.json).
run_csharp_readme() {
  dotnet_prepare 'C# README examples (test/consumers/.readme-csharp)'
  [[ -f "$ROOT/.jsii.tabl.json" ]] || missing_dist ".jsii.tabl.json (npx projen post-compile)"
  local dir="$ROOT/test/consumers/.readme-csharp"
  (cd "$ROOT" && npx ts-node --prefer-ts-exts build-tools/readme-csharp.ts "$dir")
  dotnet_build csharp_readme "$dir/ReadmeExamples.csproj"
  dotnet run --project "$dir/ReadmeExamples.csproj" --no-build "${DOTNET_PROPS[@]}"
}

# One language in its own process, so that `set -e` holds inside it.
if [[ "${1:-}" == "--one" ]]; then
  "run_$2"
  exit 0
fi

languages=("$@")
[[ ${#languages[@]} -gt 0 ]] || languages=(python java go dotnet fsharp csharp_readme)
results=()
failed=0
for lang in "${languages[@]}"; do
  declare -F "run_$lang" >/dev/null || { echo "consumers: no consumer app for '$lang'" >&2; exit 2; }
  echo "=== consumer: $lang ==="
  start=$SECONDS
  status=0
  "$SELF" --one "$lang" || status=$?
  took=$((SECONDS - start))
  case $status in
    0) results+=("$lang PASS ${took}s") ;;
    "$SKIPPED") results+=("$lang SKIPPED ${took}s") ;;
    *) results+=("$lang FAIL ${took}s"); failed=$((failed + 1)) ;;
  esac
done

echo "=== consumer apps (cdk-secure-ecr $VERSION, aws-cdk-lib $CDK_VERSION) ==="
for r in "${results[@]}"; do
  read -r lang status took <<<"$r"
  printf '  %-8s %-8s %6s\n' "$lang" "$status" "$took"
done
exit $((failed > 0))
