// Benchmark: what EcrRepository costs over hand-written aws-ecr.Repository code with the same settings.
// Synthesizes 300 repositories of each kind per round, in one process, alternating which goes first, with the
// heap collected before each timing; prints the median times and the median of the per-round ratios (goal: <= 1.10).
// `npm run bench:synth` runs it on the aws-cdk-lib the project builds with (the floor) and on the newest, the one
// test/compliance/ installs (BENCH_CDK_MODULES=test/compliance/node_modules); BENCH_ROUNDS sets the rounds.
import './cdk-from-env';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { App, RemovalPolicy, Stack, aws_ecr as ecr } from 'aws-cdk-lib';
import { EcrLifecycleRules, EcrRepository } from '../src';

const REPOSITORIES = 300;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const GOAL = 1.10;

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

// CPU time of the main thread (Linux), which other processes on a busy machine barely change; NaN elsewhere.
function threadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

interface Timing { readonly wall: number; readonly cpu: number }

function timeSynth(build: Build): Timing {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  global.gc?.();
  const cpu = threadCpuMs();
  const start = performance.now();
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bench');
  for (let i = 0; i < REPOSITORIES; i++) build(stack, `Repo${i}`);
  app.synth();
  const timing = { wall: performance.now() - start, cpu: threadCpuMs() - cpu };
  rmSync(outdir, { recursive: true, force: true });
  return timing;
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

const ours: Timing[] = [];
const plain: Timing[] = [];
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) {
    ours.push(timeSynth(withEcrRepository));
    plain.push(timeSynth(withPlainRepository));
  } else {
    plain.push(timeSynth(withPlainRepository));
    ours.push(timeSynth(withEcrRepository));
  }
}

const ratio = (metric: keyof Timing) => median(ours.map((timing, round) => timing[metric] / plain[round][metric]));
const version = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;
console.log(`aws-cdk-lib ${version}: ${REPOSITORIES} repositories per synth, ${ROUNDS} rounds, alternating order`);
console.log(`  EcrRepository + standardDev():       median ${median(ours.map(t => t.wall)).toFixed(1)} ms`);
console.log(`  aws-ecr.Repository (same settings):  median ${median(plain.map(t => t.wall)).toFixed(1)} ms`);
console.log(`  median ratio (per round): ${ratio('wall').toFixed(3)} wall-clock, ${ratio('cpu').toFixed(3)} main-thread CPU (goal <= ${GOAL.toFixed(2)})`);
