/**
 * A Spec describes one environment variable: how to parse it, its default, and what to tell an
 * operator who got it wrong. The builders in env.ts create them; loadConfig applies them.
 */

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** A check that needs the other variables (e.g. SASL credentials required unless the mechanism is none). */
export type CrossCheck<T> = (value: T | undefined, config: Readonly<Record<string, unknown>>) => string | undefined;

export interface Spec<T> {
  /** What the variable accepts, in words: "integer 1..65535", "one of: a | b". */
  readonly type: string;
  readonly description: string;
  /** A value shown in errors and docs; never a real secret. */
  readonly example: string;
  readonly secret: boolean;
  /** No default and not optional: loadConfig reports it when unset. */
  readonly required: boolean;
  readonly defaultValue: T | undefined;
  readonly parse: (raw: string) => Parsed<T>;
  /** Renders a value for docs (defaults) and redacted dumps. */
  readonly format: (value: T) => string;
  readonly check?: CrossCheck<T>;
}

export type ValueOf<S> = S extends Spec<infer T> ? T : never;

export type ConfigSpec = Record<string, Spec<any>>;

export type Config<S extends ConfigSpec> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** Options every builder accepts. `optional: true` without a default makes the value `T | undefined`. */
export interface CommonOptions<T> {
  readonly description: string;
  readonly default?: T;
  readonly optional?: boolean;
  readonly example?: string;
  readonly check?: CrossCheck<T>;
}

/** The value type a builder returns for given options: a default or `optional: false` removes `undefined`. */
export type Resolved<T, O> = O extends { readonly default: unknown }
  ? T
  : O extends { readonly optional: true }
    ? T | undefined
    : T;

/** What a builder knows about its kind of value; makeSpec adds the options. */
export interface Kind<T> {
  readonly type: string;
  readonly parse: (raw: string) => Parsed<T>;
  readonly format: (value: T) => string;
  /** Example used when the caller gave neither an example nor a default. */
  readonly exampleHint: string;
  readonly secret?: boolean;
}

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T = never>(problem: string): Parsed<T> => ({ ok: false, problem });

export function makeSpec<T, O extends CommonOptions<T>>(kind: Kind<T>, options: O): Spec<Resolved<T, O>> {
  const hasDefault = options.default !== undefined;
  const secret = kind.secret ?? false;
  const example =
    options.example ?? (hasDefault && !secret ? kind.format(options.default as T) : kind.exampleHint);
  const spec: Spec<T> = {
    type: kind.type,
    description: options.description,
    example,
    secret,
    required: !hasDefault && options.optional !== true,
    defaultValue: options.default,
    parse: kind.parse,
    format: kind.format,
    ...(options.check ? { check: options.check } : {}),
  };
  // The value type only narrows (T or T | undefined); the runtime object is the same.
  return spec as unknown as Spec<Resolved<T, O>>;
}
