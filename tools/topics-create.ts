/**
 * Creates the topic catalogue (libs/contracts/src/topics.ts) on the broker, with one alert topic
 * per agency of deploy/config/agencies.json. Idempotent: run it after every deploy.
 *   npm run topics:create        KAFKA_BROKERS (default 127.0.0.1:19092), KAFKA_REPLICATION_FACTOR (1)
 */
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { env, kafkaConnectionSpec, loadConfig, toKafkaConnection } from '@vigie/config';
import { errorMessage } from '@vigie/contracts';
import { createKafka, deploymentTopicCatalogue, ensureTopics } from '@vigie/kafka';

const AGENCIES_FILE = resolve(__dirname, '../deploy/config/agencies.json');
const REACH_TIMEOUT_MS = 3_000;

const spec = {
  ...kafkaConnectionSpec,
  KAFKA_REPLICATION_FACTOR: env.int({ description: 'Replication factor of created topics', default: 1, min: 1, max: 7 }),
};

/** kafkajs retries a refused connection for about a minute; a plain TCP check answers in milliseconds. */
function reachable(hostPort: string): Promise<boolean> {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at).replace(/^\[|\]$/g, '');
  return new Promise((done) => {
    const socket = connect({ host, port: Number(hostPort.slice(at + 1)), timeout: REACH_TIMEOUT_MS });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.once('connect', () => finish(true)).once('timeout', () => finish(false)).once('error', () => finish(false));
  });
}

async function main(): Promise<void> {
  const config = loadConfig(spec);
  const brokers = config.KAFKA_BROKERS;
  const reached = await Promise.all(brokers.map(reachable));
  if (!reached.some(Boolean)) {
    throw new Error(`no Kafka broker reachable at ${brokers.join(',')}: is the stack up? run npm run stack:up`);
  }

  const catalogue = deploymentTopicCatalogue(AGENCIES_FILE);
  const admin = createKafka({ ...toKafkaConnection(config), clientId: `${config.KAFKA_CLIENT_ID}-topics` }).admin();
  await admin.connect();
  try {
    const result = await ensureTopics(admin, catalogue, undefined, { replicationFactor: config.KAFKA_REPLICATION_FACTOR });
    const status = (name: string): string =>
      result.partitionsIncreased.includes(name) ? 'partitions increased' : result.created.includes(name) ? 'created' : 'existing';
    const width = Math.max(...catalogue.map((t) => t.name.length));
    console.log(`${'topic'.padEnd(width)}  partitions  status`);
    for (const topic of catalogue) console.log(`${topic.name.padEnd(width)}  ${String(topic.partitions).padStart(10)}  ${status(topic.name)}`);
    console.log(
      `\n${catalogue.length} topics on ${brokers.join(',')}: ${result.created.length} created, ` +
        `${result.existing.length} existing (${result.partitionsIncreased.length} with partitions increased)`,
    );
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`topics:create failed: ${errorMessage(error)}`);
  process.exit(1);
});
