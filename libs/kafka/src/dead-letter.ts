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
  /** Set when the value was cut to fit: the original value's size in bytes. */
  valueTruncatedFrom: 'vigie-value-truncated-from',
  /** Set when the key was cut to fit: the original key's size in bytes. */
  keyTruncatedFrom: 'vigie-key-truncated-from',
  /** Set when some of the source's headers were left out to fit: how many. */
  headersDropped: 'vigie-headers-dropped',
} as const;

const MAX_REASON_LENGTH = 2_000;
/**
 * A dead letter stays this small whatever it carries: below the broker's default
 * message.max.bytes (1 MiB), with room for the record's own framing. One the broker refused
 * would stop the stage, as the source message it accounts for could then never be committed.
 */
export const MAX_DEAD_LETTER_BYTES = 1_000_000;
/** Of that, the most the source's key, and its headers, may each take. */
const MAX_COPIED_KEY_BYTES = 16 * 1024;
const MAX_COPIED_HEADER_BYTES = 64 * 1024;

/**
 * The dead letter of a message: its key, headers and value, with the reason in headers. What does
 * not fit in MAX_DEAD_LETTER_BYTES is cut (the value's end first), and headers say what was cut.
 */
export function deadLetterMessage(
  deadLetterTopic: string,
  stage: string,
  source: InboundMessage,
  failure: MessageFailure,
  now: number,
): OutboundMessage {
  const headers: Record<string, string> = {};
  let headerBytes = 0;
  let dropped = 0;
  for (const name of Object.keys(source.headers)) {
    const value = headerText(source, name);
    if (value === undefined) continue;
    const size = Buffer.byteLength(name) + Buffer.byteLength(value);
    if (headerBytes + size > MAX_COPIED_HEADER_BYTES) {
      dropped++;
      continue;
    }
    headers[name] = value;
    headerBytes += size;
  }
  headers[DEAD_LETTER_HEADERS.code] = failure.code;
  headers[DEAD_LETTER_HEADERS.message] = failure.message.slice(0, MAX_REASON_LENGTH);
  headers[DEAD_LETTER_HEADERS.stage] = stage;
  headers[DEAD_LETTER_HEADERS.attempts] = String(failure.attempts);
  headers[DEAD_LETTER_HEADERS.sourceTopic] = source.topic;
  headers[DEAD_LETTER_HEADERS.sourcePartition] = String(source.partition);
  headers[DEAD_LETTER_HEADERS.sourceOffset] = source.offset;
  headers[DEAD_LETTER_HEADERS.failedAt] = new Date(now).toISOString();
  if (dropped > 0) headers[DEAD_LETTER_HEADERS.headersDropped] = String(dropped);

  let key = source.key;
  if (key && key.length > MAX_COPIED_KEY_BYTES) {
    headers[DEAD_LETTER_HEADERS.keyTruncatedFrom] = String(key.length);
    key = key.subarray(0, MAX_COPIED_KEY_BYTES);
  }
  let value = source.value ?? Buffer.alloc(0);
  // Every header counted, the ones about to be added included (their values are short numbers).
  const framing = Object.entries(headers).reduce((n, [name, text]) => n + Buffer.byteLength(name) + Buffer.byteLength(text), 0)
    + DEAD_LETTER_HEADERS.valueTruncatedFrom.length + 16;
  const room = MAX_DEAD_LETTER_BYTES - framing - (key?.length ?? 0);
  if (value.length > room) {
    headers[DEAD_LETTER_HEADERS.valueTruncatedFrom] = String(value.length);
    value = value.subarray(0, Math.max(0, room));
  }
  return { topic: deadLetterTopic, key, value, headers };
}

/** Reads the reason headers back, for the CLI, tests and operators' tools. */
export function readDeadLetterReason(headers: Record<string, unknown>): { code: string; message: string; stage: string } {
  const text = (name: string): string => {
    const value = headers[name];
    return Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : '';
  };
  return { code: text(DEAD_LETTER_HEADERS.code), message: text(DEAD_LETTER_HEADERS.message), stage: text(DEAD_LETTER_HEADERS.stage) };
}
