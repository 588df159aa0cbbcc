import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { VigieError, errorMessage } from '@vigie/contracts';

export type StackKind = 'given' | 'testcontainers' | 'local';

/** A Kafka broker and a Redis the tests can use. */
export interface Stack {
  readonly kafkaBrokers: string[];
  readonly redisUrl: string;
  readonly kind: StackKind;
  /** Stops what this call started. The local stack is left running (fast reruns); CI stops it. */
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '../../..');
const LOCAL_STACK_SCRIPT = resolve(REPO_ROOT, 'deploy/local/stack.sh');

/** Same Kafka release as deploy/local/pom.xml (Confluent Platform 8.1 ships Apache Kafka 4.1). */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:8.1.0';
const REDIS_IMAGE = 'redis:7.4.6';
const DOCKER_PROBE_TIMEOUT_MS = 5_000;
const LOCAL_STACK_TIMEOUT_MS = 10 * 60_000;

/**
 * Finds a stack, in this order: KAFKA_BROKERS + REDIS_URL given in the environment; containers when
 * a Docker engine answers; else the local stack (deploy/local/stack.sh: Kafka from Maven + Redis).
 * VIGIE_STACK=local|testcontainers skips the detection.
 */
export async function resolveStack(env: NodeJS.ProcessEnv = process.env): Promise<Stack> {
  const brokers = env['KAFKA_BROKERS']?.trim();
  const redisUrl = env['REDIS_URL']?.trim();
  if (brokers && redisUrl) return { kafkaBrokers: splitBrokers(brokers), redisUrl, kind: 'given', stop: async () => {} };

  const wanted = env['VIGIE_STACK'];
  if (wanted !== undefined && wanted !== 'local' && wanted !== 'testcontainers') {
    throw new VigieError('CONFIG_INVALID', `VIGIE_STACK must be "local" or "testcontainers", got "${wanted}"`, false);
  }
  const useContainers = wanted === 'testcontainers' || (wanted === undefined && (await dockerEngineAnswers()));
  return useContainers ? startContainers() : startLocalStack();
}

function splitBrokers(list: string): string[] {
  return list.split(',').map((b) => b.trim()).filter((b) => b.length > 0);
}

/** testcontainers looks for an engine (DOCKER_HOST, socket, rootless…); a bare client without daemon fails fast. */
async function dockerEngineAnswers(): Promise<boolean> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((done) => (timer = setTimeout(() => done(false), DOCKER_PROBE_TIMEOUT_MS)));
  try {
    return await Promise.race([getContainerRuntimeClient().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function startContainers(): Promise<Stack> {
  const [{ KafkaContainer }, { RedisContainer }] = await Promise.all([import('@testcontainers/kafka'), import('@testcontainers/redis')]);
  const [kafka, redis] = await Promise.all([
    // Tests must create their topics like production does, from the catalogue.
    new KafkaContainer(KAFKA_IMAGE).withKraft().withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_NUM_PARTITIONS: '3' }).start(),
    new RedisContainer(REDIS_IMAGE).start(),
  ]);
  return {
    // The container's plaintext listener for the host is 9093 (see @testcontainers/kafka).
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    redisUrl: redis.getConnectionUrl(),
    kind: 'testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), redis.stop()]);
    },
  };
}

/** Runs `stack.sh up` (idempotent: instant when already up) and reads the KEY=value lines it prints. */
async function startLocalStack(): Promise<Stack> {
  const printed = await new Promise<string>((done, fail) => {
    const child = execFile('bash', [LOCAL_STACK_SCRIPT, 'up'], { cwd: REPO_ROOT, timeout: LOCAL_STACK_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      error
        ? fail(new VigieError('STACK_UNAVAILABLE', `deploy/local/stack.sh up failed: ${errorMessage(error)}`, false))
        : done(stdout),
    );
    // Progress (Maven download, broker start) goes to the terminal as it happens.
    child.stderr?.pipe(process.stderr);
  });
  const vars = Object.fromEntries(
    printed
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  const brokers = vars['KAFKA_BROKERS'];
  const redisUrl = vars['REDIS_URL'];
  if (!brokers || !redisUrl) {
    throw new VigieError('STACK_UNAVAILABLE', `deploy/local/stack.sh up printed no KAFKA_BROKERS/REDIS_URL:\n${printed}`, false);
  }
  return { kafkaBrokers: splitBrokers(brokers), redisUrl, kind: 'local', stop: async () => {} };
}
