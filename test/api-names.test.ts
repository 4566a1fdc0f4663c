// No exported type of ours may share its name with a type of any aws-cdk-lib module users import next to ours:
// Python's `from aws_cdk.aws_ecs import *`, Java's imports and C#'s `using` would collide (aws_ecs.EcrImage,
// aws_efs.LifecyclePolicy and aws_s3.ReplicationRule exist). Checked on the floor and on the newest aws-cdk-lib
// (the `aws-cdk-lib-newest` dev dependency), every module of each.
import { readFileSync } from 'fs';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import * as ts from 'typescript';

/** Type names of an aws-cdk-lib jsii assembly, by module ('core' for the root), as jsii's Python/Java/.NET see them. */
function awsCdkLibTypes(packageName: string): Map<string, Set<string>> {
  const dir = join(require.resolve(`${packageName}/package.json`), '..');
  const redirect = JSON.parse(readFileSync(join(dir, '.jsii'), 'utf8'));
  const assembly = redirect.schema === 'jsii/file-redirect'
    ? JSON.parse(gunzipSync(readFileSync(join(dir, redirect.filename))).toString('utf8'))
    : redirect;
  const byModule = new Map<string, Set<string>>();
  for (const fqn of Object.keys(assembly.types)) {
    const parts = fqn.split('.');
    const module = parts.length === 2 ? 'core' : parts[1];
    byModule.set(module, (byModule.get(module) ?? new Set()).add(parts[parts.length - 1]));
  }
  return byModule;
}

/** The names `src/index.ts` exports: exactly the types jsii puts in our assembly. */
function ourExports(): string[] {
  const index = join(__dirname, '..', 'src', 'index.ts');
  const program = ts.createProgram([index], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noEmit: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return checker.getExportsOfModule(symbol).map(s => s.getName());
}

const exported = ourExports();
const floor = awsCdkLibTypes('aws-cdk-lib');
const newest = awsCdkLibTypes('aws-cdk-lib-newest');

test('the API exports its constructs, structs and enums', () => {
  expect(exported).toEqual(expect.arrayContaining(['EcrRepository', 'EcrRepositoryProps', 'RepositoryAccessProps', 'ImageDetail',
    'LifecyclePreviewOptions', 'LifecyclePreviewResult', 'EcrLifecycleRules', 'EcrLifecyclePolicy', 'EcrReplicationRule',
    'EcrPublicRepository', 'EcrPublicRepositoryProps', 'GalleryArchitecture', 'GalleryOperatingSystem', 'EcrAccountSettings',
    'EcrAccountSettingsProps', 'RegistryPolicyScope']));
});

describe.each([['the floor', floor], ['the newest', newest]])('on %s aws-cdk-lib', (_, cdk) => {
  test('the assembly has every module, not a few', () => {
    expect(cdk.size).toBeGreaterThan(200);
    expect([...cdk.keys()]).toEqual(expect.arrayContaining(['core', 'aws_ecr', 'aws_ecs', 'aws_efs', 'aws_s3', 'aws_lambda']));
  });

  test('no exported type shares a name with a type of any module', () => {
    const clashes = [...cdk].flatMap(([module, theirs]) => exported.filter(name => theirs.has(name)).map(name => `${module}.${name}`));
    expect(clashes).toEqual([]);
  });

  test('the check sees the clashes that made our names: EcrImage, RepositoryImage, LifecyclePolicy, ReplicationRule', () => {
    expect(cdk.get('aws_ecs')?.has('EcrImage')).toBe(true);
    expect(cdk.get('aws_ecs')?.has('RepositoryImage')).toBe(true);
    expect(cdk.get('aws_efs')?.has('LifecyclePolicy')).toBe(true);
    expect(cdk.get('aws_s3')?.has('ReplicationRule')).toBe(true);
  });
});
