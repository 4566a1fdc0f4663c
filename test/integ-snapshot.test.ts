// The committed integration snapshot (test/integ.repository.ts.snapshot) carries exactly the lifecycle policy
// text ECR is asked to store, and the integration test asserts that ECR returns that same text.
import { readFileSync } from 'fs';
import { join } from 'path';

const SNAPSHOT = join(__dirname, 'integ.repository.ts.snapshot');
const template = (name: string) => JSON.parse(readFileSync(join(SNAPSHOT, `${name}.template.json`), 'utf8'));

/** The LifecyclePolicyText of the repository whose logical ID starts with `prefix`. */
function policyText(prefix: string): string {
  const resources = Object.entries<any>(template('SecureEcrInteg').Resources)
    .filter(([id, resource]) => id.startsWith(prefix) && resource.Type === 'AWS::ECR::Repository');
  expect(resources).toHaveLength(1);
  return resources[0][1].Properties.LifecyclePolicy.LifecyclePolicyText;
}

const untagged = (rulePriority: number, days: number) => ({
  rulePriority,
  description: `Expire untagged images ${days} days after push`,
  selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: days },
  action: { type: 'expire' },
});
const keepLast = (rulePriority: number, count: number) => ({
  rulePriority,
  description: `Keep only the ${count} most recent images`,
  selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: count },
  action: { type: 'expire' },
});

const DEV_POLICY = JSON.stringify({ rules: [untagged(1, 7), keepLast(2, 10)] });
const PROD_POLICY = JSON.stringify({
  rules: [
    {
      rulePriority: 1,
      description: 'Expire images tagged \'pr-*\' 3 days after push',
      selection: { tagStatus: 'tagged', tagPrefixList: ['pr-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 },
      action: { type: 'expire' },
    },
    untagged(2, 14),
    keepLast(3, 30),
  ],
});

test('the development repository of the snapshot has the standardDev policy text, exactly', () => {
  expect(policyText('Dev')).toBe(DEV_POLICY);
});

test('the production repository of the snapshot has the pull-request, untagged and keep-30 policy text, exactly', () => {
  expect(policyText('Prod')).toBe(PROD_POLICY);
});

test('the integration test expects ECR to return each policy text, every rule and field', () => {
  const assertions = JSON.stringify(template('SecureEcrIntegTestDefaultTestDeployAssert0D1ECD7D'));
  for (const text of [DEV_POLICY, PROD_POLICY]) {
    expect(assertions).toContain(JSON.stringify(JSON.stringify({ $SerializedJson: JSON.parse(text) })).slice(1, -1));
  }
});
