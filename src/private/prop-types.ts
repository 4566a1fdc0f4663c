// The runtime type check of every construct's props, for JavaScript callers the compiler does not check (and
// for values that jsii passes through as they come): `encryption: { value: 'KMS' }`, `appliedFor: 'CREATE_ON_PUSH'`,
// `tags: { k: undefined }`. Each construct describes its props once with the checks below and calls `checkProps`
// first, so a wrong type is refused with the library's message (prop, bad value, fix) instead of a TypeError
// or a silently different template. `null` is absent, as jsii's `None`/`nil`/`null` are: a preset keeps its value.
import { Construct } from 'constructs';
import { enumProblems } from './enums';
import { throwIfProblems } from './errors';
import { isObject } from './text';

/**
 * Checks one value that is neither `undefined` nor `null`, pushing a problem per wrong part to `problems`, each
 * prefixed with `at` (the prop's path, e.g. `rules[0].destinations[1].region`), and returns the value with the
 * `null` of its optional struct fields removed.
 */
export type Check = (value: unknown, at: string, problems: string[]) => unknown;

/** A prop of a struct: its check and, when it must be set, what to give. */
export interface Field {
  readonly check: Check;
  readonly required?: string;
}

/** The fields of a props struct, by name. */
export type Schema = Record<string, Field | Check>;

/**
 * A field that must be set (not `undefined` or `null`).
 *
 * @param what what to give, for the message, e.g. `the IAM role or user to exclude`
 */
export function required(check: Check, what: string): Field {
  return { check, required: what };
}

/** A JavaScript string (a token is a string too). */
export const string: Check = primitive('string', 'a string');
/** A JavaScript boolean. */
export const boolean: Check = primitive('boolean', 'true or false');
/** A JavaScript number (a token is a number too). */
export const number: Check = primitive('number', 'a number');

/** A plain object with the fields of `schema`; fields it does not list are passed on unchecked. */
export function struct(name: string, schema: Schema): Check {
  return (value, at, problems) => {
    if (!isObject(value)) {
      problems.push(`${at}: ${show(value)} is not ${name} (an object with its fields)`);
      return value;
    }
    return fields(value, schema, `${at}.`, problems);
  };
}

/** An array whose every item passes `item`. */
export function listOf(item: Check): Check {
  return (value, at, problems) => {
    if (!Array.isArray(value)) {
      problems.push(`${at}: ${show(value)} is not a list; pass an array, e.g. [${show(value)}]`);
      return value;
    }
    return value.map((v, i) => v === undefined || v === null
      ? (problems.push(`${at}[${i}]: ${String(v)} is not allowed in a list; remove it`), v)
      : item(v, `${at}[${i}]`, problems));
  };
}

/** A plain object of string keys to values that pass `item` (tags). */
export function mapOf(item: Check): Check {
  return (value, at, problems) => {
    if (!isObject(value)) {
      problems.push(`${at}: ${show(value)} is not an object of keys to values, e.g. { team: 'payments' }`);
      return value;
    }
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || v === null) {
        problems.push(`${at}: the value of '${key}' is ${String(v)}; give it a value or leave the key out`);
      } else {
        item(v, `${at}['${key}']`, problems);
      }
    }
    return value;
  };
}

/** One of the members of an enum (or a subset of them), with the message of `enumProblems`. */
export function oneOf(typeName: string, members: readonly unknown[]): Check {
  return (value, at, problems) => {
    problems.push(...enumProblems(at, value, typeName, members));
    return value;
  };
}

/** An instance of a class (an enum-like class such as `RepositoryEncryption`, made by its constants or factories). */
export function instanceOf(typeName: string, type: { readonly prototype: object }, fix: string): Check {
  return (value, at, problems) => {
    if (!Object.prototype.isPrototypeOf.call(type.prototype, value as object)) {
      problems.push(`${at}: ${show(value)} is not ${article(typeName)}; ${fix}`);
    }
    return value;
  };
}

/**
 * An object of an interface, recognised by the members it must have (an `iam.IRole` has a string `roleArn`):
 * anything else (a string ARN, a plain object) would fail later without saying why.
 */
export function implementing(typeName: string, members: Record<string, 'string' | 'function' | 'object'>, fix: string): Check {
  return (value, at, problems) => {
    const ok = typeof value === 'object' && value !== null
      && Object.entries(members).every(([member, type]) => typeof (value as Record<string, unknown>)[member] === type);
    if (!ok) {
      problems.push(`${at}: ${show(value)} is not ${article(typeName)}; ${fix}`);
    }
    return value;
  };
}

/** An IAM principal: what `iam.PolicyStatement` needs of one. */
export const IAM_PRINCIPAL = implementing('iam.IPrincipal', { addToPrincipalPolicy: 'function', policyFragment: 'object' },
  "pass a principal such as new iam.ArnPrincipal('arn:aws:iam::123456789012:role/ci') or an iam.Role");

/** An IAM role: what a construct that passes one to ECR, or grants it a key, needs of one. */
export const IAM_ROLE = implementing('iam.IRole', { roleArn: 'string', grantPrincipal: 'object' },
  'pass an iam.Role, or iam.Role.fromRoleArn(...) for an existing role');

/**
 * The props with their `null` fields removed, after checking every field's type against `schema`; throws
 * `<path>: invalid <kind> props` listing every wrong type at once.
 *
 * @param scope the construct whose props these are, named in the error
 * @param kind the props' owner, e.g. `EcrRepository` or `notifyOnScanFindings` (with `what`)
 * @param what the heading's last word: `props` for a construct, `options` for a method
 */
export function checkProps<T>(scope: Construct, kind: string, props: T, schema: Schema, what: string = 'props'): T {
  const problems: string[] = [];
  let checked: unknown = props;
  if (props === undefined || props === null) {
    checked = fields({}, schema, '', problems);
  } else if (!isObject(props)) {
    problems.push(`${show(props)} is not an object of ${kind} ${what}`);
  } else {
    checked = fields(props, schema, '', problems);
  }
  throwIfProblems(`${scope.node.path}: invalid ${kind} ${what}`, problems);
  return checked as T;
}

/** The problems of one required value (a method's argument), e.g. `valueProblems(LIFECYCLE_RULE, rule, 'rule')`. */
export function valueProblems(check: Check, value: unknown, at: string): string[] {
  const problems: string[] = [];
  if (value === undefined || value === null) {
    problems.push(`${at} is required, got ${String(value)}`);
  } else {
    check(value, at, problems);
  }
  return problems;
}

/** The props without the fields that are `null` (absent to jsii), so that `{ ...preset, ...props }` keeps the preset's. */
export function withoutNulls<T extends object>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined && value !== null)) as T;
}

function fields(value: Record<string, unknown>, schema: Schema, prefix: string, problems: string[]): Record<string, unknown> {
  const result: Record<string, unknown> = { ...withoutNulls(value) };
  for (const [name, entry] of Object.entries(schema)) {
    const field: Field = typeof entry === 'function' ? { check: entry } : entry;
    const v = result[name];
    if (v === undefined) {
      if (field.required !== undefined) problems.push(`${prefix}${name} is required; give ${field.required}`);
    } else {
      result[name] = field.check(v, `${prefix}${name}`, problems);
    }
  }
  return result;
}

function primitive(type: 'string' | 'boolean' | 'number', expected: string): Check {
  return (value, at, problems) => {
    if (typeof value !== type) {
      problems.push(`${at}: ${show(value)} is not ${expected}`);
    }
    return value;
  };
}

/** `a Duration`, `an iam.IRole`: the article of the type's own name (after its module). */
function article(typeName: string): string {
  return `${/^[AEIOU]/i.test(typeName.split('.').pop()!) ? 'an' : 'a'} ${typeName}`;
}

/** How a wrong value is shown: JSON for data, the class name for an object of a class, the type of anything else. */
export function show(value: unknown): string {
  if (typeof value === 'function') {
    return `a function${value.name ? ` (${value.name})` : ''}`;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      return `an object of class ${prototype.constructor?.name ?? '(anonymous)'}`;
    }
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
