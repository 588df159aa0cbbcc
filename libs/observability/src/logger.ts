import type { LogLevel } from '@vigie/config';

/**
 * Structured JSON logs: one object per line on stdout,
 * `{"ts":"…","level":"info","service":"ingest","msg":"…",…fields}`.
 */

export type LogFields = Readonly<Record<string, unknown>>;

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Keys every line starts with; a field of the same name is kept under `_<key>` rather than lost. */
const RESERVED = new Set(['ts', 'level', 'service', 'msg']);

/** Abstract class rather than interface so Nest can inject it by type. */
export abstract class VigieLogger {
  abstract readonly level: LogLevel;
  /** Lets a caller skip building costly fields for a line that would be dropped. */
  abstract isLevelEnabled(level: LogLevel): boolean;
  abstract debug(msg: string, fields?: LogFields): void;
  abstract info(msg: string, fields?: LogFields): void;
  abstract warn(msg: string, fields?: LogFields): void;
  abstract error(msg: string, fields?: LogFields): void;
  /** A logger adding `fields` to every line (e.g. `{ topic, partition }`). */
  abstract child(fields: LogFields): VigieLogger;
}

export interface LoggerOptions {
  /** Where lines go; stdout by default. Tests pass a collector. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

export function createLogger(service: string, level: LogLevel = 'info', options: LoggerOptions = {}): VigieLogger {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  return new JsonLogger(service, level, write, options.now ?? (() => new Date()), {});
}

class JsonLogger extends VigieLogger {
  private readonly threshold: number;

  constructor(
    private readonly service: string,
    readonly level: LogLevel,
    private readonly write: (line: string) => void,
    private readonly now: () => Date,
    private readonly bound: LogFields,
  ) {
    super();
    this.threshold = SEVERITY[level];
  }

  isLevelEnabled(level: LogLevel): boolean {
    return SEVERITY[level] >= this.threshold;
  }

  debug(msg: string, fields?: LogFields): void {
    if (SEVERITY.debug >= this.threshold) this.emit('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    if (SEVERITY.info >= this.threshold) this.emit('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    if (SEVERITY.warn >= this.threshold) this.emit('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    if (SEVERITY.error >= this.threshold) this.emit('error', msg, fields);
  }

  child(fields: LogFields): VigieLogger {
    return new JsonLogger(this.service, this.level, this.write, this.now, { ...this.bound, ...fields });
  }

  private emit(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    const record: Record<string, unknown> = { ts: this.now().toISOString(), level, service: this.service, msg };
    assignFields(record, this.bound);
    if (fields) assignFields(record, fields);
    this.write(stringify(record));
  }
}

function assignFields(record: Record<string, unknown>, fields: LogFields): void {
  for (const key in fields) record[RESERVED.has(key) ? `_${key}` : key] = fields[key];
}

function stringify(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record, jsonSafe);
  } catch (error) {
    // A circular field must not cost the line: keep what identifies it and say why the rest is missing.
    const { ts, level, service, msg } = record;
    return JSON.stringify({ ts, level, service, msg, logError: `fields not serialisable: ${String(error)}` });
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return serializeError(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * An error as a log field: name, stable code and retriability (VigieError, Node system errors),
 * message, stack and cause. JSON.stringify drops all of these from a bare Error.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code, retriable, details } = error as Error & { code?: unknown; retriable?: unknown; details?: unknown };
  return {
    name: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: error.message,
    ...(typeof retriable === 'boolean' ? { retriable } : {}),
    ...(details !== undefined ? { details } : {}),
    stack: error.stack,
    ...(error.cause !== undefined ? { cause: error.cause instanceof Error ? serializeError(error.cause) : error.cause } : {}),
  };
}

/**
 * Routes Node's process warnings through the JSON logger instead of raw stderr text. kafkajs 2.2.4
 * schedules a negative timeout on recent Node versions (kafkajs#1751): harmless, logged at debug.
 */
export function logProcessWarnings(logger: VigieLogger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') logger.debug('process warning', { name: warning.name, message: warning.message });
    else logger.warn('process warning', { name: warning.name, message: warning.message });
  });
}
