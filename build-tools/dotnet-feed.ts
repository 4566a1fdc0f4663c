// Builds a local NuGet feed (dist/nuget-local/) with the jsii dependencies of Amazon.CDK.Lib that this machine's
// NuGet does not serve, packed from npm with the project's own jsii-pacmak, exactly as their authors pack them for
// nuget.org (the .jsii assembly ships in the npm package). Only for machines whose NuGet is a partial copy: where
// NuGet serves them all, the feed stays empty and nothing is built. Users of the package never need it.
//
//   ts-node build-tools/dotnet-feed.ts [aws-cdk-lib version ...]
//
// For each aws-cdk-lib version given (default: DOTNET_CDK_VERSIONS below) it reads that release's npm dependencies
// that are jsii packages with a .NET target (constructs and the @aws-cdk/asset-* packages), takes the lowest version
// each range allows (the one NuGet resolves), asks NuGet for each with one restore, and packs the ones it lacks.
// `npx projen package:dotnet` and test/consumers/run.sh run it and add the feed as a restore source.
import { execFileSync, spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

// The Amazon.CDK.Lib releases restored from this feed: the lowest NuGet serves here at or above our floor
// (what jsii-pacmak's own build of CdkSecureEcr resolves [floor, 3) to) and the newest it serves (the .NET
// consumer apps). Both need Constructs >= 10.5.0, which this machine's NuGet lacks.
export const DOTNET_CDK_VERSIONS = ['2.267.0', '2.277.0'];
export const FEED = resolve(__dirname, '..', 'dist', 'nuget-local');

interface Wanted { readonly npmName: string; readonly version: string; readonly packageId: string }

function npmView(spec: string, ...fields: string[]): any {
  const out = execFileSync('npm', ['view', spec, ...fields, '--json'], { encoding: 'utf8' }).trim();
  return out === '' ? undefined : JSON.parse(out);
}

// "^10.5.0" -> "10.5.0", "2.2.292" -> "2.2.292": the lowest version a range allows, as NuGet resolves it.
function lowest(range: string): string {
  const m = /(\d+\.\d+\.\d+)/.exec(range);
  if (!m) throw new Error(`dotnet-feed: cannot read a lowest version from the range '${range}'`);
  return m[1];
}

function wantedFor(cdkVersion: string): Wanted[] {
  // A release's dependencies never change: remember them (npm view takes seconds a call).
  const cache = join(FEED, `wanted-by-aws-cdk-lib-${cdkVersion}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8'));
  const wanted = askNpm(cdkVersion);
  writeFileSync(cache, `${JSON.stringify(wanted, undefined, 2)}\n`);
  return wanted;
}

function askNpm(cdkVersion: string): Wanted[] {
  const view = npmView(`aws-cdk-lib@${cdkVersion}`, 'peerDependencies', 'dependencies');
  const ranges: Record<string, string> = { ...view.dependencies, ...view.peerDependencies };
  const out: Wanted[] = [];
  for (const [npmName, range] of Object.entries(ranges)) {
    if (npmName !== 'constructs' && !npmName.startsWith('@aws-cdk/asset-')) continue;
    const version = lowest(range);
    const packageId: string | undefined = npmView(`${npmName}@${version}`, 'jsii.targets.dotnet.packageId');
    if (packageId) out.push({ npmName, version, packageId });
  }
  return out;
}

// One restore of a throwaway project that references every wanted package at its exact version: NuGet names
// each one it lacks (NU1101: no such id, NU1102: no such version).
function missingFromNuget(wanted: Wanted[]): Wanted[] {
  const dir = mkdtempSync(join(tmpdir(), 'dotnet-feed-probe-'));
  try {
    const refs = wanted.map(w => `    <PackageReference Include="${w.packageId}" Version="[${w.version}]" />`).join('\n');
    writeFileSync(join(dir, 'Probe.csproj'), [
      '<Project Sdk="Microsoft.NET.Sdk">',
      '  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>',
      '  <ItemGroup>', refs, '  </ItemGroup>',
      '</Project>', '',
    ].join('\n'));
    // Into an empty package folder, without the HTTP cache: NuGet takes a package it already holds in the global
    // folder (~/.nuget/packages, where an earlier feed's copy lands) without asking any source, so only the
    // sources may answer here.
    const r = spawnSync('dotnet', ['restore', '--ignore-failed-sources', '--no-http-cache', '--packages', join(dir, 'packages'), dir],
      { encoding: 'utf8' });
    if (r.status === 0) return [];
    const output = `${r.stdout}\n${r.stderr}`;
    const missing = wanted.filter(w => output.includes(`Unable to find package ${w.packageId}.`)
      || output.includes(`Unable to find package ${w.packageId} with version (= ${w.version})`));
    if (missing.length === 0) {
      throw new Error(`dotnet-feed: the NuGet probe failed for another reason than a missing package:\n${output}`);
    }
    return missing;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pack(missing: Wanted[]): void {
  const work = mkdtempSync(join(tmpdir(), 'dotnet-feed-'));
  try {
    const specs = missing.map(w => `${w.npmName}@${w.version}`);
    console.log(`dotnet-feed: packing ${specs.join(', ')} from npm with jsii-pacmak`);
    writeFileSync(join(work, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs],
      { cwd: work, stdio: 'inherit' });
    const out = join(work, 'out');
    const dirs = missing.map(w => join(work, 'node_modules', w.npmName));
    execFileSync(resolve(__dirname, '..', 'node_modules', '.bin', 'jsii-pacmak'), ['--target', 'dotnet', '--outdir', out, ...dirs], {
      stdio: 'inherit',
      // a package of the feed may depend on another one (asset packages on Constructs)
      env: { ...process.env, RestoreAdditionalProjectSources: FEED },
    });
    for (const file of readdirSync(join(out, 'dotnet')).filter(f => f.endsWith('.nupkg'))) {
      copyFileSync(join(out, 'dotnet', file), join(FEED, file));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(): void {
  const versions = process.argv.length > 2 ? process.argv.slice(2) : DOTNET_CDK_VERSIONS;
  mkdirSync(FEED, { recursive: true });
  const byId = new Map<string, Wanted>();
  for (const v of versions) for (const w of wantedFor(v)) byId.set(`${w.packageId}@${w.version}`, w);
  const inFeed = (w: Wanted) => existsSync(join(FEED, `${w.packageId}.${w.version}.nupkg`));
  // What an earlier run found NuGet serves is not asked again (a release on NuGet is immutable).
  const servedFile = join(FEED, 'served-by-nuget.txt');
  const servedBefore = new Set(existsSync(servedFile) ? readFileSync(servedFile, 'utf8').split('\n').filter(Boolean) : []);
  const key = (w: Wanted) => `${w.packageId}@${w.version}`;
  const toProbe = [...byId.values()].filter(w => !inFeed(w) && !servedBefore.has(key(w)));
  const missing = toProbe.length === 0 ? [] : missingFromNuget(toProbe);
  for (const w of toProbe) if (!missing.includes(w)) servedBefore.add(key(w));
  writeFileSync(servedFile, [...servedBefore].sort().map(l => `${l}\n`).join(''));
  // Constructs first: the asset packages reference it.
  missing.sort((a, b) => Number(b.npmName === 'constructs') - Number(a.npmName === 'constructs'));
  for (const w of missing) pack([w]);
  const feed = readdirSync(FEED).filter(f => f.endsWith('.nupkg'));
  const served = toProbe.length - missing.length;
  console.log(`dotnet-feed: ${FEED}: ${feed.length} package(s) [${feed.join(', ')}]; asked NuGet for ${toProbe.length}: ${served} served, ${missing.length} packed now`);
  // Fail loudly if a package was asked for, not served, and still is not in the feed.
  const absent = [...byId.values()].filter(w => missing.includes(w) && !inFeed(w));
  if (absent.length > 0) {
    throw new Error(`dotnet-feed: jsii-pacmak did not write ${absent.map(w => `${w.packageId}.${w.version}.nupkg`).join(', ')}`);
  }
}

main();
