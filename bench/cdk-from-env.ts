// Loaded first by bench/synth.ts: with BENCH_CDK_MODULES set (a node_modules folder, e.g. test/compliance's, which
// holds the newest aws-cdk-lib), every `aws-cdk-lib` and `constructs` import, the library's src/ included, resolves
// there, so the library and the benchmark share that one aws-cdk-lib instance, as in a user's app.
import { existsSync } from 'fs';
import { join, resolve } from 'path';

const modules = process.env.BENCH_CDK_MODULES;
if (modules) {
  const root = resolve(modules);
  if (!existsSync(join(root, 'aws-cdk-lib'))) {
    throw new Error(`BENCH_CDK_MODULES=${modules} has no aws-cdk-lib: install it first (cd test/compliance && npm ci)`);
  }
  type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }) => string;
  // The CommonJS loader (Module); every require, the library's included, resolves through _resolveFilename.
  const internals = module.constructor as unknown as { _resolveFilename: ResolveFilename };
  const resolveFilename = internals._resolveFilename;
  internals._resolveFilename = function (request, parent, isMain, options) {
    const redirect = /^(aws-cdk-lib|constructs)(\/|$)/.test(request);
    return resolveFilename.call(this, request, parent, isMain, redirect ? { paths: [root] } : options);
  };
}
