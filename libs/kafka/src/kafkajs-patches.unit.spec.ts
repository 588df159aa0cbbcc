import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

// kafkajs internals patched by patches/kafkajs+2.2.4.patch (applied by `npm ci`'s postinstall).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: string | Buffer) => number;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (args: {
  topic: string;
  partitionMetadata: { partitionId: number; leader: number }[];
  messages: { key: string; value: string }[];
  partitioner: (args: { message: { key: string } }) => number;
}) => Record<string, { key: string; value: string }[]>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: { offsetDelta: number; timestampDelta: number; key: Buffer | null; value: Buffer; headers?: Record<string, string> }) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (batch: { records: unknown[]; firstTimestamp: number; maxTimestamp: number }) => Promise<{ buffer: Buffer }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{ records: { key: Buffer | null; value: Buffer; headers: Record<string, Buffer> }[] }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkaDecoder;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Encoder = require('kafkajs/src/protocol/encoder') as EncoderClass;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ProduceV7 = require('kafkajs/src/protocol/requests/produce/v7/request') as (request: {
  acks: number;
  timeout: number;
  compression: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence: number; messages: ProducerMessage[] }[] }[];
}) => { encode(): Promise<{ buffer: Buffer }> };

interface KafkaDecoder {
  readInt16(): number;
  readInt32(): number;
  readString(): string;
  readBytes(length: number): Buffer;
}
interface EncoderClass {
  new (): { writeVarInt(value: number): unknown; writeVarLong(value: number): unknown; buffer: Buffer };
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: number): number;
}
interface ProducerMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string | Buffer | (string | Buffer)[]>;
  timestamp?: string;
}

interface RequestQueue {
  throttledUntil: number;
  pending: unknown[];
  push(request: { entry: Record<string, unknown>; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  destroy(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: Record<string, unknown>) => RequestQueue;

/** CRC-32C bit by bit, straight from the polynomial: the oracle for the table-driven patch. */
function crc32cBitwise(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** ZigZag then LEB128, in BigInt: the oracle for the patched varint writers. */
function varLongBytes(value: bigint): number[] {
  let zigZag = value >= 0n ? value * 2n : -value * 2n - 1n;
  const bytes: number[] = [];
  while (zigZag >= 128n) {
    bytes.push(Number(zigZag % 128n) | 0x80);
    zigZag /= 128n;
  }
  return [...bytes, Number(zigZag)];
}

const GZIP = 1;

/** Reads a Produce (v3–v7) request body back: each partition's record batch, decoded by kafkajs' fetch decoder. */
async function readProduceRequest(body: Buffer) {
  const decoder = new Decoder(body);
  decoder.readString(); // transactional id
  decoder.readInt16(); // acks
  decoder.readInt32(); // timeout
  const topics = [];
  for (let t = decoder.readInt32(); t > 0; t--) {
    const topic = decoder.readString();
    for (let p = decoder.readInt32(); p > 0; p--) {
      const partition = decoder.readInt32();
      const recordSet = decoder.readBytes(decoder.readInt32());
      // FirstOffset (8), Length (4), PartitionLeaderEpoch (4), Magic (1), then the CRC of everything after it.
      expect(recordSet.readUInt32BE(17), `${topic}/${partition} CRC`).toBe(crc32cBitwise(recordSet.subarray(21)));
      expect(recordSet.readInt32BE(8), `${topic}/${partition} length`).toBe(recordSet.length - 12);
      const batch = (await decodeRecordBatch(new Decoder(recordSet))) as unknown as { firstTimestamp: string; records: { key: Buffer | null; value: Buffer | null; timestamp: string; headers: Record<string, Buffer | Buffer[]>; offset: string }[] };
      topics.push({ topic, partition, records: batch.records });
    }
  }
  return topics;
}

const headersOf = (headers: NonNullable<ProducerMessage['headers']>) => headers;
const asText = (value: string | Buffer | null | undefined): string | null => (value == null ? null : Buffer.isBuffer(value) ? value.toString('hex') : Buffer.from(value).toString('hex'));

describe('kafkajs patches', () => {
  it('are installed', () => {
    for (const file of ['consumer/consumerGroup.js', 'protocol/encoder.js', 'protocol/recordBatch/record/v0/index.js', 'protocol/recordBatch/v0/index.js', 'protocol/requests/produce/v3/request.js', 'protocol/recordBatch/record/v0/decoder.js', 'producer/groupMessagesPerPartition.js', 'producer/partitioners/default/murmur2.js', 'protocol/recordBatch/crc32C/crc32C.js', 'network/requestQueue/index.js', 'consumer/index.js']) {
      expect(readFileSync(require.resolve(`kafkajs/src/${file}`), 'utf8'), `${file}: run npm ci (postinstall: patch-package)`).toContain('Patched by Vigie');
    }
  });

  it('murmur2 gives the Java client hash, so keys land on the partitions other clients pick', () => {
    // Values of org.apache.kafka.common.utils.Utils.murmur2 for these keys.
    const java: Record<string, number> = {
      '0': 971027396, '1': -1993445489, '128': -326012175, '2187': -1508407203, '16384': -325739742, '78125': -1654490814,
      '279936': 1462227128, '823543': -2014198330, '2097152': 607668903, '4782969': -1182699775, '10000000': -1830336757,
    };
    for (const [key, hash] of Object.entries(java)) expect(murmur2(key), key).toBe(hash);
  });

  it('crc32C is CRC-32C, on every length and alignment', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    const data = randomBytes(4_096);
    for (let length = 0; length <= 70; length++) {
      for (const offset of [0, 1, 5]) expect(crc32C(data.subarray(offset, offset + length)), `${offset}+${length}`).toBe(crc32cBitwise(data.subarray(offset, offset + length)));
    }
    expect(crc32C(data)).toBe(crc32cBitwise(data));
  });

  it('record batches sized up front (and not zero-filled) decode to what was encoded, with a valid CRC', async () => {
    for (const sizes of [[0], [1, 2, 3], [511, 512, 513], [4_095, 4_096, 70_000], Array.from({ length: 300 }, (_, i) => (i * 37) % 2_000)]) {
      const records = sizes.map((size, i) => ({ key: i % 3 ? Buffer.from(`key-${i}`) : null, value: randomBytes(size), headers: { n: String(i), 'vigie-h': 'x'.repeat(i % 50) } }));
      const batch = await RecordBatch({ firstTimestamp: 1, maxTimestamp: 2, records: records.map((r, i) => Record({ ...r, offsetDelta: i, timestampDelta: 0 })) });
      // FirstOffset (8), Length (4), PartitionLeaderEpoch (4), Magic (1), then the CRC of everything after it.
      expect(batch.buffer.readUInt32BE(17)).toBe(crc32cBitwise(batch.buffer.subarray(21)));
      const decoded = await decodeRecordBatch(new Decoder(batch.buffer));
      expect(decoded.records.map((r) => [r.key?.toString() ?? null, r.value.toString('hex'), String(r.headers.n), String(r.headers['vigie-h'])])).toEqual(
        records.map((r) => [r.key?.toString() ?? null, r.value.toString('hex'), r.headers.n, r.headers['vigie-h']]),
      );
    }
  });

  it('varints and varlongs written in place are ZigZag LEB128, on every length', () => {
    const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8_191, 8_192, 2 ** 31 - 1, -(2 ** 31)];
    for (const value of values) {
      const encoder = new Encoder();
      encoder.writeVarInt(value);
      expect([...encoder.buffer], `varint ${value}`).toEqual(varLongBytes(BigInt(value)));
      expect(Encoder.sizeOfVarInt(value)).toBe(encoder.buffer.length);
    }
    // Plain numbers below 2^52 take the patched path; beyond it, kafkajs' Long path.
    const longs = [...values, 2 ** 35, -(2 ** 35) - 3, 1_765_000_000_000, -1_765_000_000_000, 2 ** 52 - 1, -(2 ** 52) + 1, 2 ** 52, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53) + 1];
    for (const value of longs) {
      const encoder = new Encoder();
      encoder.writeVarLong(value);
      expect([...encoder.buffer], `varlong ${value}`).toEqual(varLongBytes(BigInt(value)));
      expect(Encoder.sizeOfVarLong(value), `size of varlong ${value}`).toBe(encoder.buffer.length);
    }
  });

  it('a produce request with its records written straight into each batch decodes to what was sent, uncompressed and compressed', async () => {
    const messages = (partition: number): ProducerMessage[] =>
      Array.from({ length: 40 }, (_, i) => ({
        key: [null, undefined, `key-€-${i}`, Buffer.from(`k${i}`)][i % 4],
        value: i % 9 === 8 ? null : i % 2 ? randomBytes((i * 131) % 3_000) : `value-${partition}-${i}-${'é'.repeat(i)}`,
        ...(i % 3 === 0 ? {} : { headers: i % 3 === 1 ? headersOf({ 'vigie-ingested-at': String(i) }) : headersOf({ one: Buffer.from([i]), many: ['a', Buffer.from('b'), 'c€'] }) }),
        ...(i % 5 === 0 ? { timestamp: String(1_765_000_000_000 + i * 1_000) } : {}),
      }));
    for (const compression of [0, GZIP]) {
      const topicData = ['incidents.enriched', 'incidents.late'].map((topic) => ({ topic, partitions: [0, 3].map((partition) => ({ partition, firstSequence: 0, messages: messages(partition) })) }));
      const sentAt = Date.now();
      const request = await ProduceV7({ acks: -1, timeout: 30_000, compression, topicData }).encode();
      const read = await readProduceRequest(request.buffer);
      expect(read.map(({ topic, partition }) => `${topic}/${partition}`)).toEqual(['incidents.enriched/0', 'incidents.enriched/3', 'incidents.late/0', 'incidents.late/3']);
      for (const { topic, partition, records } of read) {
        const sent = topicData.find((t) => t.topic === topic)!.partitions.find((p) => p.partition === partition)!.messages;
        expect(records.map((r) => r.offset)).toEqual(sent.map((_, i) => String(i)));
        expect(records.map((r) => [asText(r.key), asText(r.value)]), `${topic}/${partition} compression ${compression}`).toEqual(sent.map((m) => [asText(m.key), asText(m.value)]));
        expect(records.map((r) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(asText) : asText(v)])))).toEqual(
          sent.map((m) => Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(asText) : asText(v)]))),
        );
        // A message's own timestamp is kept; the others get the time of the request.
        for (const [i, record] of records.entries()) {
          if (sent[i]!.timestamp) expect(record.timestamp).toBe(sent[i]!.timestamp);
          else expect(Number(record.timestamp)).toBeGreaterThanOrEqual(sentAt);
        }
      }
    }
  });

  it('decoded records carry their offsets and timestamps exactly, in numbers or beyond 2^53, and every header', async () => {
    const deltas = [0, 1, -1_000, 2 ** 40 + 3, -(2 ** 47) - 1, 2 ** 50 + 7, -(2 ** 55) - 9];
    const records = deltas.map((timestampDelta, i) => Record({ key: null, value: Buffer.from([i]), headers: { one: 'x', many: ['a', 'b', 'c'].slice(0, 1 + (i % 3)) } as unknown as Record<string, string>, offsetDelta: i, timestampDelta }));
    for (const [firstOffset, firstTimestamp] of [['41', 1_765_000_000_000], [String(2 ** 53 - 3), 0], ['9223372036854775000', -1]] as const) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Long = require('kafkajs/src/utils/long') as { fromValue(value: string): unknown };
      const batch = await (RecordBatch as (batch: Record<string, unknown>) => Promise<{ buffer: Buffer }>)({ firstOffset: Long.fromValue(firstOffset), firstTimestamp, maxTimestamp: firstTimestamp, records, lastOffsetDelta: deltas.length - 1 });
      const decoded = (await decodeRecordBatch(new Decoder(batch.buffer))).records as unknown as { offset: string; timestamp: string; headers: Record<string, Buffer | Buffer[]> }[];
      expect(decoded.map((r) => r.offset)).toEqual(deltas.map((_, i) => String(BigInt(firstOffset) + BigInt(i))));
      expect(decoded.map((r) => r.timestamp)).toEqual(deltas.map((delta) => String(BigInt(firstTimestamp) + BigInt(delta))));
      expect(decoded.map((r) => [String(r.headers.one), ([] as Buffer[]).concat(r.headers.many!).map(String)])).toEqual(deltas.map((_, i) => ['x', ['a', 'b', 'c'].slice(0, 1 + (i % 3))]));
    }
  });

  describe('a connection with no request waiting does not poll its queue (kafkajs#1556: 1,000 checks a second, each connection, forever)', () => {
    const noop = (): void => {};
    const newQueue = (): RequestQueue =>
      new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'b:1', logger: { debug: noop, info: noop, warn: noop, error: noop } });
    /** A request as a connection pushes it; `sent` lists the correlation ids put on the wire. */
    const request = (correlationId: number, sent: number[]) => ({
      entry: { correlationId, apiKey: 0, apiName: 'Spec', apiVersion: 0, resolve: noop, reject: noop },
      expectResponse: true,
      sendRequest: () => void sent.push(correlationId),
    });

    it('checks nothing once its queue is empty', () => {
      const queue = newQueue();
      try {
        queue.checkPendingRequests(); // what kafkajs does whenever a response comes back
        expect(queue.throttleCheckTimeoutId).toBeFalsy();
      } finally {
        queue.destroy();
      }
    });

    it('still sends a request held by the in-flight limit when a response frees a slot', () => {
      const queue = newQueue();
      const sent: number[] = [];
      queue.push(request(1, sent));
      queue.push(request(2, sent));
      try {
        expect(sent).toEqual([1]);
        expect(queue.pending).toHaveLength(1);
        queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
        expect(sent).toEqual([1, 2]);
      } finally {
        queue.destroy();
      }
    });

    it('still sends a request held by a broker throttle once the throttle ends', async () => {
      const queue = newQueue();
      const sent: number[] = [];
      queue.throttledUntil = Date.now() + 50;
      queue.push(request(1, sent));
      try {
        expect(sent).toEqual([]);
        expect(queue.throttleCheckTimeoutId).toBeTruthy();
        for (let waited = 0; sent.length === 0 && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
        expect(sent).toEqual([1]);
      } finally {
        queue.destroy();
      }
    });
  });

  it('grouping by partition keeps each partition in the order of the batch', () => {
    const messages = Array.from({ length: 1_000 }, (_, i) => ({ key: `k${i % 7}`, value: String(i) }));
    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata: [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1 })),
      messages,
      partitioner: ({ message }) => Number(message.key.slice(1)) % 3,
    });
    expect(Object.keys(grouped).sort()).toEqual(['0', '1', '2']);
    for (const [partition, list] of Object.entries(grouped)) {
      expect(list).toEqual(messages.filter((m) => Number(m.key.slice(1)) % 3 === Number(partition)));
    }
  });
});
