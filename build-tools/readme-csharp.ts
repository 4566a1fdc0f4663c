// Writes a C# project with jsii-rosetta's C# translation of every TypeScript example (the README's and the API
// docs' `@example`s), from the tablet that `jsii-rosetta extract` leaves in .jsii.tabl.json. Each example becomes
// the constructor of its own Stack class, in its own namespace, with the `using`s of the namespaces it references;
// the project's Main instantiates every one of them in an App and synthesizes it. test/consumers/run.sh
// (`csharp_readme`) restores it against the built nupkg, builds it (every example must compile) and runs it.
//
//   ts-node build-tools/readme-csharp.ts <output directory>
//
// Rosetta's C# is not always valid C#; the few rewrites below are counted and printed, never silent. An example
// that rosetta could not translate fails the run.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { gunzipSync } from 'zlib';

const ROOT = resolve(__dirname, '..');
const TABLET = join(ROOT, '.jsii.tabl.json');

interface Snippet {
  readonly translations: { readonly [language: string]: { readonly source: string } | undefined };
  readonly location: {
    readonly api: { readonly api: string; readonly fqn?: string };
    readonly field: { readonly field: string; readonly line?: number };
  };
  readonly fqnsReferenced: string[];
  readonly didCompile?: boolean;
}

// aws-cdk-lib's submodule -> .NET namespace, from its own jsii assembly; and the fqns of its behavioural interfaces.
const cdkInterfaces = new Set<string>();
function cdkNamespaces(): Map<string, string> {
  const redirect = JSON.parse(readFileSync(join(ROOT, 'node_modules/aws-cdk-lib/.jsii'), 'utf8'));
  const text = redirect.schema === 'jsii/file-redirect'
    ? gunzipSync(readFileSync(join(ROOT, 'node_modules/aws-cdk-lib', redirect.filename))).toString('utf8')
    : JSON.stringify(redirect);
  const assembly = JSON.parse(text);
  const out = new Map<string, string>();
  for (const [fqn, type] of Object.entries<any>(assembly.types)) {
    if (type.kind === 'interface' && !type.datatype) cdkInterfaces.add(fqn);
  }
  for (const [name, sub] of Object.entries<any>(assembly.submodules ?? {})) {
    if (sub.targets?.dotnet?.namespace) out.set(name, sub.targets.dotnet.namespace);
  }
  return out;
}

function namespacesOf(fqns: string[], cdk: Map<string, string>): Set<string> {
  const out = new Set(['System', 'System.Collections.Generic', 'Constructs', 'Amazon.CDK', 'CdkSecureEcr']);
  for (const fqn of fqns) {
    const parts = fqn.split('#')[0].split('.');
    if (parts[0] !== 'aws-cdk-lib') continue;
    const ns = cdk.get(`aws-cdk-lib.${parts[1]}`);
    if (ns) out.add(ns);
  }
  return out;
}

// The element type of each array property of our structs whose elements are of an interface (`IPrincipal`), by
// its C# name (`PullPrincipals` -> `IPrincipal`, namespace `Amazon.CDK.AWS.IAM`), where every struct that has a
// property of that name agrees on it. Elements of other types have one best type, which C# finds by itself.
function arrayElementTypes(cdk: Map<string, string>): Map<string, { readonly type: string; readonly namespace?: string }> {
  const assembly = JSON.parse(readFileSync(join(ROOT, '.jsii'), 'utf8'));
  const out = new Map<string, { type: string; namespace?: string } | null>();
  for (const type of Object.values<any>(assembly.types)) {
    if (type.kind !== 'interface' || !type.datatype) continue;
    for (const prop of type.properties ?? []) {
      const element = prop.type?.collection?.kind === 'array' ? prop.type.collection.elementtype : undefined;
      if (!element) continue;
      let csharp: { type: string; namespace?: string } | undefined;
      const isInterface = element.fqn && (cdkInterfaces.has(element.fqn)
        || (assembly.types[element.fqn]?.kind === 'interface' && !assembly.types[element.fqn]?.datatype));
      if (isInterface) {
        const parts: string[] = element.fqn.split('.');
        const namespace = parts[0] === 'cdk-secure-ecr' ? 'CdkSecureEcr'
          : parts[0] === 'constructs' ? 'Constructs'
            : parts.length === 2 ? 'Amazon.CDK' : cdk.get(`${parts[0]}.${parts[1]}`);
        if (namespace) csharp = { type: parts[parts.length - 1], namespace };
      }
      const name = prop.name.charAt(0).toUpperCase() + prop.name.slice(1);
      const seen = out.get(name);
      if (!csharp || (seen !== undefined && (seen === null || seen.type !== csharp.type || seen.namespace !== csharp.namespace))) {
        out.set(name, null);
      } else {
        out.set(name, csharp);
      }
    }
  }
  return new Map([...out].filter((e): e is [string, { type: string; namespace?: string }] => e[1] !== null));
}

// The rewrites, each for one thing rosetta emits that C# refuses:
const REWRITES: { readonly name: string; readonly apply: (line: string) => string }[] = [
  {
    // `repo.RepositoryUri;` shows a value in TypeScript; in C# a bare member access is no statement (CS0201).
    name: 'bare member access statement -> `_ = ...;`',
    apply: (line) => {
      const m = /^(\s*)([A-Za-z_][^=;]*[^)\s]);(\s*\/\/.*)?$/.exec(line);
      if (!m || /^(new|return|var|using|throw)\b/.test(m[2]) || !/^[A-Za-z_][\w.]*(\([^;]*\))?(\.\w+)*$/.test(m[2])) return line;
      return `${m[1]}_ = ${m[2]};${m[3] ?? ''}`;
    },
  },
  {
    // `new Struct { ... }`: rosetta's name for an object literal of no jsii type (a `{ [key: string]: any }` value's
    // nested object): a dictionary in C# (an anonymous object compiles, but jsii cannot pass it to JavaScript).
    name: '`new Struct { A = x }` -> `new Dictionary<string, object> { ["A"] = x }`',
    apply: line => line.replace(/new Struct \{([^{}]*)\}/g,
      (_all, inner: string) => `new Dictionary<string, object> {${inner.replace(/\b([A-Za-z_]\w*) = /g, '["$1"] = ')}}`),
  },
  {
    // JavaScript's `new Date(iso)`: a DateTime in .NET (rosetta leaves it untranslated).
    name: '`new Date("...")` -> `DateTimeOffset.Parse("...").UtcDateTime`',
    apply: line => line.replace(/new Date\(("[^"]*")\)/g, 'DateTimeOffset.Parse($1).UtcDateTime'),
  },
];

function main(): void {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: ts-node build-tools/readme-csharp.ts <output directory>');
  const tablet: { snippets: Record<string, Snippet> } = JSON.parse(readFileSync(TABLET, 'utf8'));
  const cdk = cdkNamespaces();
  const elements = arrayElementTypes(cdk);
  rmSync(join(outDir, 'Examples'), { recursive: true, force: true });
  mkdirSync(join(outDir, 'Examples'), { recursive: true });

  const classes: { readonly name: string; readonly where: string }[] = [];
  const untranslated: string[] = [];
  const rewritten = new Map<string, number>();
  const snippets = Object.values(tablet.snippets).sort((a, b) => where(a).localeCompare(where(b), 'en', { numeric: true }));
  for (const snippet of snippets) {
    const csharp = snippet.translations.csharp?.source;
    if (!csharp || snippet.didCompile === false) {
      untranslated.push(where(snippet));
      continue;
    }
    const usings = namespacesOf(snippet.fqnsReferenced, cdk);
    const body: string[] = [];
    for (const line of csharp.split('\n')) {
      const using = /^using ([\w.]+);\s*$/.exec(line);
      if (using) {
        usings.add(using[1]);
        continue;
      }
      let out = line;
      // Rosetta writes every array as `new [] { ... }`; C# needs an element type when the elements' types differ
      // (CS0826: an IRole and a PrincipalWithConditions in one `IPrincipal[]`): take the interface from our assembly.
      const typed = out.replace(/\b([A-Z]\w*) = new \[\] \{/g, (all, prop: string) => {
        const element = elements.get(prop);
        if (!element) return all;
        if (element.namespace) usings.add(element.namespace);
        return `${prop} = new ${element.type}[] {`;
      });
      if (typed !== out) rewritten.set('`Prop = new [] {` -> `Prop = new IInterface[] {` (the property\'s element type, from our jsii assembly)', (rewritten.get('`Prop = new [] {` -> `Prop = new IInterface[] {` (the property\'s element type, from our jsii assembly)') ?? 0) + 1);
      out = typed;
      for (const r of REWRITES) {
        const next = r.apply(out);
        if (next !== out) rewritten.set(r.name, (rewritten.get(r.name) ?? 0) + 1);
        out = next;
      }
      body.push(out);
    }
    const name = `Example${classes.length + 1}`;
    classes.push({ name, where: where(snippet) });
    writeFileSync(join(outDir, 'Examples', `${name}.cs`), [
      `// ${where(snippet)}: jsii-rosetta's C# translation (generated by build-tools/readme-csharp.ts)`,
      ...[...usings].sort().map(u => `using ${u};`),
      '',
      `namespace ReadmeExamples.${name}`,
      '{',
      '    public class Example : Stack',
      '    {',
      '        public Example(Construct scope, string id) : base(scope, id)',
      '        {',
      ...body.map(l => (l.trim() === '' ? '' : `            ${l}`)),
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'));
  }

  writeFileSync(join(outDir, 'Program.cs'), [
    '// Instantiates every README example in one App and synthesizes it (generated by build-tools/readme-csharp.ts).',
    'using System;',
    'using Amazon.CDK;',
    '',
    'var passed = 0;',
    'var failed = 0;',
    'void Run(string name, string where, Func<App, Stack> make)',
    '{',
    '    try',
    '    {',
    '        var app = new App();',
    '        make(app);',
    '        app.Synth();',
    '        passed++;',
    '        Console.WriteLine($"PASS {name} ({where})");',
    '    }',
    '    catch (Exception e)',
    '    {',
    '        failed++;',
    '        Console.WriteLine($"FAIL {name} ({where}): {e.Message}");',
    '    }',
    '}',
    ...classes.map(c => `Run("${c.name}", "${c.where}", app => new ReadmeExamples.${c.name}.Example(app, "${c.name}"));`),
    'Console.WriteLine($"C# README examples: {passed} synthesized, {failed} failed");',
    'return failed == 0 ? 0 : 1;',
    '',
  ].join('\n'));

  writeFileSync(join(outDir, 'ReadmeExamples.csproj'), `<!-- Generated by build-tools/readme-csharp.ts: the C# translations of the TypeScript examples. -->
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net8.0</TargetFramework>
    <RollForward>Major</RollForward>
    <Nullable>disable</Nullable>
    <!-- the translations declare values only to show them (CS0168/CS0219 are no concern here) -->
    <NoWarn>$(NoWarn);CS0168;CS0219</NoWarn>
    <CdkSecureEcrVersion Condition="'$(CdkSecureEcrVersion)' == ''">0.0.0</CdkSecureEcrVersion>
    <CdkVersion Condition="'$(CdkVersion)' == ''">2.277.0</CdkVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="CdkSecureEcr" Version="$(CdkSecureEcrVersion)" />
    <PackageReference Include="Amazon.CDK.Lib" Version="$(CdkVersion)" />
  </ItemGroup>
</Project>
`);
  console.log(`readme-csharp: ${classes.length} C# translations written to ${outDir} (of ${snippets.length} TypeScript examples)`);
  for (const [name, count] of rewritten) console.log(`readme-csharp: rewrote ${count} line(s): ${name}`);
  if (untranslated.length > 0) {
    console.error(`readme-csharp: rosetta has no C# translation of ${untranslated.join(', ')}: fix these examples`);
    process.exit(1);
  }
}

function where(s: Snippet): string {
  return s.location.field.line !== undefined
    ? `README.md line ${s.location.field.line}`
    : `${s.location.api.fqn ?? s.location.api.api} ${s.location.field.field}`;
}

main();
