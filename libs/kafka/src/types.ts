import type { IHeaders } from 'kafkajs';

/** One consumed record, decoupled from kafkajs so handlers and tests need no client. */
export interface InboundMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  /** Broker append time (or producer create time), epoch millis. */
  readonly timestamp: number;
}

export interface OutboundMessage {
  readonly topic: string;
  readonly key: string | Buffer | null;
  readonly value: Buffer;
  /** Sent with a null value instead of `value`: a tombstone, deleting the key from a compacted topic. */
  readonly tombstone?: boolean;
  readonly headers?: Record<string, string>;
  /**
   * The value as the stage had it before encoding it, for observers that count what was published
   * (StageObserver.published) without decoding it again. Never sent.
   */
  readonly decoded?: unknown;
}

/** Why a message cannot be processed; the code is stable (metrics, dead-letter headers). */
export interface MessageFailure {
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
}

/**
 * What became of one inbound message. `emit` with no messages is a legitimate outcome
 * (e.g. a recognised duplicate), so every message is accounted for.
 */
export type MessageOutcome =
  | { readonly kind: 'emit'; readonly messages: readonly OutboundMessage[]; readonly disposition?: 'processed' | 'deduplicated' | 'late' }
  | { readonly kind: 'dead-letter'; readonly failure: MessageFailure };

export interface BatchContext {
  /** Generation of the consumer group when the batch was fetched; fences state written by zombies. */
  readonly generation: number;
  heartbeat(): Promise<void>;
}

/**
 * A pipeline stage's logic for a chunk of fetched messages: from one or more partitions, in
 * publication order, each partition's in offset order. It returns one outcome per input message,
 * in order. It throws only when the whole chunk cannot be processed (Redis down, say): such a chunk
 * is retried and never dead-lettered, because the messages are not at fault. The runner has the
 * outputs of one call acknowledged by the broker before it makes the next call.
 */
export interface StageHandler {
  handleBatch(messages: readonly InboundMessage[], context: BatchContext): Promise<readonly MessageOutcome[]>;
}

export interface StructuredLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Hooks the runner calls so an adapter can turn them into metrics; libs/kafka stays free of prom-client. */
export interface StageObserver {
  consumed(topic: string, count: number): void;
  produced(topic: string, count: number): void;
  /** The messages of one send, once the broker acknowledged them (for metrics that read contents). */
  published?(messages: readonly OutboundMessage[]): void;
  /**
   * Handled messages and their outcomes (one each, in order; the runner's own dead letters
   * included), once the broker acknowledged their outputs and dead letters, as their offsets are
   * resolved: for metrics that count messages by outcome. Unlike the stage's return, it is not
   * called again for a chunk redone after a failed produce (a crash before the offsets are
   * committed may still redo it, as it redoes everything).
   */
  completed?(messages: readonly InboundMessage[], outcomes: readonly MessageOutcome[]): void;
  deadLettered(sourceTopic: string, code: string): void;
  deduplicated(count: number): void;
  late(count: number): void;
  batchProcessed(durationSeconds: number, size: number): void;
  lag(topic: string, partition: number, messages: number): void;
  rebalanced(): void;
  crashed(): void;
  retried(): void;
  groupJoined(assignment: Record<string, number[]>): void;
  /** The consumer turned busy (batching its fetches) or calm (fetching at the first message): see FetchPacing. */
  fetchPaced?(busy: boolean): void;
}

export const NOOP_OBSERVER: StageObserver = {
  consumed: () => {}, produced: () => {}, deadLettered: () => {}, deduplicated: () => {}, late: () => {},
  batchProcessed: () => {}, lag: () => {}, rebalanced: () => {}, crashed: () => {}, retried: () => {}, groupJoined: () => {},
};

/** A header of an inbound message as text (kafkajs gives Buffers; a repeated header, its first value), or undefined. */
export function headerText(message: Pick<InboundMessage, 'headers'>, name: string): string | undefined {
  const raw = message.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** A header holding epoch milliseconds as text, or undefined when it is absent or not a time. */
export function headerMillisIfAny(message: Pick<InboundMessage, 'headers'>, name: string): number | undefined {
  const value = Number(headerText(message, name));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A header holding epoch milliseconds as text, or the message's own timestamp when it is absent or not a time. */
export function headerMillis(message: Pick<InboundMessage, 'headers' | 'timestamp'>, name: string): number {
  return headerMillisIfAny(message, name) ?? message.timestamp;
}
