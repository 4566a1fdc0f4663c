// `ecr-lifecycle-preview`: shows, before deploying, which images of a repository an ECR lifecycle policy
// expires, transitions to archive or keeps, and why. Reads the images from `aws ecr describe-images`
// output and the policy from a policy file or from a synthesized CloudFormation template.
// Exit codes: 0 preview printed; 2 bad usage, unreadable input, or invalid policy (every problem listed).
// The executable entry is `main.ts`; this file is the testable implementation.

import { readFileSync } from 'fs';
import { parseArgs } from 'util';
import { ImageDetail, ImageVerdict, LifecyclePreviewResult } from '../lifecycle/image';
import { ImageInventory } from '../lifecycle/image-inventory';
import * as documentParser from '../lifecycle/private/document-parser';
import * as documentValidator from '../lifecycle/private/document-validator';
import * as simulator from '../lifecycle/private/simulator';
import { problemList } from '../private/errors';
import { isObject, plural } from '../private/text';

/** Exit code for a printed preview. */
const EXIT_OK = 0;
/** Exit code for bad usage, unreadable input or an invalid policy. */
const EXIT_INVALID = 2;

const USAGE = `Usage: ecr-lifecycle-preview --images describe-images.json
         (--policy policy.json | --template cdk.out/Stack.template.json [--repository NAME_OR_LOGICAL_ID])
         [--now ISO_DATE_TIME] [--json]

Shows which images an ECR lifecycle policy expires, transitions to archive or keeps, and why.

  --images FILE        output of \`aws ecr describe-images --repository-name NAME\` (AWS CLI v1 or v2)
  --policy FILE        a lifecycle policy (LifecyclePolicyText JSON)
  --template FILE      a CloudFormation template; the policy of its AWS::ECR::Repository is used
  --repository NAME    with --template: the repository's logical ID or RepositoryName, when there are several
  --now ISO_DATE_TIME  evaluate as of this moment (default: now), e.g. 2026-06-01T00:00:00Z
  --json               print {"expired":[...],"transitioned":[...],"kept":[...]} instead of a table
  --help               print this help`;

/**
 * Where the CLI reads and writes: the process by default, something else in tests.
 */
export interface CliIo {
  /** Writes one line (or block) to standard output. */
  readonly out: (text: string) => void;
  /** Writes one line (or block) to standard error. */
  readonly err: (text: string) => void;
  /** Reads a whole file as UTF-8; throws with the reason when it can't. */
  readonly readFile: (path: string) => string;
}

/** An input problem: the CLI prints the message and exits with code 2. */
class InputError extends Error {}

/**
 * The `ecr-lifecycle-preview` command.
 */
export class EcrLifecyclePreviewCli {
  /**
   * Runs the command with `argv` (the arguments after the program name) and returns the exit code.
   */
  public static run(argv: string[], io: CliIo = EcrLifecyclePreviewCli.processIo()): number {
    try {
      return runOrThrow(argv, io);
    } catch (e) {
      if (e instanceof InputError) {
        io.err(`ecr-lifecycle-preview: ${e.message}`);
        return EXIT_INVALID;
      }
      throw e;
    }
  }

  /** Reads and writes through the current process. */
  public static processIo(): CliIo {
    return {
      out: (text) => process.stdout.write(`${text}\n`),
      err: (text) => process.stderr.write(`${text}\n`),
      readFile: (path) => readFileSync(path, 'utf8'),
    };
  }
}

function runOrThrow(argv: string[], io: CliIo): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        images: { type: 'string' },
        policy: { type: 'string' },
        template: { type: 'string' },
        repository: { type: 'string' },
        now: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new InputError(`${(e as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (values.images === undefined) {
    throw new InputError(`--images is required\n\n${USAGE}`);
  }
  if ((values.policy === undefined) === (values.template === undefined)) {
    throw new InputError(`give exactly one of --policy and --template\n\n${USAGE}`);
  }
  if (values.repository !== undefined && values.template === undefined) {
    throw new InputError('--repository only applies with --template');
  }
  let now = new Date();
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) {
      throw new InputError(`--now must be an ISO 8601 date-time such as 2026-06-01T00:00:00Z, got ${JSON.stringify(values.now)}`);
    }
  }

  const imagesText = readInput(io, '--images', values.images);
  let images: ImageDetail[];
  try {
    images = ImageInventory.fromDescribeImagesOutput(imagesText);
  } catch (e) {
    throw new InputError(`--images file ${values.images}: ${(e as Error).message}`);
  }

  const source = values.policy !== undefined
    ? { text: readInput(io, '--policy', values.policy), name: values.policy }
    : policyFromTemplate(readInput(io, '--template', values.template as string), values.template as string, values.repository);
  const problems = documentValidator.validateText(source.text);
  if (problems.length > 0) {
    throw new InputError(problemList(`invalid lifecycle policy in ${source.name} (${plural(problems.length, 'problem')})`, problems));
  }
  const document = documentParser.fromJson(source.text);
  const result = simulator.preview(document, images, { now });

  if (values.json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    io.out(`Policy: ${source.name} (${plural(document.rules.length, 'rule')}), evaluated at ${now.toISOString()}`);
    io.out('');
    io.out(table(result, images));
    io.out('');
    io.out(`${plural(images.length, 'image')}: ${result.expired.length} expired, ${result.transitioned.length} transitioned to archive, ${result.kept.length} kept`);
  }
  return EXIT_OK;
}

function readInput(io: CliIo, option: string, path: string): string {
  try {
    return io.readFile(path);
  } catch (e) {
    throw new InputError(`cannot read ${option} file ${path}: ${(e as Error).message}`);
  }
}

function policyFromTemplate(text: string, file: string, repository: string | undefined): { text: string; name: string } {
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch (e) {
    throw new InputError(`--template file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const repositories = Object.entries(resources)
    .filter(([, resource]) => isObject(resource) && resource.Type === 'AWS::ECR::Repository')
    .map(([logicalId, resource]) => {
      const properties = isObject(resource) && isObject(resource.Properties) ? resource.Properties : {};
      const name = typeof properties.RepositoryName === 'string' ? properties.RepositoryName : undefined;
      const policy = isObject(properties.LifecyclePolicy) ? properties.LifecyclePolicy.LifecyclePolicyText : undefined;
      return { logicalId, name, policy };
    });
  const describeAll = () => repositories.map((r) => r.logicalId + (r.name === undefined ? '' : ` (${r.name})`)).join(', ');
  if (repositories.length === 0) {
    throw new InputError(`--template file ${file} has no AWS::ECR::Repository resource`);
  }
  let chosen = repositories[0];
  if (repository !== undefined) {
    const found = repositories.find((r) => r.logicalId === repository || r.name === repository);
    if (found === undefined) {
      throw new InputError(`--template file ${file} has no repository with logical ID or RepositoryName ${JSON.stringify(repository)}; it has ${describeAll()}`);
    }
    chosen = found;
  } else if (repositories.length > 1) {
    throw new InputError(`--template file ${file} has ${repositories.length} repositories; choose one with --repository: ${describeAll()}`);
  }
  const name = `${file} (${chosen.logicalId})`;
  if (chosen.policy === undefined) {
    throw new InputError(`repository ${chosen.logicalId} in ${file} has no LifecyclePolicy.LifecyclePolicyText`);
  }
  if (typeof chosen.policy !== 'string') {
    throw new InputError(`repository ${chosen.logicalId} in ${file}: LifecyclePolicyText is not a plain string (${JSON.stringify(chosen.policy).slice(0, 60)}...); it is only known at deploy time`);
  }
  return { text: chosen.policy, name };
}

function table(result: LifecyclePreviewResult, images: ImageDetail[]): string {
  const byDigest = new Map(images.map((image) => [image.digest, image]));
  const rows: string[][] = [['DIGEST', 'TAGS', 'PUSHED', 'LAST PULL', 'ACTION', 'RULE', 'WHY']];
  const add = (action: string, verdicts: ImageVerdict[]) => {
    for (const verdict of verdicts) {
      const image = byDigest.get(verdict.digest) as ImageDetail;
      rows.push([
        verdict.digest.replace(/^sha256:/, '').slice(0, 12),
        verdict.tags.length === 0 ? '<untagged>' : verdict.tags.join(','),
        formatTime(image.pushedAt),
        image.lastPulledAt ? formatTime(image.lastPulledAt) : 'never',
        action,
        verdict.rulePriority === undefined ? '-' : String(verdict.rulePriority),
        verdict.reason,
      ]);
    }
  };
  add('expire', result.expired);
  add('transition', result.transitioned);
  add('keep', result.kept);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '))
    .join('\n');
}

function formatTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z');
}
