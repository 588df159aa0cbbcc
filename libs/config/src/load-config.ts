import { VigieError } from '@vigie/contracts';
import type { Config, ConfigSpec, Spec } from './spec';

export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/** Thrown at startup with every problem at once, so an operator fixes the environment in one pass. */
export class ConfigError extends VigieError {
  constructor(readonly problems: readonly ConfigProblem[], spec: ConfigSpec) {
    super('CONFIG_INVALID', formatProblems(problems, spec), false, { variables: problems.map((p) => p.variable) });
    this.name = 'ConfigError';
  }
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** The ConfigError that loading `source` gives, or undefined when it is valid: for what reports the problems rather than stops (tests, tools). */
export function configErrorOf(spec: ConfigSpec, source: EnvSource): ConfigError | undefined {
  try {
    loadConfig(spec, source);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

/**
 * Reads and validates every variable of `spec` from `source` (process.env by default).
 * Empty values count as unset (docker-compose's `FOO=` means "not given"). Cross-field checks run
 * on variables that parsed, against the others that parsed, so one mistake is not reported twice.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, source: EnvSource = process.env): Config<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  const invalid = new Set<string>();

  for (const [variable, entry] of Object.entries(spec)) {
    const raw = normalise(source[variable], entry);
    if (raw === undefined) {
      if (entry.required) {
        problems.push({ variable, problem: 'is not set' });
        invalid.add(variable);
      } else {
        values[variable] = entry.defaultValue;
      }
      continue;
    }
    const parsed = entry.parse(raw);
    if (parsed.ok) {
      values[variable] = parsed.value;
    } else {
      problems.push({ variable, problem: `${echo(raw, entry)} ${parsed.problem}` });
      invalid.add(variable);
    }
  }

  for (const [variable, entry] of Object.entries(spec)) {
    if (!entry.check || invalid.has(variable)) continue;
    const problem = entry.check(values[variable], values);
    if (problem !== undefined) problems.push({ variable, problem });
  }

  if (problems.length > 0) throw new ConfigError(problems, spec);
  return Object.freeze(values) as Config<S>;
}

/** A copy of a loaded config fit for a startup log line: secrets hidden, URL passwords masked. */
export function redactConfig<S extends ConfigSpec>(spec: S, config: Config<S>): Record<string, unknown> {
  const redacted: Record<string, unknown> = {};
  for (const [variable, entry] of Object.entries(spec)) {
    const value: unknown = config[variable];
    if (entry.secret) redacted[variable] = value === undefined ? undefined : '***';
    else redacted[variable] = typeof value === 'string' ? maskUrlCredentials(value) : value;
  }
  return redacted;
}

/**
 * `redis://user:pw@host` → `redis://user:***@host`: URLs carry passwords more often than one thinks.
 * Greedy up to the last `@` of the authority, so an unencoded `@` in a password is masked too.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(/(\/\/[^:@/\s]*):[^/\s]*@/g, '$1:***@');
}

function normalise(raw: string | undefined, entry: Spec<unknown>): string | undefined {
  if (raw === undefined) return undefined;
  // Secrets are taken verbatim: a password may legitimately start or end with a space.
  const value = entry.secret ? raw : raw.trim();
  return value === '' ? undefined : value;
}

function echo(raw: string, entry: Spec<unknown>): string {
  return entry.secret ? 'value (hidden)' : JSON.stringify(maskUrlCredentials(raw));
}

function formatProblems(problems: readonly ConfigProblem[], spec: ConfigSpec): string {
  const lines = problems.map(({ variable, problem }) => {
    const entry = spec[variable];
    const about = entry ? ` — ${entry.description.replace(/\.$/, '')} (${entry.type}). Example: ${variable}=${entry.example}` : '';
    return `  - ${variable} ${problem}${about}`;
  });
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return `Invalid configuration (${count}); set these environment variables:\n${lines.join('\n')}`;
}
