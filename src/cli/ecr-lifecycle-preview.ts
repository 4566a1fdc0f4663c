// `ecr-lifecycle-preview`: shows, before deploying, which images of a repository an ECR lifecycle policy
// expires, transitions to archive or keeps, and why. A thin shell over the public API:
// `EcrLifecyclePolicy.fromJson(text).preview(ImageInventory.fromDescribeImagesOutput(images), { now })`, with
// option parsing (options.ts), loading (load.ts) and printing (report.ts) apart.
// Exit codes: 0 preview printed; 2 bad usage, unreadable input, or invalid policy (every problem listed);
// 3 the policy expires an image with a tag `--protect` names, or expires or archives apart from such an image
// its signature (or another reference artifact) or, for an image index, a platform image (a CI gate).
// The executable entry is `main.ts`; this file is the testable implementation.

import { loadImages, loadPolicy, readText } from './load';
import { CliOptions, InputError, parseOptions, PRICES_SOURCE, USAGE } from './options';
import { printJson, printMarkdown, printTable, ReportContext } from './report';
import { ImageDetail, ImageVerdict, LifecyclePreviewResult } from '../lifecycle/image';
import * as separations from '../lifecycle/private/separations';
import * as tagMatcher from '../lifecycle/private/tag-matcher';
import { problemList } from '../private/errors';
import { plural } from '../private/text';

/** Exit code for a printed preview. */
const EXIT_OK = 0;
/** Exit code for bad usage, unreadable input or an invalid policy. */
const EXIT_INVALID = 2;
/** Exit code for a policy that expires an image with a protected tag. */
const EXIT_PROTECTED = 3;

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
  /** The terminal's width, when standard output is a terminal: the table fits in it. */
  readonly columns?: number;
}

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

  /**
   * Reads and writes through the current process. A reader that closes standard output early (`| head`)
   * ends the output quietly: the rest is dropped, and the exit code is still the preview's.
   */
  public static processIo(): CliIo {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
    return {
      out: (text) => {
        if (!process.stdout.destroyed) process.stdout.write(`${text}\n`);
      },
      err: (text) => process.stderr.write(`${text}\n`),
      readFile: (path) => readText(path),
      columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    };
  }
}

function runOrThrow(argv: string[], io: CliIo): number {
  const options = parseOptions(argv);
  if (options === undefined) {
    io.out(USAGE);
    return EXIT_OK;
  }
  const images = loadImages(io.readFile, options);
  const { policy, name, ruleCount } = loadPolicy(io.readFile, options);
  const result = policy.preview(images, { now: options.now });
  print(result, images, { policyName: name, ruleCount, options }, io);
  for (const warning of result.warnings) {
    io.err(`ecr-lifecycle-preview: warning: ${warning}`);
  }
  return protectGate(result, images, options.protect, io);
}

interface PolicySource {
  readonly policyName: string;
  readonly ruleCount: number;
  readonly options: CliOptions;
}

function print(result: LifecyclePreviewResult, images: ImageDetail[], source: PolicySource, io: CliIo): void {
  if (source.options.format === 'json') {
    printJson(result, io.out);
    return;
  }
  const byDigest = new Map<string, ImageDetail>();
  for (const image of images) byDigest.set(image.digest, image);
  const context: ReportContext = {
    policyName: source.policyName,
    ruleCount: source.ruleCount,
    now: source.options.now,
    imageCount: images.length,
    prices: source.options.prices,
    pricesSource: PRICES_SOURCE,
    imageOf: (digest) => byDigest.get(digest) as ImageDetail,
    columns: io.columns,
  };
  (source.options.format === 'markdown' ? printMarkdown : printTable)(result, context, io.out);
}

/**
 * Exit 3, listing each one, when the policy expires an image with a tag a `--protect` pattern matches, or
 * separates an image from one with such a tag (its signature, or a platform image of an index in archive).
 */
function protectGate(result: LifecyclePreviewResult, images: ImageDetail[], patterns: string[], io: CliIo): number {
  if (patterns.length === 0) {
    return EXIT_OK;
  }
  const matchers = patterns.map(tagMatcher.matchPattern);
  const isProtected = (tags: readonly string[]) => tags.some((tag) => matchers.some((matches) => matches(tag)));
  const hits: ImageVerdict[] = result.expired.filter((verdict) => isProtected(verdict.tags));
  if (hits.length > 0) {
    io.err(problemList(`ecr-lifecycle-preview: the policy expires ${plural(hits.length, 'image')} with a protected tag (--protect ${patterns.join(' ')})`,
      hits.map((v) => `${v.digest} (${v.tags.join(', ')}): ${v.reason}`)));
  }
  const byDigest = new Map(images.map((image) => [image.digest, image]));
  const separated = separations.separatedFromProtected(result, (digest) => byDigest.get(digest), (image) => isProtected(image.tags ?? []));
  if (separated.length > 0) {
    io.err(problemList(`ecr-lifecycle-preview: the policy expires or archives ${plural(separated.length, 'image')} apart from an image with a protected `
      + `tag (--protect ${patterns.join(' ')})`, separated.map((v) => `${v.digest}: ${v.caveat}`)));
  }
  return hits.length + separated.length === 0 ? EXIT_OK : EXIT_PROTECTED;
}
