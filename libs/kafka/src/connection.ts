import { connect as tcpConnect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Kafka, logLevel, type ISocketFactory, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaConnection } from '@vigie/config';
import type { StructuredLogger } from './types';

/**
 * kafkajs 2.2.4 schedules negative timeouts on recent Node versions (kafkajs#1751, harmless): drop
 * that one warning at its source so tools' stderr and services' logs stay clean.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof warning === 'string' ? (typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type) : warning.name;
  if (type === 'TimeoutNegativeWarning') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const LEVEL_NAMES: Record<number, keyof StructuredLogger> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs' own factory with Nagle's algorithm off: small requests (an offset commit, a produce at
 * low rate) leave at once instead of waiting for the previous segment's acknowledgement.
 */
const socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : tcpConnect({ host, port }, onConnect);
  socket.setKeepAlive(true, 60_000);
  socket.setNoDelay(true);
  return socket;
};

/** The only place validated connection settings (@vigie/config) become kafkajs configuration. */
export function createKafka(connection: KafkaConnection, log?: StructuredLogger): Kafka {
  const config: KafkaConfig = {
    brokers: [...connection.brokers],
    clientId: connection.clientId,
    ssl: connection.ssl,
    socketFactory,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
    // kafkajs' own logs go through the service's JSON logger, at WARN and above.
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!log) return;
      const { message, ...fields } = entry.log;
      log[LEVEL_NAMES[entry.level] ?? 'info'](`kafkajs: ${message}`, { namespace: entry.namespace, ...fields });
    },
  };
  if (connection.sasl) config.sasl = { ...connection.sasl } as SASLOptions;
  return new Kafka(config);
}
