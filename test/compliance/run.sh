#!/usr/bin/env bash
# Compliance harness: packs cdk-secure-ecr, installs the tarball into a separate app with the newest aws-cdk-lib
# and cdk-nag 3.x (test/compliance/package-lock.json), synthesizes one stack per feature set, and checks them with
# cdk-nag (AwsSolutions, NIST 800-53 R5, HIPAA, PCI DSS 3.2.1), AWS Control Tower's proactive controls
# (@cdklabs/cdk-validator-cfnguard, whose bundled cfn-guard runs offline), cfn-lint and checkov. Every finding must be one
# listed in expected-findings.json; anything else exits non-zero. The example app's templates (cdk.out/ at the
# repository root, from `npm run example`) are checked with cfn-lint and checkov too when they are there.
#
# Usage: test/compliance/run.sh [--use-existing-tarball]
#   --use-existing-tarball  skip `projen compile` + `projen package:js` (when `projen build` already packaged)
# The Python venv with the scanners is cached under $HOME/.cache/cdk-secure-ecr (override: COMPLIANCE_VENV_DIR).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
started=$SECONDS
phase() { echo "== $1 ($((SECONDS - started))s)"; }

if [[ "${1:-}" != "--use-existing-tarball" ]]; then
  phase "packing the library (projen compile, projen package:js)"
  (cd "$root" && npx projen compile && npx projen package:js)
fi
shopt -s nullglob
tarballs=("$root"/dist/js/cdk-secure-ecr@*.tgz)
if [[ ${#tarballs[@]} -ne 1 ]]; then
  echo "expected exactly one dist/js/cdk-secure-ecr@*.tgz, found ${#tarballs[@]}; run without --use-existing-tarball" >&2
  exit 1
fi

phase "python venv with cfn-lint and checkov"
requirements="$here/requirements.txt"
venv_root="${COMPLIANCE_VENV_DIR:-$HOME/.cache/cdk-secure-ecr}"
venv="$venv_root/venv-$(sha256sum "$requirements" | cut -c1-12)"
# cfn-lint and checkov come from PyPI: where it is unreachable and no venv of these requirements was made before,
# their part is skipped with one loud line (build-tools/registry.sh); cdk-nag and the Control Tower controls still run.
scanners=yes
if [[ ! -x "$venv/bin/checkov" || ! -x "$venv/bin/cfn-lint" ]]; then
  if "$root/build-tools/registry.sh" pypi 'compliance: cfn-lint and checkov (test/compliance/run.sh)'; then
    rm -rf "$venv"
    mkdir -p "$venv_root"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  else
    scanners=no
  fi
fi
if [[ $scanners == yes ]]; then
  "$venv/bin/cfn-lint" --version
  echo "checkov $("$venv/bin/checkov" --version)"
fi

phase "npm ci (aws-cdk-lib, cdk-nag from package-lock.json) and the packed library"
cd "$here"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
npm install --no-save --no-audit --no-fund --prefer-offline --loglevel=error "${tarballs[0]}"

phase "synthesizing the harness app, running cdk-nag and the Control Tower controls"
rm -rf cdk.out dist
npx tsc -p .
node dist/app.js cdk.out

phase "cfn-lint and checkov (the harness, and the example app when \`npm run example\` has synthesized it)"
if [[ $scanners == no ]]; then
  echo "cfn-lint and checkov skipped (see the SKIPPED line above)"
elif compgen -G "$root/cdk.out/*.template.json" > /dev/null; then
  "$venv/bin/python" check.py cdk.out "$root/cdk.out"
else
  echo "no example app templates in $root/cdk.out (run \`npm run example\` first to check them too)"
  "$venv/bin/python" check.py cdk.out
fi

[[ $scanners == yes ]] && phase "compliance harness passed" || phase "compliance harness passed (cdk-nag and Control Tower only: cfn-lint and checkov SKIPPED)"
