import { VigieError, isIsoCountryCode, parseIsoTimestamp } from '@vigie/contracts';

/**
 * Collects every problem of a document with the path where it is, so an operator fixes them all in
 * one pass. Control data decides who learns what, so it is validated strictly: an unknown field is
 * reported rather than ignored (a misspelt filter would silently widen or narrow a subscription);
 * `$comment` fields are the exception, for documentation inside files.
 */
export class Problems {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path || '(root)'}: ${message}`);
  }

  record(value: unknown, path: string, fields: readonly string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(path, 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!fields.includes(key) && !key.startsWith('$comment')) this.add(join(path, key), `unknown field (expected ${fields.join(', ')})`);
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, path: string, pattern: RegExp | null, expectation: string): string {
    if (typeof value !== 'string' || value.trim() === '' || (pattern && !pattern.test(value))) {
      this.add(path, `must be ${expectation} (got ${JSON.stringify(value) ?? 'nothing'})`);
      return '';
    }
    return value;
  }

  /** An array of distinct items, each checked by `check`; `undefined` reads as empty when `optional`. */
  strings(value: unknown, path: string, check: (item: unknown, itemPath: string) => string, optional = false): string[] {
    if (value === undefined && optional) return [];
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array (empty = any)');
      return [];
    }
    const items = value.map((item, i) => check(item, `${path}[${i}]`));
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (item && seen.has(item)) this.add(`${path}[${i}]`, `duplicate "${item}"`);
      seen.add(item);
    });
    return items;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) this.add(path, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value) ?? 'nothing'})`);
    return value as T;
  }

  country(value: unknown, path: string): string {
    const code = this.string(value, path, /^[A-Z]{2}$/, 'an upper-case ISO 3166-1 alpha-2 code');
    if (code && !isIsoCountryCode(code)) this.add(path, `"${code}" is not an ISO 3166-1 alpha-2 code`);
    return code;
  }

  /** An ISO-8601 timestamp with a time zone, as epoch millis; `fallback` when absent (if given). */
  timestamp(value: unknown, path: string, fallback?: number): number {
    if (value === undefined && fallback !== undefined) return fallback;
    const millis = typeof value === 'string' ? parseIsoTimestamp(value) : null;
    if (millis === null) this.add(path, `must be an ISO-8601 timestamp with a time zone, e.g. 2025-03-14T10:00:00Z (got ${JSON.stringify(value) ?? 'nothing'})`);
    return millis ?? 0;
  }

  optionalText(value: unknown, path: string, maxLength: number): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string' || value.length > maxLength) this.add(path, `must be text of at most ${maxLength} characters`);
    return typeof value === 'string' ? value : '';
  }

  /** Throws `code` listing every problem, or returns `value` when there was none. */
  result<T>(code: string, value: T): T {
    if (this.list.length > 0) throw new VigieError(code, this.list.join('; '), false, { problems: [...this.list] });
    return value;
  }
}

export const join = (path: string, field: string): string => (path ? `${path}.${field}` : field);

/** Reports ids used twice in one list (the path of each repeat). */
export function reportDuplicates(p: Problems, ids: readonly string[], pathOf: (i: number) => string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (id && seen.has(id)) p.add(pathOf(i), `duplicate id "${id}"`);
    seen.add(id);
  });
}

export function arrayAt(p: Problems, root: Record<string, unknown> | undefined, field: string, optional = false): unknown[] {
  const value = root?.[field];
  if (Array.isArray(value)) return value;
  if (root && !(optional && value === undefined)) p.add(field, 'must be an array');
  return [];
}
