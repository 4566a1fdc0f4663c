// The compliance harness app: one stack per cdk-secure-ecr feature set, synthesized with a current aws-cdk-lib,
// checked by the four cdk-nag 3.x packs and by AWS Control Tower's proactive controls (cdk-validator-cfnguard's
// bundled cfn-guard, offline). Writes cdk.out/ (for cfn-lint and checkov, see ../run.sh), cdk.out/nag-findings.json
// and cdk.out/control-tower-findings.json, and prints the cdk-nag table (check.py compares the Control Tower
// findings). Exit code 1 when a stack has an unexpected cdk-nag finding.
import * as fs from 'fs';
import * as path from 'path';
import { App, Environment, Validations, aws_ecr as ecr, aws_events_targets as targets, aws_iam as iam, aws_kms as kms, aws_sns as sns, aws_secretsmanager as secretsmanager, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import {
  EcrAccountSettings, EcrPublicRepository, GalleryArchitecture, GalleryOperatingSystem, RegistryPolicyScope,
  EcrManagedSigning, EcrPullThroughCache, EcrPullTimeUpdateExclusion, EcrRegistryPolicy, EcrRegistryScanning, EcrReplication, EcrRepository,
  EcrRepositoryCreationTemplate, EcrLifecycleRules, FindingSeverity, RegistryScanFrequency, RepositoryCreationTemplateAppliedFor, UpstreamRegistry,
} from 'cdk-secure-ecr';

const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
const app = new App({ outdir });

// The findings each stack is expected to have, with the reason for each (documented in the README).
const expected = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'expected-findings.json'), 'utf-8'));

interface Case { readonly stack: Stack; readonly expectedNag: string[] }
const cases: Case[] = [];
function stack(name: string, env?: Environment): Stack {
  const expectedNag = expected.stacks[name]?.['cdk-nag'];
  if (expectedNag === undefined) {
    throw new Error(`expected-findings.json has no entry for stack '${name}'`);
  }
  const s = new Stack(app, name, { env });
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

// Every access, encryption, alert and tag feature on one production repository.
const access = stack('Access');
const alertsKey = new kms.Key(access, 'AlertsKey', { enableKeyRotation: true, description: 'Encrypts the ECR alert topic' });
alertsKey.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
const alerts = new sns.Topic(access, 'Alerts', { masterKey: alertsKey, enforceSSL: true });
const shared = EcrRepository.forProduction(access, 'Repo', {
  repositoryName: 'shared/app',
  encryption: ecr.RepositoryEncryption.KMS,
  pullAccounts: ['222222222222'],
  pushAccounts: ['333333333333'],
  pullPrincipals: [iam.Role.fromRoleArn(access, 'Deployer', 'arn:aws:iam::444444444444:role/deployer')],
  pushPrincipals: [new iam.ServicePrincipal('codebuild.amazonaws.com')],
  lambdaPullAccounts: ['555555555555'],
  tags: { project: 'shop', environment: 'prod', team: 'platform' },
});
shared.notifyOnScanFindings('ScanFindings', { topic: alerts, minimumSeverity: FindingSeverity.HIGH, enhancedScanning: true });
shared.onImagePushed('Pushed', { target: new targets.SnsTopic(alerts) });

// Organization-wide pull is `Principal: "*"` restricted by aws:PrincipalOrgID. AwsSolutions-ECR1 flags every
// `*` principal, conditioned or not; the acknowledgment (with its reason) is in expected-findings.json.
EcrRepository.forProduction(stack('OrganizationPull'), 'Repo', {
  repositoryName: 'org-shared', encryption: ecr.RepositoryEncryption.KMS, pullOrganizationIds: ['o-a1b2c3d4e5'],
});

// The public-pull opt-in must stay visible to the scanners (AwsSolutions-ECR1, CKV_AWS_32).
EcrRepository.forProduction(stack('PublicPullOptIn'), 'Repo', {
  repositoryName: 'public-pull', encryption: ecr.RepositoryEncryption.KMS, dangerouslyAllowPullFromAnyAwsAccount: true,
});

// The compliance preset: zero findings in every tool.
EcrRepository.forCompliance(stack('Compliance'), 'Repo', { repositoryName: 'compliance' });

// The repositories ECR creates by itself: a KMS-encrypted, tagged, IMMUTABLE template (with its created key and
// role), and the one-line template of a pull through cache rule.
const templates = stack('CreationTemplate');
new EcrRepositoryCreationTemplate(templates, 'Root', {
  prefix: 'ROOT',
  appliedFor: [RepositoryCreationTemplateAppliedFor.CREATE_ON_PUSH, RepositoryCreationTemplateAppliedFor.REPLICATION],
  description: 'Every repository ECR creates on push or by replication',
  imageTagMutability: ecr.TagMutability.IMMUTABLE,
  encryption: ecr.RepositoryEncryption.KMS,
  lifecycleRules: EcrLifecycleRules.standardProd(),
  pullAccounts: ['222222222222'],
  tags: { team: 'platform' },
});
new EcrPullThroughCache(templates, 'EcrPublic', { upstream: UpstreamRegistry.ECR_PUBLIC })
  .addRepositoryCreationTemplate('Template', { imageTagMutability: ecr.TagMutability.IMMUTABLE, lifecycleRules: EcrLifecycleRules.standardProd() });

const exclusions = stack('PullTimeExclusion');
new EcrPullTimeUpdateExclusion(exclusions, 'Scanner', {
  principal: iam.Role.fromRoleArn(exclusions, 'ScannerRole', 'arn:aws:iam::111111111111:role/image-scanner'),
});

const signing = stack('ManagedSigning');
new EcrManagedSigning(signing, 'Signing', { repositoryFilters: ['prod/*'] })
  .grantSign(new iam.Role(signing, 'Pusher', { assumedBy: new iam.AccountPrincipal('111111111111') }));

const registryPolicy = new EcrRegistryPolicy(stack('RegistryPolicy'), 'Policy');
registryPolicy.allowReplicationFrom(['222222222222']);
registryPolicy.allowPullThroughCache('ecr-public', [iam.Role.fromRoleArn(registryPolicy, 'Puller', 'arn:aws:iam::111111111111:role/puller')]);

// The account settings ECR sets only through its API: two custom resources per setting (read once, put, put back on
// delete), on aws-cdk-lib's AwsCustomResource Lambda function.
new EcrAccountSettings(stack('AccountSettings'), 'Settings', { registryPolicyScope: RegistryPolicyScope.V2, blobMounting: true });

// A public repository (ECR Public exists only in us-east-1): anyone pulls, one named account pushes.
const publicRepository = stack('PublicRepository', { region: 'us-east-1' });
new EcrPublicRepository(publicRepository, 'Repo', {
  repositoryName: 'my-cli',
  repositoryDescription: 'The my-cli command line tool',
  architectures: [GalleryArchitecture.X86_64, GalleryArchitecture.ARM_64],
  operatingSystems: [GalleryOperatingSystem.LINUX],
  pushPrincipals: [new iam.AccountPrincipal('222222222222')],
  tags: { team: 'platform' },
}).grantPush(new iam.Role(publicRepository, 'Release', { assumedBy: new iam.AccountPrincipal('111111111111') }));

const packs: Array<() => NagPack> = [
  () => new AwsSolutionsChecks(),
  () => new NIST80053R5Checks(),
  () => new HIPAASecurityChecks(),
  () => new PCIDSS321Checks(),
];

interface Finding { readonly stack: string; readonly pack: string; readonly rule: string; readonly severity: string; readonly resources: string[] }
function runPacks(): Finding[] {
  const found: Finding[] = [];
  for (const { stack: s } of cases) {
    for (const make of packs) {
      const pack = make();
      for (const v of pack.validateScope(s).violations) {
        found.push({
          stack: s.stackName,
          pack: pack.readPackName,
          rule: v.ruleName,
          severity: v.severity ?? 'error',
          resources: v.violatingResources.map(r => r.constructPath ?? r.resourceLogicalId ?? '?'),
        });
      }
    }
  }
  return found;
}

// Acknowledge, as a user would, the findings expected-findings.json explains; each must really have fired first.
const before = runPacks();
const acknowledged: Finding[] = [];
let unexpected = 0;
for (const [constructPath, rules] of Object.entries<Record<string, string>>(expected.acknowledged ?? {})) {
  const construct = app.node.findChild(constructPath.split('/')[0]).node.findChild(constructPath.split('/')[1]);
  for (const [id, reason] of Object.entries(rules)) {
    const fired = before.filter(f => f.rule === id && f.resources.some(r => r.startsWith(`${constructPath}/`)));
    if (fired.length === 0) {
      console.error(`cdk-nag: ${id} is acknowledged on ${constructPath} but does not fire there; remove it from expected-findings.json`);
      unexpected++;
    }
    acknowledged.push(...fired);
    Validations.of(construct).acknowledge({ id, reason });
  }
}
const findings = runPacks();

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
fs.writeFileSync(path.join(outdir, 'nag-findings.json'), JSON.stringify({ findings, acknowledged }, null, 2));

// AWS Control Tower's proactive controls, every service's (cfn-guard rules bundled with cdk-validator-cfnguard).
// A user adds the plugin with `new App({ policyValidationBeta1: [new CfnGuardValidator()] })`, which fails the synth
// on any finding; the harness calls the same plugin on the synthesized templates, to compare findings per stack.
const templatePaths = cases.map(({ stack: s }) => path.join(outdir, s.templateFile));
const guard = new CfnGuardValidator().validate({ templatePaths, appConstruct: app });
const controlTower: Record<string, string[]> = Object.fromEntries(cases.map(({ stack: s }) => [s.stackName, []]));
for (const violation of guard.violations) {
  const control = /^\[([A-Z0-9.]+)\]/.exec(violation.description)?.[1] ?? violation.ruleName;
  for (const resource of violation.violatingResources) {
    const name = path.basename(resource.templatePath, '.template.json');
    controlTower[name] = [...new Set([...controlTower[name], control])].sort();
  }
}
fs.writeFileSync(path.join(outdir, 'control-tower-findings.json'), JSON.stringify(controlTower, null, 2));

console.log('cdk-nag (aws-cdk-lib %s, cdk-nag %s)', require('aws-cdk-lib/package.json').version, require('cdk-nag/package.json').version);
console.log('%s  %s  %s  %s', 'stack'.padEnd(18), 'pack'.padEnd(20), 'findings'.padEnd(8), 'rules');
for (const { stack: s, expectedNag } of cases) {
  for (const make of packs) {
    const name = make().readPackName;
    const mine = findings.filter(f => f.stack === s.stackName && f.pack === name);
    const bad = mine.filter(f => !expectedNag.includes(f.rule));
    unexpected += bad.length;
    const acks = acknowledged.filter(f => f.stack === s.stackName && f.pack === name).map(f => `${f.rule}(acknowledged)`);
    const rules = [...mine.map(f => `${f.rule}(${f.severity})${bad.includes(f) ? ' UNEXPECTED' : ''}`), ...acks].join(', ') || '-';
    console.log('%s  %s  %s  %s', s.stackName.padEnd(18), name.padEnd(20), String(mine.length).padEnd(8), rules);
  }
}
if (unexpected > 0) {
  console.error(`cdk-nag: ${unexpected} unexpected finding(s); see ${path.join(outdir, 'nag-findings.json')}`);
  process.exit(1);
}
