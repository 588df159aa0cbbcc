import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, MAX_DEAD_LETTER_BYTES, deadLetterMessage, readDeadLetterReason } from './dead-letter';
import type { InboundMessage } from './types';

const source = (over: Partial<InboundMessage>): InboundMessage => ({ topic: 'feeds.ml', partition: 2, offset: '41', key: Buffer.from('k'), value: Buffer.from('v'), headers: {}, timestamp: 0, ...over });
const failure = { code: 'SCHEMA_INVALID', message: 'occurredAt: must be an ISO-8601 timestamp', attempts: 1 };
const sizeOf = (m: ReturnType<typeof deadLetterMessage>) =>
  (m.key?.length ?? 0) + (m.value?.length ?? 0) + Object.entries(m.headers ?? {}).reduce((n, [name, v]) => n + Buffer.byteLength(name) + Buffer.byteLength(String(v)), 0);

describe('deadLetterMessage', () => {
  it('carries the original key, value and headers, and the reason', () => {
    const letter = deadLetterMessage('incidents.rejected', 'ingest', source({ headers: { 'vigie-feed': Buffer.from('ml-police') } }), failure, 0);
    expect(letter).toMatchObject({ topic: 'incidents.rejected', key: Buffer.from('k'), value: Buffer.from('v') });
    expect(letter.headers).toMatchObject({ 'vigie-feed': 'ml-police', [DEAD_LETTER_HEADERS.sourceOffset]: '41', [DEAD_LETTER_HEADERS.sourceTopic]: 'feeds.ml' });
    expect(readDeadLetterReason(letter.headers ?? {})).toEqual({ code: 'SCHEMA_INVALID', message: failure.message, stage: 'ingest' });
    for (const cut of [DEAD_LETTER_HEADERS.valueTruncatedFrom, DEAD_LETTER_HEADERS.keyTruncatedFrom, DEAD_LETTER_HEADERS.headersDropped]) expect(letter.headers).not.toHaveProperty(cut);
  });

  it('stays within MAX_DEAD_LETTER_BYTES whatever it carries, cutting the value, the key and the headers, and says what it cut', () => {
    const value = Buffer.alloc(1_048_000, 'x');
    const key = Buffer.alloc(40_000, 'k');
    // 40 headers of 4 KB: the first 16 fit in the 64 KiB the source's headers may take.
    const headers = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`h-${i}`, Buffer.alloc(4_000, 'h')]));
    const letter = deadLetterMessage('incidents.rejected', 'ingest', source({ key, value, headers }), { ...failure, message: 'é'.repeat(5_000) }, 0);
    expect(sizeOf(letter)).toBeLessThanOrEqual(MAX_DEAD_LETTER_BYTES);
    expect(sizeOf(letter)).toBeGreaterThan(MAX_DEAD_LETTER_BYTES - 100);
    expect(value.subarray(0, (letter.value as Buffer).length).equals(letter.value as Buffer)).toBe(true);
    expect(letter.headers).toMatchObject({ [DEAD_LETTER_HEADERS.valueTruncatedFrom]: '1048000', [DEAD_LETTER_HEADERS.keyTruncatedFrom]: '40000', [DEAD_LETTER_HEADERS.headersDropped]: '24' });
    expect(readDeadLetterReason(letter.headers ?? {}).code).toBe('SCHEMA_INVALID');
  });
});
