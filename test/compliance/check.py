"""Runs cfn-lint and checkov on the harness's synthesized templates, compares every finding with
expected-findings.json, and prints one summary table with the cdk-nag and Control Tower results that the app
wrote (cdk.out/nag-findings.json, cdk.out/control-tower-findings.json).

Usage: python check.py CDK_OUT_DIR [EXAMPLE_CDK_OUT_DIR]   (run.sh calls it with the venv's python).
The example app's templates (from `npm run example`), when given, must pass cfn-lint and may fail only the checkov
checks that expected-findings.json allows for the documented defaults. Exit 1 on any unexpected finding.
"""
import glob
import json
import os
import subprocess
import sys
import time

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
expected = json.load(open(os.path.join(here, 'expected-findings.json')))
templates = sorted(glob.glob(os.path.join(out, '*.template.json')))
stacks = [os.path.basename(t)[:-len('.template.json')] for t in templates]
harness_stacks = list(stacks)
if len(sys.argv) > 2:
    example_templates = sorted(glob.glob(os.path.join(sys.argv[2], '*.template.json')))
    if not example_templates:
        sys.exit(f'no templates in {sys.argv[2]}: run `npm run example` first')
    templates += example_templates
    stacks += ['example:' + os.path.basename(t)[:-len('.template.json')] for t in example_templates]


def allowed_checkov(stack):
    if stack.startswith('example:'):
        return expected['example-app']['checkov-allowed']
    return expected['stacks'].get(stack, {}).get('checkov', [])

bindir = os.path.dirname(sys.executable)
rows = []  # (tool, rule set, stack, findings, status)
unexpected = []

missing = sorted(set(expected['stacks']) ^ set(harness_stacks))
if missing:
    unexpected.append(f'stacks and expected-findings.json disagree on: {", ".join(missing)}')

# cdk-nag: already run by the app; its findings are in nag-findings.json.
nag_report = json.load(open(os.path.join(out, 'nag-findings.json')))
nag, acknowledged = nag_report['findings'], nag_report['acknowledged']
for pack in ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']:
    for stack in harness_stacks:
        found = sorted({f['rule'] for f in nag if f['stack'] == stack and f['pack'] == pack})
        acks = sorted({f['rule'] for f in acknowledged if f['stack'] == stack and f['pack'] == pack})
        allowed = expected['stacks'].get(stack, {}).get('cdk-nag', [])
        bad = [r for r in found if r not in allowed]
        unexpected += [f'cdk-nag {pack} {stack}: {r}' for r in bad]
        shown = found + [f'{r} (acknowledged)' for r in acks]
        rows.append(('cdk-nag', pack, stack, ', '.join(shown) or '0', 'UNEXPECTED' if bad else 'ok'))

# AWS Control Tower's proactive controls: already run by the app (cdk-validator-cfnguard); exactly the expected
# controls per stack, like checkov (one that no longer fires is a change too).
control_tower = json.load(open(os.path.join(out, 'control-tower-findings.json')))
for stack in harness_stacks:
    found = control_tower.get(stack, [])
    allowed = expected['stacks'].get(stack, {}).get('control-tower', [])
    extra = [c for c in found if c not in allowed]
    gone = [c for c in allowed if c not in found]
    unexpected += [f'Control Tower {stack}: {c} failed' for c in extra]
    unexpected += [f'Control Tower {stack}: expected {c} no longer fails; update expected-findings.json and the README' for c in gone]
    rows.append(('cfn-guard', 'Control Tower', stack, ', '.join(found) or '0', 'UNEXPECTED' if extra or gone else 'ok'))

# cfn-lint: zero errors on every template (warnings and informational findings are listed, not fatal).
start = time.time()
lint = subprocess.run([os.path.join(bindir, 'cfn-lint'), '--format', 'json', *templates], capture_output=True, text=True)
lint_seconds = time.time() - start
if lint.returncode not in (0, 2, 4, 6, 8, 10, 12, 14):
    print(lint.stdout, lint.stderr, file=sys.stderr)
    sys.exit(f'cfn-lint failed to run (exit {lint.returncode})')
matches = json.loads(lint.stdout or '[]')
for stack, template in zip(stacks, templates):
    mine = [m for m in matches if os.path.abspath(m['Filename']) == os.path.abspath(template)]
    errors = [m for m in mine if m['Level'] == 'Error']
    unexpected += [f"cfn-lint {stack}: {m['Rule']['Id']} {m['Message']}" for m in errors]
    found = ', '.join(sorted({f"{m['Rule']['Id']}({m['Level']})" for m in mine})) or '0'
    rows.append(('cfn-lint', 'all rules', stack, found, 'UNEXPECTED' if errors else 'ok'))

# checkov: exactly the expected failed checks per template.
start = time.time()
args = [os.path.join(bindir, 'checkov'), '--framework', 'cloudformation', '--quiet', '--compact', '-o', 'json']
for template in templates:
    args += ['-f', template]
scan = subprocess.run(args, capture_output=True, text=True)
checkov_seconds = time.time() - start
if scan.returncode not in (0, 1):
    print(scan.stdout, scan.stderr, file=sys.stderr)
    sys.exit(f'checkov failed to run (exit {scan.returncode})')
reports = json.loads(scan.stdout or '[]')
reports = reports if isinstance(reports, list) else [reports]
failed = [c for r in reports for c in r.get('results', {}).get('failed_checks', [])]
for stack, template in zip(stacks, templates):
    found = sorted({c['check_id'] for c in failed if os.path.basename(c['file_path']) == os.path.basename(template)})
    allowed = sorted(allowed_checkov(stack))
    extra = [c for c in found if c not in allowed]
    # An expected finding that no longer appears is also a change (the example app's list is an allowance only).
    gone = [] if stack.startswith('example:') else [c for c in allowed if c not in found]
    unexpected += [f'checkov {stack}: {c} failed' for c in extra]
    unexpected += [f'checkov {stack}: expected {c} no longer fails; update expected-findings.json and the README' for c in gone]
    rows.append(('checkov', 'cloudformation', stack, ', '.join(found) or '0', 'UNEXPECTED' if extra or gone else 'ok'))

widths = [max(len(str(r[i])) for r in rows + [('tool', 'rule set', 'stack', 'findings', 'status')]) for i in range(5)]
line = lambda r: '  '.join(str(c).ljust(w) for c, w in zip(r, widths))
print(line(('tool', 'rule set', 'stack', 'findings', 'status')))
for r in rows:
    print(line(r))
print()
for check, reason in expected['reasons'].items():
    print(f'{check}: {reason}')
print(f'\ncfn-lint {lint_seconds:.1f}s, checkov {checkov_seconds:.1f}s on {len(templates)} templates')
if unexpected:
    print('\nUNEXPECTED:\n  ' + '\n  '.join(unexpected), file=sys.stderr)
    sys.exit(1)
