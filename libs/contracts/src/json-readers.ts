import { parseIsoTimestamp } from './iso-time';
import { issue, quote, ROOT_PATH, shorten, type ValidationIssue } from './validation-issue';

/**
 * Structural readers for untrusted JSON: each checks one value's type and reports issues with
 * their path instead of throwing, so a feed operator gets every problem of a report at once.
 * A reader returns `INVALID` when it pushed an issue.
 */
export const INVALID: unique symbol = Symbol('invalid');
export type Read<T> = T | typeof INVALID;
export type Reader<T> = (value: unknown, path: string, issues: ValidationIssue[]) => Read<T>;

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${quote(value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
};

function typeIssue(issues: ValidationIssue[], path: string, expected: string, value: unknown): typeof INVALID {
  issues.push(issue(path, 'TYPE', `${path} must be ${expected} (got ${describe(value)})`));
  return INVALID;
}

/** ES2024's String.prototype.isWellFormed (in Node since 20); the ES2023 lib the code is typed against lacks it. */
const isWellFormed = (value: string): boolean => (value as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * A string that is well-formed UTF-16. JSON may escape a lone surrogate (`"\ud800"`), which no
 * UTF-8 encoding can carry: Avro would silently replace it, so the report would change on the way.
 */
export const string: Reader<string> = (value, path, issues) => {
  if (typeof value !== 'string') return typeIssue(issues, path, 'a string', value);
  if (isWellFormed(value)) return value;
  issues.push(issue(path, 'FORMAT', `${path} must be well-formed Unicode text: it holds a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair)`));
  return INVALID;
};

export const boolean: Reader<boolean> = (value, path, issues) =>
  typeof value === 'boolean' ? value : typeIssue(issues, path, 'true or false', value);

export const number: Reader<number> = (value, path, issues) =>
  typeof value === 'number' && Number.isFinite(value) ? value : typeIssue(issues, path, 'a number', value);

/** An Avro int: a whole number that fits 32 bits. */
export const integer: Reader<number> = (value, path, issues) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) return typeIssue(issues, path, 'a whole number', value);
  if (value < INT32_MIN || value > INT32_MAX) {
    issues.push(issue(path, 'RANGE', `${path} is too large (got ${value})`));
    return INVALID;
  }
  return value;
};

export const timestamp: Reader<number> = (value, path, issues) => {
  if (typeof value !== 'string') return typeIssue(issues, path, 'an ISO-8601 timestamp string such as 2025-03-14T06:30:00Z', value);
  const millis = parseIsoTimestamp(value);
  if (millis === null) {
    issues.push(issue(path, 'FORMAT', `${path} must be an ISO-8601 timestamp with a time zone, e.g. 2025-03-14T06:30:00Z (got ${quote(value)})`));
    return INVALID;
  }
  return millis;
};

export function oneOf<S extends string>(symbols: readonly S[]): Reader<S> {
  return (value, path, issues) => {
    if (typeof value !== 'string') return typeIssue(issues, path, `one of ${symbols.join(', ')}`, value);
    if ((symbols as readonly string[]).includes(value)) return value as S;
    issues.push(issue(path, 'ENUM', `${path} must be one of ${symbols.join(', ')} (got ${quote(value)})`));
    return INVALID;
  };
}

export function nullable<T>(read: Reader<T>): Reader<T | null> {
  return (value, path, issues) => (value === null ? null : read(value, path, issues));
}

export function arrayOf<T>(read: Reader<T>): Reader<T[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) return typeIssue(issues, path, 'an array', value);
    const before = issues.length;
    const items = value.map((item, i) => read(item, `${path}[${i}]`, issues));
    return issues.length === before ? (items as T[]) : INVALID;
  };
}

/** A field: its reader, and for optional fields the value used when it is absent. */
export interface Field<T> {
  read: Reader<T>;
  whenAbsent?: () => T;
}
export type Fields<T> = { [K in keyof T]-?: Field<T[K]> };

export const required = <T>(read: Reader<T>): Field<T> => ({ read });
export const optional = <T>(read: Reader<T>, whenAbsent: () => T): Field<T> => ({ read, whenAbsent });

/** A JSON object with exactly these fields; unknown fields are issues (they are usually typos). */
export function objectOf<T>(fields: Fields<T>): Reader<T> {
  const names = new Set(Object.keys(fields));
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return typeIssue(issues, path || ROOT_PATH, 'an object', value);
    const input = value as Record<string, unknown>;
    const before = issues.length;
    const at = (name: string): string => (path ? `${path}.${name}` : name);
    for (const name of Object.keys(input)) {
      if (names.has(name)) continue;
      // The name is the feed's: shortened, so that one enormous key cannot make an enormous issue.
      const unknown = at(shorten(name));
      issues.push(issue(unknown, 'UNKNOWN_FIELD', `unknown field ${unknown}; check its spelling against the IncidentReport schema`));
    }
    const output: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields) as [string, Field<unknown>][]) {
      const raw = input[name];
      if (raw === undefined) {
        if (field.whenAbsent) output[name] = field.whenAbsent();
        else issues.push(issue(at(name), 'REQUIRED', `${at(name)} is required`));
      } else {
        output[name] = field.read(raw, at(name), issues);
      }
    }
    return issues.length === before ? (output as T) : INVALID;
  };
}
