// `ecr-lifecycle-preview` option parsing: argv to a checked `CliOptions`, or an `InputError` naming the bad option.

import { parseArgs } from 'util';
import { ISO_DATE_TIME_EXAMPLE, parseIsoDateTime } from '../private/iso-time';

/**
 * Storage prices, in USD per GB-month (GB = 2^30 bytes, as AWS bills), of Amazon ECR private repositories:
 * https://aws.amazon.com/ecr/pricing/ (us-east-1, as listed in March 2026). Archive storage costs the same
 * as standard storage for the first 150 TB a month ($0.07 above), plus $0.03 per GB restored and a 90-day
 * minimum storage duration.
 */
export const DEFAULT_PRICES = { standard: 0.10, archive: 0.10 };
/** Where the default prices come from, for the output's footnote. */
export const PRICES_SOURCE = 'https://aws.amazon.com/ecr/pricing/ (us-east-1, March 2026)';

/** The output formats, by `--format` name. */
export const FORMATS = ['table', 'json', 'markdown'] as const;
export type Format = typeof FORMATS[number];

export const USAGE = `Usage: ecr-lifecycle-preview --images describe-images.json
         (--policy policy.json | --template cdk.out/Stack.template.json [--repository NAME_OR_LOGICAL_ID])
         [--index-manifests batch-get-image.json]... [--now ISO_DATE_TIME] [--format table|json|markdown]
         [--protect TAG_PATTERN]... [--standard-price USD] [--archive-price USD]

Shows which images an ECR lifecycle policy expires, transitions to archive or keeps, and why.

  --images FILE            output of \`aws ecr describe-images --repository-name NAME --filter imageStatus=ANY\`
                           (AWS CLI v1 or v2); without the filter, archived images are not listed
  --policy FILE            a lifecycle policy (LifecyclePolicyText JSON)
  --template FILE          a CloudFormation template; the policy of its AWS::ECR::Repository is used
  --repository NAME        with --template: the repository's logical ID or RepositoryName, when there are several
  --index-manifests FILE   output of \`aws ecr batch-get-image\` for the repository's image indexes (repeatable):
                           what each index references, which ECR won't expire while the index stays
  --now ISO_DATE_TIME      evaluate as of this moment, with a zone (default: now), e.g. ${ISO_DATE_TIME_EXAMPLE}
  --format FORMAT          table (default), json, or markdown (for a pull request comment)
  --json                   the same as --format json
  --protect TAG_PATTERN    exit 3 if the policy expires an image with a matching tag (* matches any
                           characters, as in tagPatternList), or removes its signature or, for an
                           image index in archive, its platform images apart from it; repeatable
  --standard-price USD     standard storage price per GB-month for the estimate (default ${DEFAULT_PRICES.standard})
  --archive-price USD      archive storage price per GB-month for the estimate (default ${DEFAULT_PRICES.archive})
                           (defaults: ${PRICES_SOURCE})
  --help                   print this help

Exit codes: 0 preview printed; 2 bad usage, unreadable input or invalid policy; 3 a --protect tag is expired, or its signature.`;

/** An input problem: the CLI prints the message and exits with code 2. */
export class InputError extends Error {}

/** The checked options of one run. */
export interface CliOptions {
  readonly images: string;
  readonly policy?: string;
  readonly template?: string;
  readonly repository?: string;
  readonly indexManifests: string[];
  readonly now: Date;
  readonly format: Format;
  readonly protect: string[];
  readonly prices: { readonly standard: number; readonly archive: number };
}

/** The options `argv` asks for, or `undefined` for `--help`. */
export function parseOptions(argv: string[], now: Date = new Date()): CliOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'images': { type: 'string' },
        'policy': { type: 'string' },
        'template': { type: 'string' },
        'repository': { type: 'string' },
        'index-manifests': { type: 'string', multiple: true },
        'now': { type: 'string' },
        'format': { type: 'string' },
        'json': { type: 'boolean' },
        'protect': { type: 'string', multiple: true },
        'standard-price': { type: 'string' },
        'archive-price': { type: 'string' },
        'help': { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new InputError(`${(e as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    return undefined;
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
  const protect = values.protect ?? [];
  if (protect.some((pattern) => pattern.length === 0)) {
    throw new InputError('--protect needs a tag pattern, such as prod-* (* matches any characters), got ""');
  }
  return {
    images: values.images,
    policy: values.policy,
    template: values.template,
    repository: values.repository,
    indexManifests: values['index-manifests'] ?? [],
    now: values.now === undefined ? now : parseNow(values.now),
    format: parseFormat(values.format, values.json === true),
    protect,
    prices: {
      standard: parsePrice('--standard-price', values['standard-price'], DEFAULT_PRICES.standard),
      archive: parsePrice('--archive-price', values['archive-price'], DEFAULT_PRICES.archive),
    },
  };
}

function parseNow(text: string): Date {
  const now = parseIsoDateTime(text);
  if (now === undefined) {
    throw new InputError(`--now must be an ISO 8601 date-time with a zone (Z or +hh:mm) on a real calendar day, such as ${ISO_DATE_TIME_EXAMPLE}, got ${JSON.stringify(text)}`);
  }
  return now;
}

function parseFormat(format: string | undefined, json: boolean): Format {
  if (format === undefined) {
    return json ? 'json' : 'table';
  }
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new InputError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  if (json && format !== 'json') {
    throw new InputError(`--json is --format json; it contradicts --format ${format}`);
  }
  return format as Format;
}

function parsePrice(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  const price = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(price)) {
    throw new InputError(`${option} must be a price in USD per GB-month, such as 0.10, got ${JSON.stringify(text)}`);
  }
  return price;
}
