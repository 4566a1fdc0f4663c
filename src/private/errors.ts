// The one format of every "invalid ..." error the library throws or the CLI prints: a heading, then each
// problem on a line of its own, so that a user sees every problem at once, not just the first.

/**
 * `heading:` then every problem on a line of its own; past `limit` problems, one line says how many more
 * (an inventory of 100,000 images can have 100,000 problems).
 */
export function problemList(heading: string, problems: readonly string[], limit: number = Infinity): string {
  const listed = problems.slice(0, limit).map(p => `  - ${p}`);
  if (problems.length > limit) {
    listed.push(`  - ... and ${problems.length - limit} more`);
  }
  return `${heading}:\n${listed.join('\n')}`;
}

/** Throws one error listing every problem (see `problemList`) when there is any problem. */
export function throwIfProblems(heading: string, problems: readonly string[]): void {
  if (problems.length > 0) {
    throw new Error(problemList(heading, problems));
  }
}
