import { headerText, type InboundMessage, type MessageFailure, type OutboundMessage } from './types';

/** Header names on dead-lettered messages: the reason travels with the original bytes. */
export const DEAD_LETTER_HEADERS = {
  code: 'vigie-error-code',
  message: 'vigie-error-message',
  stage: 'vigie-error-stage',
  attempts: 'vigie-error-attempts',
  sourceTopic: 'vigie-source-topic',
  sourcePartition: 'vigie-source-partition',
  sourceOffset: 'vigie-source-offset',
  failedAt: 'vigie-failed-at',
} as const;

const MAX_REASON_LENGTH = 2_000;

export function deadLetterMessage(
  deadLetterTopic: string,
  stage: string,
  source: InboundMessage,
  failure: MessageFailure,
  now: number,
): OutboundMessage {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(source.headers)) {
    const value = headerText(source, name);
    if (value !== undefined) headers[name] = value;
  }
  headers[DEAD_LETTER_HEADERS.code] = failure.code;
  headers[DEAD_LETTER_HEADERS.message] = failure.message.slice(0, MAX_REASON_LENGTH);
  headers[DEAD_LETTER_HEADERS.stage] = stage;
  headers[DEAD_LETTER_HEADERS.attempts] = String(failure.attempts);
  headers[DEAD_LETTER_HEADERS.sourceTopic] = source.topic;
  headers[DEAD_LETTER_HEADERS.sourcePartition] = String(source.partition);
  headers[DEAD_LETTER_HEADERS.sourceOffset] = source.offset;
  headers[DEAD_LETTER_HEADERS.failedAt] = new Date(now).toISOString();
  return { topic: deadLetterTopic, key: source.key, value: source.value ?? Buffer.alloc(0), headers };
}

/** Reads the reason headers back, for the CLI, tests and operators' tools. */
export function readDeadLetterReason(headers: Record<string, unknown>): { code: string; message: string; stage: string } {
  const text = (name: string): string => {
    const value = headers[name];
    return Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : '';
  };
  return { code: text(DEAD_LETTER_HEADERS.code), message: text(DEAD_LETTER_HEADERS.message), stage: text(DEAD_LETTER_HEADERS.stage) };
}
