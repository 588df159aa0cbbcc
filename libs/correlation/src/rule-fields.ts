import { VigieError } from '@vigie/contracts';
import { parseDuration } from './duration';

/*
 * Readers of rule-file fields: each names the field's path in its error, so an operator who edits
 * deploy/config/rules.json learns exactly which value is wrong and what was expected.
 */

export const RULES_INVALID = 'RULES_INVALID';

export type Raw = Readonly<Record<string, unknown>>;

export const fail = (path: string, message: string): never => {
  throw new VigieError(RULES_INVALID, `${path}: ${message}`, false, { path });
};

export const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

export const duration = (value: unknown, path: string): number => parseDuration(value, path, RULES_INVALID);

export const optionalDuration = (value: unknown, path: string, fallback: number): number => (value === undefined ? fallback : duration(value, path));

export function positiveNumber(value: unknown, path: string, fallback?: number, { integer = false } = {}): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    return fail(path, `expected a positive ${integer ? 'integer' : 'number'} (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  return allowed.includes(value as T) ? (value as T) : fail(path, `expected one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

export function list<T extends string>(value: unknown, path: string, allowed: readonly T[], noun: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(path, `expected an array of ${noun}s`);
  return value.map((item, i) =>
    allowed.includes(item as T) ? (item as T) : fail(`${path}[${i}]`, `unknown ${noun} ${JSON.stringify(item)} (known: ${allowed.join(', ')})`),
  );
}

/** Rejects fields a reader does not know, so that a typo is an error rather than a silent default. */
export function onlyFields(raw: Raw, path: string, known: readonly string[]): void {
  for (const field of Object.keys(raw)) if (!known.includes(field)) fail(`${path}.${field}`, `unknown field (known: ${known.join(', ')})`);
}
