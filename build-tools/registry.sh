#!/usr/bin/env bash
# Can a step that needs a package registry (or a toolchain) run on this machine?
#
#   build-tools/registry.sh NAME            exit 0 when NAME is reachable, 1 when not
#   build-tools/registry.sh NAME STEP       the same; when not, also print one loud SKIPPED line for STEP
#
# NAME is one of: pypi, maven, go (the go toolchain and its module proxy), dotnet (the dotnet SDK). A registry is
# asked for real, never a cache: a refused registry answers at once. The answer is taken from
# CDK_SECURE_ECR_REACHABLE_<NAME>=yes|no when set (.ci/run asks each registry once and exports the answers).
# Each SKIPPED line is also appended to $CDK_SECURE_ECR_SKIP_LOG when set, for .ci/run's closing summary.
set -uo pipefail

name="${1:?usage: build-tools/registry.sh pypi|maven|go|dotnet [STEP]}"
step="${2:-}"

reason() {
  case "$name" in
    pypi) command -v python3 >/dev/null 2>&1 && echo 'PyPI unreachable' || echo 'no python3 on PATH' ;;
    maven) command -v mvn >/dev/null 2>&1 && echo 'Maven Central unreachable' || echo 'no mvn on PATH' ;;
    go) command -v go >/dev/null 2>&1 && echo 'Go module proxy unreachable' || echo 'no go toolchain on PATH' ;;
    dotnet) echo 'no dotnet SDK on PATH' ;;
  esac
}

probe() {
  local tmp status
  tmp="$(mktemp -d)"
  case "$name" in
    # pip's index as configured here: `pip index versions` always asks it.
    pypi) timeout 60 python3 -m pip index versions pip --retries 0 --timeout 20 --disable-pip-version-check >/dev/null 2>&1 ;;
    # Maven's repositories as configured (mirrors in settings.xml included), into an empty local repository.
    maven) timeout 180 mvn -B -q -Dmaven.repo.local="$tmp/m2" dependency:get -Dartifact=junit:junit:4.13.2 -Dtransitive=false >/dev/null 2>&1 ;;
    # The module proxy as configured (GOPROXY), with an empty module cache.
    go) command -v go >/dev/null 2>&1 && GOFLAGS='' GOMODCACHE="$tmp/mod" timeout 60 go list -m -versions github.com/aws/jsii-runtime-go >/dev/null 2>&1 ;;
    dotnet) command -v dotnet >/dev/null 2>&1 && dotnet --version >/dev/null 2>&1 ;;
    *) echo "registry.sh: unknown name '$name' (pypi, maven, go, dotnet)" >&2; rm -rf "$tmp"; exit 2 ;;
  esac
  status=$?
  chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"
  return $status
}

var="CDK_SECURE_ECR_REACHABLE_$(echo "$name" | tr '[:lower:]' '[:upper:]')"
case "${!var:-}" in
  yes) exit 0 ;;
  no) ;;
  *) probe && exit 0 ;;
esac
if [[ -n "$step" ]]; then
  line="SKIPPED: $step ($(reason))"
  echo "*** $line ***"
  [[ -z "${CDK_SECURE_ECR_SKIP_LOG:-}" ]] || echo "$line" >>"$CDK_SECURE_ECR_SKIP_LOG"
fi
exit 1
