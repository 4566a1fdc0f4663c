// No exported type of ours may share its name with a type of the aws-cdk-lib modules our users import next to
// ours: Python's `from aws_cdk.aws_ecs import *` and Java's imports would collide (aws_ecs.EcrImage exists).
import { readFileSync } from 'fs';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import * as ts from 'typescript';

const MODULES = ['aws_ecr', 'aws_ecs', 'aws_lambda', 'aws_iam', 'aws_kms', 'aws_events', 'aws_events_targets', 'aws_sns'];

/** Type names of aws-cdk-lib's jsii assembly, by module ('core' for the root), as jsii's Python/Java/.NET see them. */
function awsCdkLibTypes(): Map<string, Set<string>> {
  const dir = join(require.resolve('aws-cdk-lib/package.json'), '..');
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
const cdk = awsCdkLibTypes();

test('the API exports its constructs, structs and enums', () => {
  expect(exported).toEqual(expect.arrayContaining(['EcrRepository', 'EcrRepositoryProps', 'RepositoryAccessProps', 'ImageDetail',
    'LifecyclePreviewOptions', 'LifecyclePreviewResult', 'EcrLifecycleRules', 'LifecyclePolicy']));
});

test.each(['core', ...MODULES])('no exported type shares a name with a type of aws-cdk-lib %s', (module) => {
  const theirs = cdk.get(module);
  expect(theirs?.size).toBeGreaterThan(0);
  expect(exported.filter(name => theirs!.has(name))).toEqual([]);
});

test('the check sees a clash: aws_ecs has an EcrImage and a RepositoryImage (so our image struct is ImageDetail)', () => {
  expect(cdk.get('aws_ecs')?.has('EcrImage')).toBe(true);
  expect(cdk.get('aws_ecs')?.has('RepositoryImage')).toBe(true);
});
