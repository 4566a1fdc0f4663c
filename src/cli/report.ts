// `ecr-lifecycle-preview` output: the preview as a table (for a terminal), JSON (for tools) or Markdown (for a
// pull request comment), and the storage summary. Every printer streams line by line and never spreads or
// joins a list as long as the repository, so a listing of any size the JSON output handles prints.

import { ImageDetail, ImageStorageClass, ImageVerdict, LifecyclePreviewResult } from '../lifecycle/image';
import { plural } from '../private/text';

/** Bytes in a GB as AWS bills storage (GB-month): 2^30. */
const GB = 2 ** 30;
/** Characters of a digest the table shows (after `sha256:`). */
const SHORT_DIGEST = 12;
/** The widest the TAGS column gets before a tag list is shortened with a count. */
const MAX_TAGS_WIDTH = 32;
/** The narrowest the WHY column gets when the table is fitted to a terminal. */
const MIN_WHY_WIDTH = 30;
/** Rows of a Markdown table: a GitHub comment holds at most 65,536 characters. */
const MARKDOWN_MAX_ROWS = 100;
/** Characters written per `out` call. */
const CHUNK = 65_536;

/** What the printers need besides the result. */
export interface ReportContext {
  readonly policyName: string;
  readonly ruleCount: number;
  readonly now: Date;
  readonly imageCount: number;
  readonly prices: { readonly standard: number; readonly archive: number };
  readonly pricesSource: string;
  /** The images by digest, for push and pull times. */
  readonly imageOf: (digest: string) => ImageDetail;
  /** The terminal's width, or undefined when the output is not a terminal. */
  readonly columns?: number;
}

/** Writes lines through `out` in chunks, so a million rows are a few hundred writes. */
class LineWriter {
  private readonly lines: string[] = [];
  private size = 0;

  constructor(private readonly out: (text: string) => void) {}

  public line(text: string): void {
    this.lines.push(text);
    this.size += text.length + 1;
    if (this.size >= CHUNK) this.flush();
  }

  public flush(): void {
    if (this.lines.length > 0) {
      this.out(this.lines.join('\n'));
      this.lines.length = 0;
      this.size = 0;
    }
  }
}

type Row = { action: string; verdict: ImageVerdict };

/** Every verdict with its action word, expired first, then transitioned, then kept. */
function* rows(result: LifecyclePreviewResult): Generator<Row> {
  for (const verdict of result.expired) yield { action: `expire${mark(verdict)}`, verdict };
  for (const verdict of result.transitioned) yield { action: `transition${mark(verdict)}`, verdict };
  for (const verdict of result.kept) yield { action: 'keep', verdict };
}

/** `!` for an image removed apart from one that stays (a signature of a kept image), `?` for an uncertain verdict. */
function mark(verdict: ImageVerdict): string {
  return verdict.separatedFrom !== undefined ? '!' : verdict.caveat !== undefined ? '?' : '';
}

/** The table's short form of a caveat. */
function caveatNote(verdict: ImageVerdict, image: ImageDetail): string {
  if (verdict.separatedFrom !== undefined) {
    return image.subjectDigest === verdict.separatedFrom
      ? `; its subject ${shortDigest(verdict.separatedFrom)} stays without it (signature verification fails)`
      : `; its image index ${shortDigest(verdict.separatedFrom)} stays in archive without it`;
  }
  return verdict.caveat === undefined ? '' : '; may stay (an image index may reference it)';
}

/** The result as JSON: the verdict lists, one verdict a line, then the byte totals and warnings. */
export function printJson(result: LifecyclePreviewResult, out: (text: string) => void): void {
  const writer = new LineWriter(out);
  writer.line('{');
  for (const key of ['expired', 'transitioned', 'kept'] as const) {
    const list = result[key];
    writer.line(`  "${key}": [${list.length === 0 ? '],' : ''}`);
    list.forEach((verdict, i) => writer.line(`    ${JSON.stringify(verdict)}${i === list.length - 1 ? '' : ','}`));
    if (list.length > 0) writer.line('  ],');
  }
  writer.line(`  "expiredBytes": ${result.expiredBytes},`);
  writer.line(`  "transitionedBytes": ${result.transitionedBytes},`);
  writer.line(`  "keptBytes": ${result.keptBytes},`);
  writer.line(`  "warnings": ${JSON.stringify(result.warnings)}`);
  writer.line('}');
  writer.flush();
}

/** The result as a table: a heading, one row per image, a summary line with sizes and a monthly estimate. */
export function printTable(result: LifecyclePreviewResult, context: ReportContext, out: (text: string) => void): void {
  const writer = new LineWriter(out);
  writer.line(`Policy: ${context.policyName} (${plural(context.ruleCount, 'rule')}), evaluated at ${context.now.toISOString()}`);
  writer.line('');
  const heading = ['DIGEST', 'TAGS', 'SIZE', 'PUSHED', 'LAST PULL', 'ACTION', 'RULE', 'WHY'];
  const cells = (row: Row): string[] => {
    const image = context.imageOf(row.verdict.digest);
    return [
      shortDigest(row.verdict.digest),
      tagList(row.verdict.tags),
      formatSize(row.verdict.sizeInBytes),
      formatTime(image.pushedAt),
      image.lastPulledAt ? formatTime(image.lastPulledAt) : 'never',
      row.action,
      row.verdict.rulePriority === undefined ? '-' : String(row.verdict.rulePriority),
      row.verdict.reason + caveatNote(row.verdict, image),
    ];
  };
  // One pass for the column widths (a loop: no spread of a list as long as the repository), one to print.
  const widths = heading.map((h) => h.length);
  for (const row of rows(result)) {
    cells(row).forEach((cell, column) => { widths[column] = Math.max(widths[column], cell.length); });
  }
  const fixed = widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0);
  const whyWidth = context.columns === undefined ? Infinity : Math.max(MIN_WHY_WIDTH, context.columns - fixed);
  const format = (line: string[]) => line
    .map((cell, column) => (column === line.length - 1 ? truncate(cell, whyWidth) : cell.padEnd(widths[column])))
    .join('  ');
  writer.line(format(heading));
  for (const row of rows(result)) writer.line(format(cells(row)));
  writer.line('');
  writer.line(summary(result, context));
  writer.line(priceNote(context));
  writer.flush();
}

/** The result as Markdown for a pull request comment: a summary line, then a table of at most 100 rows. */
export function printMarkdown(result: LifecyclePreviewResult, context: ReportContext, out: (text: string) => void): void {
  const writer = new LineWriter(out);
  writer.line(`**Lifecycle policy preview** of \`${context.policyName}\` (${plural(context.ruleCount, 'rule')}) at ${context.now.toISOString()}: `
    + `${summary(result, context)}`);
  writer.line('');
  writer.line('| Action | Digest | Tags | Size | Rule | Why |');
  writer.line('|---|---|---|---:|---:|---|');
  let shown = 0;
  for (const row of rows(result)) {
    if (shown === MARKDOWN_MAX_ROWS) break;
    const v = row.verdict;
    const why = v.caveat === undefined ? v.reason : `${v.reason}. **Caveat:** ${v.caveat}`;
    writer.line(`| ${row.action} | \`${shortDigest(v.digest)}\` | ${v.tags.length === 0 ? '_untagged_' : markdownCell(tagList(v.tags))} `
      + `| ${formatSize(v.sizeInBytes)} | ${v.rulePriority ?? '-'} | ${markdownCell(why)} |`);
    shown++;
  }
  if (context.imageCount > shown) {
    writer.line('');
    writer.line(`${plural(context.imageCount - shown, 'more image')} not shown: run \`ecr-lifecycle-preview --format table\` or \`--format json\` for all.`);
  }
  for (const warning of result.warnings) {
    writer.line('');
    writer.line(`> **Warning:** ${markdownCell(warning)}`);
  }
  writer.line('');
  writer.line(`<sub>${priceNote(context)}</sub>`);
  writer.flush();
}

/**
 * `6 images: 3 expired, 1 transitioned to archive, 2 kept; frees 0.15 GB (about $0.02 a month), moves 0.05 GB
 * to archive (about $0.00 a month)`.
 */
function summary(result: LifecyclePreviewResult, context: ReportContext): string {
  const { standard, archive } = context.prices;
  let freedSaving = 0;
  for (const verdict of result.expired) {
    freedSaving += ((verdict.sizeInBytes ?? 0) / GB) * (verdict.storageClass === ImageStorageClass.ARCHIVE ? archive : standard);
  }
  const movedSaving = (result.transitionedBytes / GB) * (standard - archive);
  return `${plural(context.imageCount, 'image')}: ${result.expired.length} expired, ${result.transitioned.length} transitioned to archive, `
    + `${result.kept.length} kept; frees ${formatGb(result.expiredBytes)} (${formatUsd(freedSaving)} a month less), `
    + `moves ${formatGb(result.transitionedBytes)} to archive (${formatUsd(movedSaving)} a month less)`;
}

function priceNote(context: ReportContext): string {
  return `Estimate at ${formatUsd(context.prices.standard)} (standard) and ${formatUsd(context.prices.archive)} (archive) per GB-month, GB = 2^30 bytes, `
    + `storage only; defaults from ${context.pricesSource}; ECR stores a layer shared by several images once, so sizes can overcount.`;
}

function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, SHORT_DIGEST);
}

/** `a,b,c`, or as many tags as fit in 32 characters and `+N more`. */
function tagList(tags: readonly string[]): string {
  if (tags.length === 0) return '<untagged>';
  let text = '';
  let shown = 0;
  for (; shown < tags.length; shown++) {
    const next = shown === 0 ? tags[0] : `${text},${tags[shown]}`;
    const rest = tags.length - shown - 1;
    if (next.length + (rest === 0 ? 0 : ` +${rest} more`.length) > MAX_TAGS_WIDTH) break;
    text = next;
  }
  if (shown === tags.length) return text;
  if (shown === 0) {
    const suffix = tags.length === 1 ? '' : ` +${tags.length - 1} more`;
    return truncate(tags[0], MAX_TAGS_WIDTH - suffix.length) + suffix;
  }
  return `${text} +${tags.length - shown} more`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '?';
  if (bytes >= GB) return formatGb(bytes);
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${(bytes / 2 ** 10).toFixed(1)} KB`;
}

function formatGb(bytes: number): string {
  return `${(bytes / GB).toFixed(2)} GB`;
}

/** Dollars with cents, and more digits only where a price has them ($0.0235). */
function formatUsd(amount: number): string {
  const cents = amount.toFixed(2);
  return `$${Number(cents) === amount || amount >= 1 ? cents : String(Number(amount.toPrecision(3)))}`;
}

function formatTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z');
}
