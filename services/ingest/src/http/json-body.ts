import type { IncomingMessage } from 'node:http';
import { HttpException, HttpStatus, type FactoryProvider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Config } from '@vigie/config';
import { SERVICE_CONFIG } from '@vigie/nest-kafka';
import type { ingestConfigSpec } from '../ingest.config';

export const JSON_MEDIA_TYPE = 'application/json';
export const INGEST_JSON_BODY = Symbol('INGEST_JSON_BODY');

/** Whether a Content-Type header names JSON (parameters such as charset aside). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === JSON_MEDIA_TYPE;
}

/** What body-parser attaches to the errors it passes on. */
interface BodyParserError {
  readonly type?: unknown;
  readonly message?: unknown;
}

/**
 * Body-parser's refusals in the shape of Vigie's other HTTP errors (`{ error, message }`);
 * undefined for anything else, which Nest answers as usual.
 */
export function bodyParserHttpError(error: unknown, limitBytes: number): HttpException | undefined {
  const { type, message } = (error ?? {}) as BodyParserError;
  const detail = typeof message === 'string' ? message : '';
  switch (type) {
    case 'entity.too.large':
      return new HttpException(
        { error: 'BODY_TOO_LARGE', message: `the body is larger than ${limitBytes} bytes, the most ingest reads per request: send fewer reports per request` },
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    case 'entity.parse.failed':
      return new HttpException({ error: 'INVALID_JSON', message: `the body is not valid JSON: ${detail}` }, HttpStatus.BAD_REQUEST);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpException({ error: 'UNSUPPORTED_MEDIA_TYPE', message: `${detail}; send the reports as UTF-8 JSON` }, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    default:
      return undefined;
  }
}

/**
 * Ingest's JSON body parser: Nest's default one reads at most 100 KB, about 100 reports. It reads
 * only what isJsonContentType accepts, so the controller refuses the rest by the same rule.
 */
export function installJsonBodyParser(adapter: AbstractHttpAdapter, limitBytes: number): void {
  if (!(adapter instanceof ExpressAdapter)) throw new Error('HTTP ingest runs on the Express adapter, whose JSON body parser it replaces');
  adapter.useBodyParser('json', false, { limit: limitBytes, type: (req: IncomingMessage) => isJsonContentType(req.headers['content-type']) });
  // Express hands a parser's error to the next error middleware: this one gives it Vigie's shape, then Nest answers it.
  adapter.use((error: unknown, _req: unknown, _res: unknown, next: (error: unknown) => void) => next(bodyParserHttpError(error, limitBytes) ?? error));
}

/**
 * Installs the parser while the app is being created: Nest adds its default JSON parser at init
 * only when none is installed yet, and providers are instantiated before that.
 */
export const ingestJsonBodyProvider: FactoryProvider<void> = {
  provide: INGEST_JSON_BODY,
  inject: [HttpAdapterHost, SERVICE_CONFIG],
  useFactory: (host: HttpAdapterHost, config: Pick<Config<typeof ingestConfigSpec>, 'INGEST_HTTP_MAX_BODY_BYTES'>) =>
    installJsonBodyParser(host.httpAdapter, config.INGEST_HTTP_MAX_BODY_BYTES),
};
