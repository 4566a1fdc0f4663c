// Prints one line per ECR repository, repository creation template, public repository and account setting found
// in a cloud assembly (default: cdk.out/), for `npm run example`.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const assemblyDir = process.argv[2] ?? 'cdk.out';
const templates = readdirSync(assemblyDir).filter(file => file.endsWith('.template.json'));

for (const file of templates) {
  const template = JSON.parse(readFileSync(join(assemblyDir, file), 'utf8'));
  for (const resource of Object.values<any>(template.Resources ?? {})) {
    if (resource.Type === 'AWS::ECR::RepositoryCreationTemplate') {
      const props = resource.Properties;
      const rules: any[] = props.LifecyclePolicy ? JSON.parse(props.LifecyclePolicy).rules : [];
      console.log([
        `template ${props.Prefix}:`,
        `for=${props.AppliedFor.join(',')}`,
        `tags=${props.ImageTagMutability}`,
        `encryption=${props.EncryptionConfiguration.EncryptionType}`,
        `rules=[${rules.map(describeRule).join('; ') || 'none'}]`,
      ].join(' '));
    }
    if (resource.Type === 'AWS::ECR::PublicRepository') {
      const props = resource.Properties ?? {};
      const catalog = props.RepositoryCatalogData ?? {};
      const statements: any[] = props.RepositoryPolicyText?.Statement ?? [];
      console.log([
        `public ${props.RepositoryName ?? '(generated name)'}:`,
        `pull=anyone push=${statements.filter(s => s.Effect === 'Allow').length} statement(s)`,
        `arch=${(catalog.Architectures ?? []).join(',') || 'none'}`,
        `os=${(catalog.OperatingSystems ?? []).join(',') || 'none'}`,
        `removal=${resource.DeletionPolicy}`,
      ].join(' '));
    }
    // EcrAccountSettings: the PutAccountSetting custom resource of each setting (its Create call is a JSON string).
    const create = resource.Type === 'Custom::AWS' ? JSON.parse(resource.Properties.Create) : undefined;
    if (create?.action === 'PutAccountSetting') {
      console.log(`account setting ${create.parameters.name}=${create.parameters.value} (previous value restored on delete)`);
    }
    if (resource.Type !== 'AWS::ECR::Repository') continue;
    const props = resource.Properties ?? {};
    const rules: any[] = props.LifecyclePolicy ? JSON.parse(props.LifecyclePolicy.LifecyclePolicyText).rules : [];
    console.log([
      `${props.RepositoryName ?? '(generated name)'}:`,
      `scan=${props.ImageScanningConfiguration?.ScanOnPush ? 'on-push' : 'off'}`,
      `tags=${props.ImageTagMutability}`,
      `encryption=${props.EncryptionConfiguration?.EncryptionType}`,
      `removal=${resource.DeletionPolicy}${props.EmptyOnDelete ? '+empty-on-delete' : ''}`,
      `rules=[${rules.map(describeRule).join('; ') || 'none'}]`,
    ].join(' '));
  }
}

function describeRule(rule: any): string {
  const { tagStatus, tagPrefixList, tagPatternList, countType, countNumber } = rule.selection;
  const which = tagStatus === 'tagged' ? `tagged ${[...(tagPrefixList ?? []), ...(tagPatternList ?? [])].join(',')}*` : tagStatus;
  const when = countType === 'imageCountMoreThan' ? `beyond newest ${countNumber}` : `after ${countNumber}d`;
  return `${rule.rulePriority}: ${which} ${when}`;
}
