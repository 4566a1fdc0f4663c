// The project definition: projen generates package.json, tsconfig, jest and task config from this file.
// Edit here, then run `npx projen`.
import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// The lowest aws-cdk-lib with every feature the library uses: `CfnPullTimeUpdateExclusion` and
// `CfnSigningConfiguration` (EcrPullTimeUpdateExclusion, EcrManagedSigning) arrived in 2.230.0.
const CDK_VERSION = '2.230.0';
// The newest integ-tests-alpha whose peer range accepts CDK_VERSION.
const INTEG_TESTS_ALPHA_VERSION = '2.214.0-alpha.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-secure-ecr',
  description: 'An Amazon ECR repository that is secure and tidy by default: scan on push, explicit encryption, RETAIN, validated lifecycle rules and presets for development, production and compliance.',
  author: 'cdk-secure-ecr maintainers',
  authorAddress: 'maintainers@cdk-secure-ecr.dev',
  repositoryUrl: 'https://github.com/cdk-secure-ecr/cdk-secure-ecr.git',
  license: 'Apache-2.0',
  // Until 1.0 the public names may still change; jsii marks every type experimental.
  stability: 'experimental',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'ecr', 'container', 'registry', 'lifecycle', 'security'],

  cdkVersion: CDK_VERSION,
  // The constructs release aws-cdk-lib's Go bindings at CDK_VERSION require (aws-cdk-go v2.230.0's go.mod): with
  // 10.5 (which adds IConstruct.With) its awsevents package no longer compiles, so dist/go would not build.
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',
  // package.json `engines`: the Node.js release lines jsii still supports (Node 20 reached its end of life).
  // `.ci/node-versions.sh` runs the unit tests, the CLI and consumer apps (the jsii runtime) on 22 and 24.
  minNodeVersion: '22.0.0',
  // The release workflows keep building on the current LTS, not on the oldest version supported.
  workflowNodeVersion: 'lts/*',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // `.ci/run` is the CI of record. projen's GitHub workflows are generated so that a maintainer can switch on
  // releases: versions from conventional commits, publib to npm, PyPI, Maven Central, NuGet and the Go module
  // repository (CONTRIBUTING.md lists the secrets each needs).
  github: true,
  buildWorkflow: true,
  release: true,
  releaseToNpm: true,
  depsUpgrade: false,
  pullRequestTemplate: false,
  githubOptions: { mergify: false },
  sampleCode: false,
  // The dev config (tests, build tools, .projenrc.ts) at the top level, next to tsconfig.json.
  tsconfigDevFile: 'tsconfig.dev.json',
  // One type-checked project for everything eslint reads: the dev config, which includes src/, test/ and the tools.
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'build-tools', 'projenrc', '.projenrc.ts'],
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
  },

  devDeps: [
    'aws-cdk', // the real CLI, for `npm run example` (cdk synth)
    '@aws-cdk/integ-runner',
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA_VERSION}`,
    'fast-check', // property-based tests
    // The newest aws-cdk-lib under its own name, beside the floor: test/api-names.test.ts reads its jsii assembly, so
    // that no exported name of ours clashes with a type users import next to ours from any module.
    'aws-cdk-lib-newest@npm:aws-cdk-lib@2.278.0',
  ],

  jestOptions: {
    passWithNoTests: false,
    // Snapshots are compared, never rewritten, by `npm test`; `npx projen test:update` rewrites them.
    updateSnapshot: UpdateSnapshot.NEVER,
    // Machine-readable results for `.ci/run`'s closing "N passed, N failed" line.
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
    jestConfig: {
      coverageThreshold: { lines: 95, branches: 95, functions: 95, statements: 95 },
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '\\.snapshot/'],
      setupFiles: ['<rootDir>/test/fast-check-seed.ts'],
    },
  },

  // `ecr-lifecycle-preview`: which images a lifecycle policy expires, archives or keeps, and why.
  bin: { 'ecr-lifecycle-preview': 'lib/cli/main.js' },

  // Every jsii language the library ships in. `test/consumers/` holds one real application per language
  // that installs the package built here (dist/) and synthesizes with it.
  publishToPypi: {
    distName: 'cdk-secure-ecr',
    module: 'cdk_secure_ecr',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdksecureecr',
    mavenGroupId: 'io.github.cdk-secure-ecr',
    mavenArtifactId: 'cdk-secure-ecr',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-secure-ecr/cdk-secure-ecr-go',
    packageName: 'cdksecureecr',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkSecureEcr',
    packageId: 'CdkSecureEcr',
  },

  gitignore: [
    'cdk.out/',
    '**/*.snapshot/**/asset.*',
    'test/**/cdk-integ.out.*',
    // build output of the consumer apps (test/consumers/)
    'test/consumers/python/.venv/',
    'test/consumers/**/.pytest_cache/',
    'test/consumers/**/__pycache__/',
    'test/consumers/java/target/',
    'test/consumers/dotnet/bin/',
    'test/consumers/dotnet/obj/',
    // the .NET apps' own NuGet package folder (test/consumers/run.sh)
    'test/consumers/.nuget/',
    'test/consumers/fsharp/**/bin/',
    'test/consumers/fsharp/**/obj/',
    // the C# README examples' generated project (build-tools/readme-csharp.ts)
    'test/consumers/.readme-csharp/',
  ],
});
// aws-cdk-lib-newest asks for a newer constructs than the floor's: only its jsii assembly is read, never its code.
project.package.addField('overrides', { 'aws-cdk-lib-newest': { constructs: '$constructs' } });
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/cdk.json');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/rosetta/');
project.addPackageIgnore('cdk.out/');

// jsii's reserved-word warnings are shown, not silenced as projen does: a member or parameter named after a C#,
// Java, Python or Go keyword is awkward there (C# needs @name). Read once for .NET: none fires today.
project.compileTask.reset('jsii');
project.tasks.tryFind('watch')!.reset('jsii -w');

// Every TypeScript example in the README must compile (rosetta/default.ts-fixture provides the imports).
project.postCompileTask.exec('jsii-rosetta extract --strict');
// ... and the README shows rosetta's Python translation under each (test/consumers/python runs them).
project.postCompileTask.exec('ts-node --prefer-ts-exts build-tools/readme-python.ts');
project.gitignore.addPatterns('.jsii.tabl.json', '.jsii.tabl.json.*');

// Packaging. projen's default `package` task builds only dist/js when CI is set (it expects one CI job per
// language); our CI is one `.ci/run`, so `package` builds every language, in CI as well as locally.
const packageAll = project.tasks.tryFind('package-all')!;
project.packageTask.reset();
project.packageTask.spawn(packageAll);

// Each language's package needs a toolchain and a registry that not every machine has: jsii-pacmak's Python target
// installs its build tools from PyPI, the Java target resolves aws-cdk-lib from Maven Central, the Go target needs
// the go toolchain and its module proxy, the .NET target the dotnet SDK (NuGet). build-tools/registry.sh asks the
// registry itself (a cache never answers for it): where it is reachable the target builds and must succeed; where
// not, the target prints one loud `*** SKIPPED: package:<language> (<why>) ***` line and leaves no stale dist/.
function packageWhen(language: string, registry: string, command: string): void {
  project.tasks.tryFind(`package:${language}`)!.reset(`build-tools/package-when.sh ${registry} ${language} ${command}`);
}
packageWhen('python', 'pypi', 'jsii-pacmak -v --target python');
packageWhen('java', 'maven', 'jsii-pacmak -v --target java');
packageWhen('go', 'go', 'jsii-pacmak -v --target go');
// Amazon.CDK.Lib needs jsii packages (Constructs >= 10.5, an asset package) that a partial NuGet copy may lack:
// build-tools/dotnet-feed.ts packs only those from npm into dist/nuget-local/, which the restore adds as a source.
// Where NuGet serves them all (nuget.org) the feed stays empty. Users of the package never need it.
packageWhen('dotnet', 'dotnet', 'build-tools/package-dotnet.sh');

// `npm run example`: synthesize the example app with the real CDK CLI, then print one line per repository.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'npx ts-node --prefer-ts-exts examples/app.ts',
    output: 'cdk.out',
  },
});
const example = project.addTask('example', {
  description: 'Synthesize the example app (examples/) with `cdk synth` and summarize each repository',
});
example.exec('cdk synth --no-notices --quiet');
example.exec('ts-node --prefer-ts-exts examples/print-summary.ts cdk.out');

// Integration tests: `test/integ.*.ts`, checked against their committed snapshots (no AWS account needed).
const integ = project.addTask('integ', {
  description: 'Check the integration test snapshots (test/integ.*.ts)',
  exec: 'integ-runner --language typescript --directory test',
  receiveArgs: true,
});
project.addTask('integ:update', {
  description: 'Re-synthesize and rewrite the integration test snapshots',
  exec: 'integ-runner --language typescript --directory test --update-on-failed --dry-run',
  receiveArgs: true,
});
project.testTask.spawn(integ);

// Benchmarks print their figures; they are never timed tests.
// On the aws-cdk-lib the project builds with (the floor), then on the newest, which test/compliance/ installs
// (cd test/compliance && npm ci): users run the newest.
const benchSynth = 'node --expose-gc -r ts-node/register bench/synth.ts';
project.addTask('bench:synth', {
  description: 'Synthesis cost of EcrRepository against hand-written aws-ecr.Repository code, on the floor and the newest aws-cdk-lib',
  steps: [
    { exec: benchSynth },
    { exec: benchSynth, env: { BENCH_CDK_MODULES: 'test/compliance/node_modules' } },
  ],
});

project.addTask('bench', {
  description: 'Lifecycle policy preview of 1,000,000 images x 10 rules, against one sort of them by push time',
  exec: 'ts-node --prefer-ts-exts bench/preview.ts',
});

project.addTask('bench:cli', {
  description: 'Peak memory and time of the ecr-lifecycle-preview executable on 500,000 and 1,000,000 images',
  exec: 'ts-node --prefer-ts-exts bench/cli-memory.ts',
});

// test/compliance/ is a separate app with its own package.json (aws-cdk-lib latest, cdk-nag 3.x): the library's
// own type check, lint and jest run stay out of it. It runs with test/compliance/run.sh.
project.tsconfigDev.addExclude('test/compliance');
project.tsconfigDev.addInclude('.projenrc.ts');
project.eslint?.addIgnorePattern('test/compliance/');
// A type two modules share goes into the lower one: no import cycles.
project.eslint?.addRules({ 'import/no-cycle': 'error' });
project.jest?.addIgnorePattern('/test/compliance/');

project.synth();
