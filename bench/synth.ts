// Benchmark: what EcrRepository costs over hand-written aws-ecr.Repository code with the same settings.
// Synthesizes 300 repositories of each kind per round, in one process, alternating which goes first, with the
// heap collected before each timing; prints the median times and their ratio (goal: <= 1.20).
// Run with `npm run bench:synth` (node --expose-gc).
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { App, RemovalPolicy, Stack, aws_ecr as ecr } from 'aws-cdk-lib';
import { EcrLifecycleRules, EcrRepository } from '../src';

const REPOSITORIES = 300;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

type Build = (stack: Stack, id: string) => void;

const withEcrRepository: Build = (stack, id) => {
  new EcrRepository(stack, id, { lifecycleRules: EcrLifecycleRules.standardDev() });
};

// What a careful user writes by hand to get the same template.
const withPlainRepository: Build = (stack, id) => {
  const repository = new ecr.Repository(stack, id, {
    imageScanOnPush: true,
    imageTagMutability: ecr.TagMutability.MUTABLE,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: EcrLifecycleRules.standardDev(),
  });
  (repository.node.defaultChild as ecr.CfnRepository).encryptionConfiguration = { encryptionType: 'AES256' };
};

function timeSynth(build: Build): number {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  global.gc?.();
  const start = performance.now();
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bench');
  for (let i = 0; i < REPOSITORIES; i++) build(stack, `Repo${i}`);
  app.synth();
  const elapsed = performance.now() - start;
  rmSync(outdir, { recursive: true, force: true });
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

if (!global.gc) console.warn('warning: run with node --expose-gc so the heap is collected before each timing');

// One untimed round of each warms up the module cache and the JIT.
timeSynth(withEcrRepository);
timeSynth(withPlainRepository);

const ours: number[] = [];
const plain: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let a: number, b: number;
  if (round % 2 === 0) {
    a = timeSynth(withEcrRepository);
    b = timeSynth(withPlainRepository);
  } else {
    b = timeSynth(withPlainRepository);
    a = timeSynth(withEcrRepository);
  }
  ours.push(a);
  plain.push(b);
  ratios.push(a / b);
}

console.log(`${REPOSITORIES} repositories per synth, ${ROUNDS} rounds, alternating order`);
console.log(`EcrRepository + standardDev(): median ${median(ours).toFixed(1)} ms`);
console.log(`aws-ecr.Repository (same settings): median ${median(plain).toFixed(1)} ms`);
console.log(`median ratio (per round): ${median(ratios).toFixed(3)} (goal <= 1.20)`);
