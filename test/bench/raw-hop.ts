/**
 * One hop of the raw baseline chain: a plain kafkajs consumer group that forwards every batch to
 * the next topic and does nothing else. Same consumer and producer settings as the pipeline's
 * stage runner, so the difference between the two is the pipeline's own work.
 *   node -r tools/register.js test/bench/raw-hop.ts <from-topic> <to-topic> <group-id>
 */
import { Partitioners } from 'kafkajs';
import { createKafka } from '@vigie/kafka';

const MAX_CHUNK = 1_000;

async function main(): Promise<void> {
  const [from, to, groupId] = process.argv.slice(2) as [string, string, string];
  const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: `bench-${groupId}`, ssl: false });
  const producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 5, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 50, maxBytesPerPartition: 4 * 1024 * 1024 });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [from], fromBeginning: false });
  // The parent reads 'ready' once; later rejoins (e.g. while stopping) must not fail on a closed pipe.
  process.stdout.on('error', () => {});
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: 1_000,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 3,
    // Chunks of at most 1000 messages per produce request, as the pipeline's stage runner does.
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (let start = 0; start < batch.messages.length; start += MAX_CHUNK) {
        const chunk = batch.messages.slice(start, start + MAX_CHUNK);
        await producer.send({ topic: to, acks: -1, messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
        resolveOffset(chunk[chunk.length - 1]!.offset);
        await heartbeat();
      }
    },
  });
  const stop = async (): Promise<void> => {
    await consumer.disconnect();
    await producer.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

void main();
