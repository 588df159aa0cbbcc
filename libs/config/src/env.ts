import { pathCheck, type PathKind, type PathLoader } from './paths';
import { type CommonOptions, type CrossCheck, fail, type Kind, makeSpec, ok, type Parsed, type Resolved, type Spec } from './spec';

/**
 * Builders for environment variable specs. Problems are phrased without the raw value
 * ("is not an integer"): loadConfig adds the value itself, so secrets are never echoed.
 */

export interface StringOptions extends CommonOptions<string> {
  readonly pattern?: RegExp;
}
export interface RangeOptions extends CommonOptions<number> {
  readonly min?: number;
  readonly max?: number;
}
export interface ListOptions extends CommonOptions<string[]> {
  readonly itemPattern?: RegExp;
}
export interface UrlOptions extends CommonOptions<string> {
  /** Accepted schemes, with or without the trailing colon: `['redis', 'rediss']`. */
  readonly protocols?: readonly string[];
}
export interface PathOptions extends CommonOptions<string> {
  /** The service's reader of what the path holds, run at startup: what it throws is a configuration problem. */
  readonly load?: PathLoader;
}
export interface NamedSecretsOptions extends CommonOptions<string> {
  /** What a name (before `=`) may be; a feed id, an operator's name. */
  readonly namePattern: RegExp;
}

const identity = (value: string): string => value;

function matching(pattern: RegExp | undefined, raw: string): Parsed<string> {
  return pattern && !pattern.test(raw) ? fail(`does not match ${pattern}`) : ok(raw);
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` ${min}..${max}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

function inRange(value: number, options: RangeOptions, type: string): Parsed<number> {
  const { min, max } = options;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return fail(`is out of range (expected ${type})`);
  }
  return ok(value);
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const SCHEME_AND_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\//i;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function stringKind(options: StringOptions, secret: boolean): Kind<string> {
  return {
    type: secret ? 'secret' : options.pattern ? `string matching ${options.pattern}` : 'string',
    parse: (raw) => matching(options.pattern, raw),
    format: identity,
    exampleHint: secret ? '<secret>' : '<text>',
    secret,
  };
}

function numberKind(options: RangeOptions, integer: boolean): Kind<number> {
  const type = (integer ? 'integer' : 'number') + rangeText(options.min, options.max);
  return {
    type,
    parse: (raw) => {
      const value = Number(raw);
      if (!(integer ? INTEGER : DECIMAL).test(raw) || !Number.isFinite(value)) return fail(`is not ${integer ? 'an integer' : 'a number'}`);
      if (integer && !Number.isSafeInteger(value)) return fail('is too large for an integer');
      return inRange(value, options, type);
    },
    format: String,
    exampleHint: String(options.min ?? options.max ?? 1),
  };
}

function listKind(options: ListOptions): Kind<string[]> {
  return {
    type: options.itemPattern ? `comma-separated list of ${options.itemPattern}` : 'comma-separated list',
    parse: (raw) => {
      const items = raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
      if (items.length === 0) return fail('has no items');
      const bad = options.itemPattern ? items.filter((item) => !options.itemPattern!.test(item)) : [];
      if (bad.length > 0) return fail(`has items not matching ${options.itemPattern}: ${bad.map((b) => JSON.stringify(b)).join(', ')}`);
      return ok(items);
    },
    format: (items) => items.join(','),
    exampleHint: 'a,b',
  };
}

function urlKind(options: UrlOptions): Kind<string> {
  const protocols = options.protocols?.map((p) => (p.endsWith(':') ? p : `${p}:`));
  return {
    type: protocols ? `URL (${protocols.map((p) => p.slice(0, -1)).join(', ')})` : 'URL',
    parse: (raw) => {
      // `cache:6379` parses as a URL with scheme `cache`; insisting on `://` catches that slip.
      if (!SCHEME_AND_AUTHORITY.test(raw) || !URL.canParse(raw)) return fail('is not a valid URL (scheme://host:port)');
      const protocol = new URL(raw).protocol;
      if (protocols && !protocols.includes(protocol)) return fail(`has scheme ${protocol.slice(0, -1)}, expected one of ${protocols.join(' ')}`);
      return ok(raw);
    },
    format: identity,
    exampleHint: `${protocols?.[0] ?? 'https:'}//host:port`,
  };
}

function enumKind<T extends string>(values: readonly T[]): Kind<T> {
  const byLowerCase = new Map(values.map((value) => [value.toLowerCase(), value]));
  const type = `one of: ${values.join(' | ')}`;
  return {
    type,
    // Case-insensitive: LOG_LEVEL=INFO is what an operator means by `info`.
    parse: (raw) => {
      const value = byLowerCase.get(raw.toLowerCase());
      return value === undefined ? fail(`is not ${type}`) : ok(value);
    },
    format: identity,
    exampleHint: values[0] ?? '',
  };
}

function pathKind(kind: PathKind): Kind<string> {
  return { type: `path of a readable ${kind}`, parse: ok, format: identity, exampleHint: kind === 'file' ? '/etc/vigie/file.json' : '/etc/vigie/folder' };
}

/** The path checks first; the caller's own check only on a usable path. */
function withPathCheck<O extends PathOptions>(kind: PathKind, options: O): O {
  const usable = pathCheck(kind, options.load);
  const check: CrossCheck<string> = (value, config) => usable(value, config) ?? options.check?.(value, config);
  return { ...options, check };
}

/**
 * `name=secret,name=secret` (bearer tokens by feed or operator). The value stays the raw text for
 * the service's own parser; this only refuses what that parser would, without echoing any of it:
 * an entry without `=` may be a bare secret.
 */
function namedSecretsKind(namePattern: RegExp): Kind<string> {
  return {
    type: `comma-separated name=secret pairs (secret), each name matching ${namePattern}`,
    parse: (raw) => {
      const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
      if (entries.length === 0) return fail('has no name=secret pairs');
      const bad = entries.findIndex((entry) => {
        const at = entry.indexOf('=');
        return at <= 0 || at === entry.length - 1 || !namePattern.test(entry.slice(0, at));
      });
      return bad < 0 ? ok(raw) : fail(`has an entry (number ${bad + 1} of ${entries.length}) that is not name=secret, or whose name does not match ${namePattern}`);
    },
    format: identity,
    exampleHint: 'name=<secret>',
    secret: true,
  };
}

const boolKind: Kind<boolean> = {
  type: 'boolean (true/false, 1/0, yes/no, on/off)',
  parse: (raw) => {
    const word = raw.toLowerCase();
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
    return fail('is not a boolean (use true or false)');
  },
  format: String,
  exampleHint: 'true',
};

export const env = {
  string: <O extends StringOptions>(options: O): Spec<Resolved<string, O>> => makeSpec(stringKind(options, false), options),
  /** Like string, but its value never appears in errors, docs or redacted dumps. */
  secret: <O extends StringOptions>(options: O): Spec<Resolved<string, O>> => makeSpec(stringKind(options, true), options),
  int: <O extends RangeOptions>(options: O): Spec<Resolved<number, O>> => makeSpec(numberKind(options, true), options),
  number: <O extends RangeOptions>(options: O): Spec<Resolved<number, O>> => makeSpec(numberKind(options, false), options),
  bool: <O extends CommonOptions<boolean>>(options: O): Spec<Resolved<boolean, O>> => makeSpec(boolKind, options),
  list: <O extends ListOptions>(options: O): Spec<Resolved<string[], O>> => makeSpec(listKind(options), options),
  url: <O extends UrlOptions>(options: O): Spec<Resolved<string, O>> => makeSpec(urlKind(options), options),
  /** A file that must exist and be readable, and that `load` (when given) accepts, the default included. */
  file: <O extends PathOptions>(options: O): Spec<Resolved<string, O>> => makeSpec(pathKind('file'), withPathCheck('file', options)),
  /** A folder, checked like `file`. */
  folder: <O extends PathOptions>(options: O): Spec<Resolved<string, O>> => makeSpec(pathKind('folder'), withPathCheck('folder', options)),
  /** Secret `name=secret` pairs; the value is the raw text, never shown. */
  namedSecrets: <O extends NamedSecretsOptions>(options: O): Spec<Resolved<string, O>> => makeSpec(namedSecretsKind(options.namePattern), options),
  enumOf: <T extends string, O extends CommonOptions<NoInfer<T>>>(
    values: readonly T[],
    options: O,
  ): Spec<Resolved<T, O>> => makeSpec(enumKind(values), options),
};
