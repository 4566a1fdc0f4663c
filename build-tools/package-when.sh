#!/usr/bin/env bash
# build-tools/package-when.sh REGISTRY LANGUAGE COMMAND...
# Runs COMMAND (a jsii-pacmak target) when REGISTRY answers (build-tools/registry.sh): then it must succeed. When
# it does not, prints one loud `*** SKIPPED: package:LANGUAGE (<why>) ***` line and removes dist/LANGUAGE, so that
# no stale package looks built. The package:<language> tasks of .projenrc.ts run it.
set -euo pipefail
registry="$1"
language="$2"
shift 2
if "$(dirname "${BASH_SOURCE[0]}")/registry.sh" "$registry" "package:$language"; then
  "$@"
else
  rm -rf "dist/$language"
fi
