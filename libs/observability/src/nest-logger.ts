import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '@vigie/config';
import type { LogFields, VigieLogger } from './logger';

/**
 * Nest's own logs as JSON: `NestFactory.create(AppModule, { logger: new JsonNestLogger(logger) })`.
 * Nest passes the context (class name) as the last string argument and, for errors, a stack before it.
 */
export class JsonNestLogger implements LoggerService {
  constructor(private readonly logger: VigieLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    const split = splitParams(params, false);
    // Nest's start-up chatter (one line per module and route) is detail, not news.
    const level = split.context !== undefined && STARTUP_CONTEXTS.has(split.context) ? 'debug' : 'info';
    if (this.logger.isLevelEnabled(level)) this.write(level, message, split);
  }
  warn(message: unknown, ...params: unknown[]): void {
    if (this.logger.isLevelEnabled('warn')) this.write('warn', message, splitParams(params, false));
  }
  error(message: unknown, ...params: unknown[]): void {
    if (this.logger.isLevelEnabled('error')) this.write('error', message, splitParams(params, true));
  }
  fatal(message: unknown, ...params: unknown[]): void {
    if (this.logger.isLevelEnabled('error')) this.write('error', message, splitParams(params, true), { fatal: true });
  }
  debug(message: unknown, ...params: unknown[]): void {
    if (this.logger.isLevelEnabled('debug')) this.write('debug', message, splitParams(params, false));
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.debug(message, ...params);
  }

  private write(level: LogLevel, message: unknown, { context, stack, rest }: NestParams, extra?: LogFields): void {
    const fields: Record<string, unknown> = { ...extra };
    if (context !== undefined) fields['context'] = context;
    let msg: string;
    if (message instanceof Error) {
      msg = message.message;
      fields['err'] = message;
    } else if (typeof message === 'object' && message !== null) {
      msg = typeof (message as { message?: unknown }).message === 'string' ? (message as { message: string }).message : '';
      fields['data'] = message;
    } else {
      msg = String(message);
    }
    if (stack !== undefined) fields['stack'] = stack;
    if (rest.length > 0) fields['args'] = rest;
    this.logger[level](msg, fields);
  }
}

const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
const STACK = /^.+\n\s+at .+/;

interface NestParams {
  readonly context?: string;
  readonly stack?: string;
  readonly rest: unknown[];
}

/** Nest's argument conventions, as its ConsoleLogger reads them. */
function splitParams(params: unknown[], withStack: boolean): NestParams {
  const rest = [...params];
  let context: string | undefined;
  let stack: string | undefined;
  const last = rest.at(-1);
  // error(message, stack) without context: a lone stack trace is not a context.
  if (typeof last === 'string' && !(withStack && rest.length === 1 && STACK.test(last))) {
    context = last;
    rest.pop();
  }
  if (withStack && rest.length > 0 && (typeof rest.at(-1) === 'string' || rest.at(-1) === undefined)) {
    const candidate = rest.pop();
    if (typeof candidate === 'string') stack = candidate;
  }
  return { ...(context !== undefined ? { context } : {}), ...(stack !== undefined ? { stack } : {}), rest };
}
