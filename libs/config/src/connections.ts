import { VigieError } from '@vigie/contracts';
import { env } from './env';
import type { Config, CrossCheck } from './spec';

/**
 * Connection settings every service shares, declared once. A service composes them:
 * `loadConfig({ ...kafkaConnectionSpec, ...redisSpec, ...httpSpec(8081), ...logLevelSpec, ...own })`.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SASL_MECHANISMS = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** host:port, host being a name, an IPv4 address or a bracketed IPv6 address. */
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[^\s:[\]]+):\d{1,5}$/i;

const requiredWithSasl: CrossCheck<string> = (value, config) => {
  const mechanism = config['KAFKA_SASL_MECHANISM'];
  return mechanism !== undefined && mechanism !== 'none' && value === undefined
    ? `is required when KAFKA_SASL_MECHANISM is ${String(mechanism)}`
    : undefined;
};

export const kafkaConnectionSpec = {
  KAFKA_BROKERS: env.list({
    description: 'Kafka bootstrap brokers, comma-separated host:port',
    default: ['127.0.0.1:19092'],
    itemPattern: HOST_PORT,
    example: 'kafka-1:9092,kafka-2:9092',
  }),
  KAFKA_CLIENT_ID: env.string({
    description: 'Kafka client id, shown in broker logs and used for quotas',
    default: 'vigie',
    pattern: /^[A-Za-z0-9._-]+$/,
  }),
  KAFKA_SSL: env.bool({ description: 'Connect to Kafka over TLS', default: false }),
  KAFKA_SASL_MECHANISM: env.enumOf(SASL_MECHANISMS, { description: 'Kafka SASL mechanism', default: 'none' }),
  KAFKA_SASL_USERNAME: env.string({
    description: 'Kafka SASL username (the agency or service principal)',
    optional: true,
    example: 'vigie-ingest',
    check: requiredWithSasl,
  }),
  KAFKA_SASL_PASSWORD: env.secret({ description: 'Kafka SASL password', optional: true, check: requiredWithSasl }),
};
export type KafkaConnectionConfig = Config<typeof kafkaConnectionSpec>;

/**
 * How much a stage's consumer fetches at once. Every fetched message is decoded into objects and
 * stays in memory until its chunk is processed: kafkajs' 10 MB default held up to ~60 MB more RSS
 * in the correlator than 1 MB under load. The broker still returns a batch larger than this
 * whole, so it never stalls a partition.
 */
export const DEFAULT_KAFKA_FETCH_MAX_BYTES = 2 * 1024 * 1024;
/** A busy member's fetch waits this long for 64 KiB: see FetchPacing in @vigie/kafka. */
export const DEFAULT_KAFKA_FETCH_MAX_WAIT_MS = 50;
/** Messages per second at which a stage member turns busy. */
export const DEFAULT_KAFKA_FETCH_BUSY_RATE = 200;
export const kafkaFetchSpec = {
  KAFKA_FETCH_MAX_BYTES: env.int({
    description: 'Largest fetch response a stage consumer asks for, and per partition (bytes); more uses memory, less costs round trips',
    default: DEFAULT_KAFKA_FETCH_MAX_BYTES,
    min: 64 * 1024,
    max: 64 * 1024 * 1024,
  }),
  KAFKA_FETCH_MAX_WAIT_MS: env.int({
    description: 'How long a busy stage consumer\'s fetch waits for 64 KiB before returning what there is (ms); longer means fewer, larger batches and less CPU per message under load. A calm consumer\'s fetch returns at the first message whatever this is',
    default: DEFAULT_KAFKA_FETCH_MAX_WAIT_MS,
    min: 0,
    max: 1000,
  }),
  KAFKA_FETCH_BUSY_RATE: env.int({
    description: 'Messages per second (received by one consumer, over the last second) at which it turns busy and batches its fetches; it turns calm again below half of it. 0 keeps it always busy',
    default: DEFAULT_KAFKA_FETCH_BUSY_RATE,
    min: 0,
    max: 1_000_000,
  }),
};
export type KafkaFetchConfig = Config<typeof kafkaFetchSpec>;

export const redisSpec = {
  REDIS_URL: env.url({
    description: 'Redis URL; rediss:// for TLS, credentials as redis://user:password@host:port',
    default: 'redis://127.0.0.1:16379',
    protocols: ['redis', 'rediss'],
  }),
  REDIS_KEY_PREFIX: env.string({
    description: 'Prefix of every Redis key Vigie writes, so several pipelines (or test runs) can share one Redis',
    default: 'vigie:',
    pattern: /^[A-Za-z0-9:._-]{1,64}$/,
  }),
};
export type RedisConfig = Config<typeof redisSpec>;

/** Each service has its own default port so several can run on one machine. 0 picks a free port. */
export function httpSpec(defaultPort: number) {
  return {
    HTTP_PORT: env.int({ description: 'HTTP port for /metrics and /health', default: defaultPort, min: 0, max: 65535 }),
  };
}
export type HttpConfig = Config<ReturnType<typeof httpSpec>>;

export const logLevelSpec = {
  LOG_LEVEL: env.enumOf(LOG_LEVELS, { description: 'Lowest level of log lines written', default: 'info' }),
};
export type LogLevelConfig = Config<typeof logLevelSpec>;

/** Framework-free connection settings; libs/kafka turns them into a kafkajs config. */
export interface KafkaConnection {
  readonly brokers: string[];
  readonly clientId: string;
  readonly ssl: boolean;
  readonly sasl?: {
    readonly mechanism: Exclude<SaslMechanism, 'none'>;
    readonly username: string;
    readonly password: string;
  };
}

export function toKafkaConnection(config: KafkaConnectionConfig): KafkaConnection {
  const connection = { brokers: [...config.KAFKA_BROKERS], clientId: config.KAFKA_CLIENT_ID, ssl: config.KAFKA_SSL };
  const mechanism = config.KAFKA_SASL_MECHANISM;
  if (mechanism === 'none') return connection;
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  // loadConfig already enforces this; the guard covers configs built by hand (tests, tools).
  if (username === undefined || password === undefined) {
    throw new VigieError('CONFIG_INVALID', `KAFKA_SASL_MECHANISM ${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`, false);
  }
  return { ...connection, sasl: { mechanism, username, password } };
}
