// The wording shared by every lifecycle policy problem message: how a rule and a bad value are named.
import { isObject } from '../../private/text';

/** How problems name a rule of a policy document: its index in `rules` and its `rulePriority`. */
export function ruleName(index: number, rule: unknown): string {
  const priority = isObject(rule) ? rule.rulePriority : undefined;
  return priority === undefined ? `rules[${index}]` : `rules[${index}] (rulePriority ${JSON.stringify(priority)})`;
}

/** A value as problems quote it: JSON, with its kind spelled out. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'null';
  }
  const kind = Array.isArray(value) ? 'an array' : typeof value;
  return `${kind} ${truncate(JSON.stringify(value))}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
