// The compliance harness app: one stack per cdk-secure-ecr feature set, synthesized with a current aws-cdk-lib,
// checked by the four cdk-nag 3.x packs. Writes cdk.out/ (for cfn-lint and checkov, see ../run.sh) and
// cdk.out/nag-findings.json, and prints a findings table. Exit code 1 when a stack has an unexpected finding.
import * as fs from 'fs';
import * as path from 'path';
import { App, aws_ecr as ecr, aws_iam as iam, aws_kms as kms, aws_sns as sns, aws_secretsmanager as secretsmanager, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import {
  EcrPullThroughCache, EcrRegistryScanning, EcrReplication, EcrRepository, RegistryScanFrequency, UpstreamRegistry,
} from 'cdk-secure-ecr';

const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
const app = new App({ outdir });

// The findings each stack is expected to have, with the reason for each (documented in the README).
const expected = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'expected-findings.json'), 'utf-8'));

interface Case { readonly stack: Stack; readonly expectedNag: string[] }
const cases: Case[] = [];
function stack(name: string): Stack {
  const expectedNag = expected.stacks[name]?.['cdk-nag'];
  if (expectedNag === undefined) {
    throw new Error(`expected-findings.json has no entry for stack '${name}'`);
  }
  const s = new Stack(app, name);
  cases.push({ stack: s, expectedNag });
  return s;
}

new EcrRepository(stack('Defaults'), 'Repo', { repositoryName: 'defaults' });

EcrRepository.forProduction(stack('ProductionWithKey'), 'Repo', {
  repositoryName: 'prod-with-key',
  encryptionKey: new kms.Key(cases[cases.length - 1].stack, 'Key', {
    enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN, description: 'Images of prod-with-key',
  }),
});

EcrRepository.forProduction(stack('ProductionNoKey'), 'Repo', { repositoryName: 'prod-no-key' });

EcrRepository.forDevelopment(stack('Development'), 'Repo', { repositoryName: 'dev' });

const registry = stack('Registry');
new EcrRegistryScanning(registry, 'Scanning', {
  rules: [
    { frequency: RegistryScanFrequency.CONTINUOUS_SCAN, repositoryFilters: ['prod-*'] },
    { frequency: RegistryScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] },
  ],
});
new EcrReplication(registry, 'Replication', {
  rules: [
    { destinations: [{ region: 'eu-west-1' }], repositoryPrefixes: ['prod'] },
    { destinations: [{ region: 'us-west-2', account: '222222222222' }] },
  ],
});
new EcrPullThroughCache(registry, 'EcrPublic', { upstream: UpstreamRegistry.ECR_PUBLIC });
new EcrPullThroughCache(registry, 'DockerHub', {
  upstream: UpstreamRegistry.DOCKER_HUB,
  credential: secretsmanager.Secret.fromSecretNameV2(registry, 'DockerHubToken', 'ecr-pullthroughcache/docker-hub'),
});

const packs: Array<() => NagPack> = [
  () => new AwsSolutionsChecks(),
  () => new NIST80053R5Checks(),
  () => new HIPAASecurityChecks(),
  () => new PCIDSS321Checks(),
];

interface Finding { readonly stack: string; readonly pack: string; readonly rule: string; readonly severity: string; readonly resources: string[] }
const findings: Finding[] = [];
for (const { stack: s } of cases) {
  for (const make of packs) {
    const pack = make();
    for (const v of pack.validateScope(s).violations) {
      findings.push({
        stack: s.stackName,
        pack: pack.readPackName,
        rule: v.ruleName,
        severity: v.severity ?? 'error',
        resources: v.violatingResources.map(r => r.constructPath ?? r.resourceLogicalId ?? '?'),
      });
    }
  }
}

// Canary: a zero above means something only if the packs find problems. A public ECR repository, a KMS key
// without rotation and an unencrypted SNS topic, in an app of their own (never synthesized), must trip every pack.
const canary = new Stack(new App(), 'Canary');
new ecr.Repository(canary, 'Repo').addToResourcePolicy(new iam.PolicyStatement({
  principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage'],
}));
new kms.Key(canary, 'Key', { enableKeyRotation: false });
new sns.Topic(canary, 'Topic');
for (const make of packs) {
  const pack = make();
  const rules = pack.validateScope(canary).violations.map(v => v.ruleName);
  console.log('canary  %s  %s', pack.readPackName.padEnd(20), rules.join(', ') || 'NOTHING FOUND');
  if (rules.length === 0) {
    console.error(`cdk-nag: the ${pack.readPackName} pack found nothing in the canary stack; it is not checking`);
    process.exit(1);
  }
}

app.synth();
fs.writeFileSync(path.join(outdir, 'nag-findings.json'), JSON.stringify(findings, null, 2));

let unexpected = 0;
console.log('cdk-nag (aws-cdk-lib %s, cdk-nag %s)', require('aws-cdk-lib/package.json').version, require('cdk-nag/package.json').version);
console.log('%s  %s  %s  %s', 'stack'.padEnd(18), 'pack'.padEnd(20), 'findings'.padEnd(8), 'rules');
for (const { stack: s, expectedNag } of cases) {
  for (const make of packs) {
    const name = make().readPackName;
    const mine = findings.filter(f => f.stack === s.stackName && f.pack === name);
    const bad = mine.filter(f => !expectedNag.includes(f.rule));
    unexpected += bad.length;
    const rules = mine.map(f => `${f.rule}(${f.severity})${bad.includes(f) ? ' UNEXPECTED' : ''}`).join(', ') || '-';
    console.log('%s  %s  %s  %s', s.stackName.padEnd(18), name.padEnd(20), String(mine.length).padEnd(8), rules);
  }
}
if (unexpected > 0) {
  console.error(`cdk-nag: ${unexpected} unexpected finding(s); see ${path.join(outdir, 'nag-findings.json')}`);
  process.exit(1);
}
