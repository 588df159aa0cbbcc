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
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;

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

describe('kafkajs patches', () => {
  it('are installed', () => {
    for (const file of ['consumer/consumerGroup.js', 'protocol/encoder.js', 'protocol/recordBatch/record/v0/index.js', 'protocol/recordBatch/v0/index.js', 'producer/groupMessagesPerPartition.js', 'producer/partitioners/default/murmur2.js', 'protocol/recordBatch/crc32C/crc32C.js', 'network/requestQueue/index.js']) {
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
