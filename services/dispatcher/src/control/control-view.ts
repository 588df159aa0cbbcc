import { errorMessage, TOPICS, type Codecs } from '@vigie/contracts';
import { followTopics, type InboundMessage, type StructuredLogger } from '@vigie/kafka';
import { ControlState } from '@vigie/sharing';
import type { Kafka } from 'kafkajs';

export const CONTROL_TOPICS = [TOPICS.subscriptions, TOPICS.lifecycle] as const;

interface Waiter {
  readonly position: string;
  readonly offset: bigint;
  readonly done: () => void;
}

/**
 * The control topics materialised in this dispatcher instance: read from their beginning at
 * startup (the instance is not ready before it caught up) and followed afterwards, so a change made
 * through any instance, or by the stage itself, reaches every instance without a restart. Kafka
 * holds the data; losing Redis loses none of it.
 */
export class ControlView {
  readonly state = new ControlState();
  private readonly applied = new Map<string, bigint>();
  private waiters: Waiter[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();
  private following: Promise<number> | undefined;
  private followingFailed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly codecs: Codecs,
    private readonly log: StructuredLogger,
  ) {}

  /** Resolves once everything the topics held at the start has been applied. */
  start(): Promise<void> {
    return new Promise((caughtUp, failed) => {
      this.following = followTopics(this.kafka, {
        topics: CONTROL_TOPICS,
        signal: this.abort.signal,
        onMessage: (message) => this.apply(message),
        onCaughtUp: () => caughtUp(),
      });
      this.following.catch((error: unknown) => {
        this.followingFailed = true;
        this.log.error('control topics can no longer be followed', { error: errorMessage(error) });
        failed(error);
      });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.following?.catch(() => 0);
  }

  /** For readiness: an instance that stopped following would decide with stale subscriptions. */
  isFollowing(): boolean {
    return this.following !== undefined && !this.followingFailed && !this.abort.signal.aborted;
  }

  /** Called after each applied change (a silence ending is a matter of time, not of a change). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Resolves true once the record at `offset` was applied here, false after `timeoutMs`. */
  waitFor(topic: string, partition: number, offset: string, timeoutMs: number): Promise<boolean> {
    const position = `${topic}/${partition}`;
    const target = BigInt(offset);
    if ((this.applied.get(position) ?? -1n) >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = { position, offset: target, done: () => (clearTimeout(timer), resolve(true)) };
      this.waiters.push(waiter);
    });
  }

  private apply(message: InboundMessage): void {
    const key = message.key?.toString() ?? '';
    try {
      const record = message.value === null ? null : this.codecs.controlRecord.decode(message.value);
      const problem = this.state.apply(key, record);
      if (problem) this.log.warn('control record skipped', { topic: message.topic, offset: message.offset, problem });
    } catch (error) {
      this.log.error('undecodable control record skipped', { topic: message.topic, offset: message.offset, key, error: errorMessage(error) });
    }
    const position = `${message.topic}/${message.partition}`;
    const offset = BigInt(message.offset);
    this.applied.set(position, offset);
    const [reached, waiting] = partition(this.waiters, (w) => w.position === position && w.offset <= offset);
    this.waiters = waiting;
    for (const w of reached) w.done();
    for (const listener of this.listeners) listener();
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}
