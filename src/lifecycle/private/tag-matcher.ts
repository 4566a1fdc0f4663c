// How a lifecycle rule's tag lists match an image's tags, exactly as ECR documents it:
// - `tagPrefixList` entries match tags that start with them;
// - `tagPatternList` entries match whole tags, `*` standing for any run of characters (also none);
//   every other character, `?` and `.` included, stands for itself; matching is case-sensitive;
// - several entries are AND: every entry must match some tag of the image; other tags don't matter.
// @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules

/**
 * A predicate for "every prefix starts some tag".
 */
export function forPrefixes(prefixes: readonly string[]): (tags: readonly string[]) => boolean {
  return everyEntry(prefixes.map((prefix) => (tag: string) => tag.startsWith(prefix)));
}

/**
 * A predicate for "every pattern matches some whole tag".
 */
export function forPatterns(patterns: readonly string[]): (tags: readonly string[]) => boolean {
  return everyEntry(patterns.map(matchPattern));
}

/**
 * A predicate for one pattern against one tag: anchored at both ends, `*` = any run of characters.
 */
export function matchPattern(pattern: string): (tag: string) => boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) {
    return (tag) => tag === pattern;
  }
  const head = parts[0];
  const tail = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((part) => part.length > 0);
  const minLength = head.length + tail.length;
  return (tag) => {
    if (tag.length < minLength || !tag.startsWith(head) || !tag.endsWith(tail)) {
      return false;
    }
    // Leftmost-first search of each middle part is exact for patterns whose only wildcard is `*`.
    let from = head.length;
    const end = tag.length - tail.length;
    for (const part of middle) {
      const at = tag.indexOf(part, from);
      if (at < 0 || at + part.length > end) {
        return false;
      }
      from = at + part.length;
    }
    return true;
  };
}

/** "Every entry matches some tag", as plain loops: this runs once per image and rule. */
function everyEntry(entries: ((tag: string) => boolean)[]): (tags: readonly string[]) => boolean {
  if (entries.length === 1) {
    const only = entries[0];
    return (tags) => {
      for (let t = 0; t < tags.length; t++) {
        if (only(tags[t])) return true;
      }
      return false;
    };
  }
  return (tags) => {
    for (let e = 0; e < entries.length; e++) {
      let found = false;
      for (let t = 0; t < tags.length && !found; t++) {
        found = entries[e](tags[t]);
      }
      if (!found) return false;
    }
    return true;
  };
}
