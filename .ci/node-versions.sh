#!/usr/bin/env bash
# CI: the unit tests, the `ecr-lifecycle-preview` CLI and the jsii runtime (a consumer app) on each supported
# Node.js release line, besides the Node that runs the rest of .ci/run. Each Node comes from the `node` package on
# npm (it carries the official binaries), installed into a temporary prefix: nothing on the machine changes.
# Run it after `npx projen build`: the CLI runs from lib/, the consumer apps install dist/.
#
#   .ci/node-versions.sh          # Node 22 and 24 (package.json engines: >= 22)
#   .ci/node-versions.sh 24       # only these
#   NODE_VERSIONS_CONSUMERS='dotnet go' .ci/node-versions.sh   # the consumer apps run with that Node (default: dotnet)
#
# Prints the time each version took; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(22 24)
read -r -a consumers <<<"${NODE_VERSIONS_CONSUMERS-dotnet}"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
now='2026-06-01T12:00:00Z'
times=()

for major in "${versions[@]}"; do
  start=$SECONDS
  printf '\n--- Node %s (%s) ---\n' "$major" "$(date -u +%H:%M:%S)"
  npm install --prefix "$prefix/$major" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$major" >/dev/null
  bin="$prefix/$major/node_modules/.bin"
  node="$bin/node"
  version="$("$node" --version)"
  [[ "$version" == "v$major."* ]] || { echo "node@$major installed $version" >&2; exit 1; }
  echo "node $version"

  # The unit tests; coverage is measured once, by `npm test`. Child processes (the CLI as a process) get this Node too.
  PATH="$bin:$PATH" "$node" node_modules/jest/bin/jest.js --ci --silent --coverage=false --reporters=default

  # The built CLI, end to end: a preview (exit 0) and the --protect gate (exit 3).
  out="$("$node" lib/cli/main.js --images test/fixtures/describe-images-v2.json --policy test/fixtures/policy.json --now "$now")"
  grep -q '^6 images: 3 expired, 1 transitioned to archive, 2 kept;' <<<"$out" || { echo "$out" >&2; echo "CLI on node $version: unexpected preview" >&2; exit 1; }
  status=0
  "$node" lib/cli/main.js --images test/fixtures/describe-images-v2.json --policy test/fixtures/policy.json --now "$now" \
    --protect 'prod-*' >/dev/null 2>&1 || status=$?
  [[ $status -eq 3 ]] || { echo "CLI on node $version: --protect exited $status, not 3" >&2; exit 1; }
  echo "CLI on node $version: preview and --protect gate OK"

  # The jsii runtime that Python, Java, .NET and Go apps run: it starts the `node` on PATH.
  if [[ ${#consumers[@]} -gt 0 ]]; then
    PATH="$bin:$PATH" test/consumers/run.sh "${consumers[@]}"
  fi
  times+=("Node $version: $((SECONDS - start)) s")
done

printf '\n'
printf '%s\n' "${times[@]}"
