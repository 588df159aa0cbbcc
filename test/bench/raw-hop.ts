/**
 * One hop of the raw baseline chain: a plain kafkajs consumer group that forwards every batch to
 * the next topic and does nothing else. Same consumer settings, producer (BatchProducer) and
 * offset commits (OffsetCommitter) as the pipeline's stage runner, so the difference between the
 * two is the pipeline's own work.
 *   node -r tools/register.js test/bench/raw-hop.ts <from-topic> <to-topic> <group-id>
 */
import { DEFAULT_KAFKA_FETCH_BUSY_RATE, DEFAULT_KAFKA_FETCH_MAX_BYTES, DEFAULT_KAFKA_FETCH_MAX_WAIT_MS } from '@vigie/config';
import { BatchProducer, FetchPacing, OffsetCommitter, createKafka, type OutboundMessage } from '@vigie/kafka';

const MAX_CHUNK = 1_000;

async function main(): Promise<void> {
  const [from, to, groupId] = process.argv.slice(2) as [string, string, string];
  const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: `bench-${groupId}`, ssl: false });
  const producer = new BatchProducer(kafka);
  // Fetches paced by load, with the stage runner's defaults (see FetchPacing and StageRunner).
  const pacing = new FetchPacing({ busyRate: DEFAULT_KAFKA_FETCH_BUSY_RATE, busyWaitMs: DEFAULT_KAFKA_FETCH_MAX_WAIT_MS });
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxBytes: DEFAULT_KAFKA_FETCH_MAX_BYTES,
    maxBytesPerPartition: DEFAULT_KAFKA_FETCH_MAX_BYTES,
    ...pacing.consumerOptions(),
  });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [from], fromBeginning: false });
  // The parent reads 'ready' once; later rejoins (e.g. while stopping) must not fail on a closed pipe.
  process.stdout.on('error', () => {});
  const committer = new OffsetCommitter(() => {});
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
  await consumer.run({
    // Offsets committed in the background within a second, as the stage runner does.
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 16,
    // Chunks of at most 1000 messages per produce request, as the pipeline's stage runner does.
    eachBatch: async (payload) => {
      const { batch, resolveOffset, heartbeat } = payload;
      pacing.received(batch.messages.length);
      for (let start = 0; start < batch.messages.length; start += MAX_CHUNK) {
        const chunk = batch.messages.slice(start, start + MAX_CHUNK);
        await producer.send(chunk.map((m): OutboundMessage => ({ topic: to, key: m.key, value: m.value ?? Buffer.alloc(0), headers: headersOf(m.headers) })));
        resolveOffset(chunk[chunk.length - 1]!.offset);
        committer.resolved(payload);
        await heartbeat();
      }
    },
  });
  const stop = async (): Promise<void> => {
    await committer.close().catch(() => {});
    await consumer.disconnect();
    await producer.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

/** The latency phase's send-time header travels on; the throughput phase's messages have none. */
function headersOf(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = String(value);
  return out;
}

void main();
