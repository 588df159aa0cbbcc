import { createCodecs, type Codecs } from '@vigie/contracts';
import { kafkaConnectionSpec, loadConfig, toKafkaConnection } from '@vigie/config';
import { createKafka } from '@vigie/kafka';
import type { Kafka } from 'kafkajs';

/** A user-facing failure: printed without a stack trace, with a non-zero exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export interface CliContext {
  readonly kafka: Kafka;
  readonly codecs: Codecs;
  readonly brokers: readonly string[];
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(kafkaConnectionSpec, env);
  const connection = toKafkaConnection(config);
  return {
    kafka: createKafka({ ...connection, clientId: `${connection.clientId}-cli` }),
    codecs: createCodecs(),
    brokers: connection.brokers,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Rewrites kafkajs connection failures into a message that says what to do. */
export function explainKafkaError(error: unknown, brokers: readonly string[]): Error {
  const text = String((error as Error)?.message ?? error);
  const name = (error as Error)?.name ?? '';
  if (/KafkaJSNumberOfRetriesExceeded|KafkaJSConnectionError|ECONNREFUSED|Connection timeout|KafkaJSNonRetriableError/.test(name + text)) {
    return new CliError(`cannot reach Kafka at ${brokers.join(',')} (${text}). Is the stack up? Run "npm run stack:up", or set KAFKA_BROKERS.`, 3);
  }
  return error instanceof Error ? error : new Error(text);
}
