// Small text and JSON helpers shared by every module that reads user JSON or words a message.

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value of `record`'s own property `key`, or `undefined`: a key from user input (`"constructor"`,
 * `"__proto__"`, `"toString"`) must not reach what every object inherits.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `1 image`, `2 images`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `text` without a leading UTF-8 byte order mark, which some editors (and PowerShell redirects) write. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
