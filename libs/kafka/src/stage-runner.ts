import { PartitionAssigners, type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';
import { DEFAULT_KAFKA_FETCH_BUSY_RATE, DEFAULT_KAFKA_FETCH_MAX_BYTES, DEFAULT_KAFKA_FETCH_MAX_WAIT_MS } from '@vigie/config';
import { FetchPacing } from './fetch-pacing';
import { FetchRounds } from './fetch-rounds';
import { loadBalancedAssigner } from './load-balanced-assigner';
import { PUBLISHED_AT_HEADER, chunkEnds, mergeRound, partitionKey } from './publication-order';
import { BatchProducer } from './producer';
import { OffsetCommitter } from './offset-committer';
import { deadLetterMessage } from './dead-letter';
import { DEFAULT_RETRY_POLICY, backoffMs, failureOf, isInfrastructureFailure, sleep, type RetryPolicy } from './retry';
import {
  NOOP_OBSERVER,
  type BatchContext,
  type InboundMessage,
  type MessageFailure,
  type MessageOutcome,
  type OutboundMessage,
  type StageHandler,
  type StageObserver,
  type StructuredLogger,
} from './types';

/**
 * `publication`: a fetch's partitions are merged in publication order, for a stage whose outputs
 * re-key what it read and feed a stage that correlates in event time.
 * `per-partition`: each partition is handled on its own, side by side, for a stage whose state is
 * per input partition and whose outputs no later stage orders in time; one partition's Redis
 * commit then overlaps another's work.
 */
export type InputOrder = 'publication' | 'per-partition';

export interface StageRunnerOptions {
  /** Stage name, used in dead-letter headers and logs (e.g. "ingest"). */
  readonly stage: string;
  readonly groupId: string;
  readonly topics: readonly (string | RegExp)[];
  readonly deadLetterTopic: string;
  readonly handler: StageHandler;
  readonly log: StructuredLogger;
  readonly observer?: StageObserver;
  /** Most messages of one partition handed to the handler at once (a chunk may hold several partitions). */
  readonly maxChunkSize?: number;
  readonly partitionsConsumedConcurrently?: number;
  /** Default `publication`: see InputOrder. */
  readonly inputOrder?: InputOrder;
  /** Largest fetch response (bytes), shared by the assigned partitions: what the consumer holds decoded at once. */
  readonly fetchMaxBytes?: number;
  /** How long a busy member's fetch waits for 64 KiB before returning what there is (ms): see FetchPacing. */
  readonly fetchMaxWaitMs?: number;
  /** Messages per second at which a member turns busy: see FetchPacing. */
  readonly fetchBusyRate?: number;
  readonly retry?: RetryPolicy;
  /** How long resolved offsets may wait to be committed (ms, default COMMIT_INTERVAL_MS): what a crash may redo. */
  readonly commitIntervalMs?: number;
  readonly fromBeginning?: boolean;
  readonly now?: () => number;
  /**
   * Called when the consumer stopped for good (kafkajs does not restart it after a non-retriable
   * error): the process should exit, so that its orchestrator restarts it, rather than run on
   * consuming nothing.
   */
  readonly onConsumerStopped?: (error: string) => void;
}

/** Below it, a partition's share may not hold one producer batch (the broker then returns none of it). */
const MIN_PARTITION_FETCH_BYTES = 256 * 1024;

const toInbound = (topic: string, partition: number, m: KafkaMessage): InboundMessage => ({
  topic,
  partition,
  offset: m.offset,
  key: m.key,
  value: m.value,
  headers: m.headers ?? {},
  timestamp: Number(m.timestamp),
});

/**
 * Runs one pipeline stage as a consumer group member: batch consumption, one produce per chunk
 * for all outputs and dead letters, offsets resolved only after the broker acknowledged them
 * (at-least-once; deterministic ids make replays harmless), heartbeats between chunks, and a
 * graceful stop that finishes the chunk in hand, commits and leaves the group.
 */
export class StageRunner {
  private readonly consumer: Consumer;
  private readonly producer: BatchProducer;
  private readonly observer: StageObserver;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly committer: OffsetCommitter;
  private readonly pacing: FetchPacing;
  private readonly inHand = new Set<Promise<void>>();
  private readonly rounds = new FetchRounds<EachBatchPayload>((payloads) => this.processRound(payloads));
  private assignedPartitions = 1;
  private generation = 0;
  private joined = false;
  private stopping = false;

  constructor(kafka: Kafka, private readonly options: StageRunnerOptions) {
    this.observer = options.observer ?? NOOP_OBSERVER;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.now = options.now ?? Date.now;
    this.producer = new BatchProducer(kafka, this.observer);
    this.committer = new OffsetCommitter((error) => options.log.warn('offset commit failed; retried at the next interval', { error: String(error) }), options.commitIntervalMs);
    this.pacing = new FetchPacing({
      busyRate: options.fetchBusyRate ?? DEFAULT_KAFKA_FETCH_BUSY_RATE,
      busyWaitMs: options.fetchMaxWaitMs ?? DEFAULT_KAFKA_FETCH_MAX_WAIT_MS,
      now: this.now,
      onChange: (busy) => this.observer.fetchPaced?.(busy),
    });
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Partitions shared by weight (what each holds to read), round robin while a member lacks it.
      partitionAssigners: [loadBalancedAssigner({ fromBeginning: options.fromBeginning ?? true }), PartitionAssigners.roundRobin],
      // Functions (kafkajs patched): read before each fetch, from the assignment.
      maxBytes: (() => this.fetchBytes().total) as unknown as number,
      maxBytesPerPartition: (() => this.fetchBytes().perPartition) as unknown as number,
      // A calm member's fetch returns at the first message, a busy one's waits for 64 KiB: see FetchPacing.
      ...this.pacing.consumerOptions(),
      retry: { retries: 10, initialRetryTime: 300 },
    });
    this.instrument();
  }

  /** True once the member has joined its group and until shutdown begins. */
  isReady(): boolean {
    return this.joined && !this.stopping;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      // Offsets are committed by the OffsetCommitter within a second, not after every batch.
      autoCommit: false,
      // A re-join drops offsets resolved and not yet committed: kafkajs (patched) commits them
      // first, so the partitions' next owners do not redo (and re-deliver) that work.
      commitResolvedOnRebalance: true,
      eachBatchAutoResolve: false,
      // Enough workers to take every batch of a fetch at once, so that they form one round.
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 64,
      eachBatch: (payload) => this.track(this.rounds.join(payload)),
    });
  }

  /** Drains the chunks in hand, commits resolved offsets, leaves the group, closes the producer. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await Promise.allSettled([...this.inHand]);
    await this.committer.close().catch((error: unknown) => this.options.log.warn('final offset commit failed', { error: String(error) }));
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  /**
   * A share of the fetch for every assigned partition, so that a lagging partition is never left
   * out of a round (its absence would let the others run ahead of it): the response may grow to
   * hold a minimum share each.
   */
  private fetchBytes(): { total: number; perPartition: number } {
    const total = this.options.fetchMaxBytes ?? DEFAULT_KAFKA_FETCH_MAX_BYTES;
    const perPartition = Math.max(MIN_PARTITION_FETCH_BYTES, Math.floor(total / this.assignedPartitions));
    return { total: Math.max(total, perPartition * this.assignedPartitions), perPartition };
  }

  private track(work: Promise<void>): Promise<void> {
    this.inHand.add(work);
    return work.finally(() => this.inHand.delete(work));
  }

  /** One fetch's batches: merged, or each on its own (see `inputOrder`). */
  private async processRound(payloads: readonly EachBatchPayload[]): Promise<void> {
    if (this.stopping || payloads.length === 0) return;
    if (this.options.inputOrder !== 'per-partition') return this.processMerged(payloads);
    // Every partition finishes (or fails) before the round does: none is left running behind a failure.
    const settled = await Promise.allSettled(payloads.map((payload) => this.processMerged([payload])));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Batches processed as one sequence in publication order (see mergeRound): what lies beyond the
   * round's horizon stays unresolved, and kafkajs fetches it again. One batch goes whole.
   */
  private async processMerged(payloads: readonly EachBatchPayload[]): Promise<void> {
    const byPartition = new Map<string, EachBatchPayload>();
    const fetched = payloads.map((payload) => {
      const { batch } = payload;
      const lag = Number(batch.offsetLag());
      byPartition.set(partitionKey(batch.topic, batch.partition), payload);
      this.pacing.received(batch.messages.length);
      this.observer.lag(batch.topic, batch.partition, lag);
      return { messages: batch.messages.map((m) => toInbound(batch.topic, batch.partition, m)), more: lag > 0 };
    });
    const round = mergeRound(fetched);
    const first = payloads[0] as EachBatchPayload;
    // A heartbeat that finds the group rebalancing throws; the resolved offsets are committed before the re-join (commitResolvedOnRebalance).
    const heartbeat = (): Promise<void> => first.heartbeat();
    const context: BatchContext = { generation: this.generation, heartbeat };
    let start = 0;
    for (const end of chunkEnds(round.messages, this.options.maxChunkSize ?? 1_000)) {
      if (this.stopping || payloads.some((p) => !p.isRunning() || p.isStale())) return;
      const chunk = round.messages.slice(start, end);
      const publishedAt = round.publishedAt.slice(start, end);
      start = end;
      const began = process.hrtime.bigint();
      const outcomes = await this.handleWithRetries(chunk, context);
      if (outcomes) {
        await this.complete(chunk, publishedAt, outcomes, byPartition);
      } else {
        // A failure that is not the infrastructure's: find the poison message by handling the
        // chunk one message at a time, each completed (produced, resolved) before the next.
        try {
          for (let i = 0; i < chunk.length; i++) {
            if (this.stopping) return; // the rest, unresolved, is the next owner's
            const message = chunk[i] as InboundMessage;
            const single = (await this.handleWithRetries([message], context)) ?? [{ kind: 'dead-letter' as const, failure: this.lastFailure(message) }];
            await this.complete([message], [publishedAt[i] as number], single, byPartition);
          }
        } finally {
          // What the loop finished is committed, however it ends (a stop, a retry given up on).
          this.committer.resolved(first);
        }
      }
      this.observer.batchProcessed(Number(process.hrtime.bigint() - began) / 1e9, chunk.length);
      this.committer.resolved(first);
      await heartbeat();
    }
  }

  /** Outputs are acknowledged by the broker before the offsets are resolved: at-least-once. */
  private async complete(
    chunk: readonly InboundMessage[],
    publishedAt: readonly number[],
    outcomes: readonly MessageOutcome[],
    byPartition: ReadonlyMap<string, EachBatchPayload>,
  ): Promise<void> {
    await this.producer.send(this.collectOutputs(chunk, publishedAt, outcomes));
    // A partition's messages keep their order in the chunk: its last one is its furthest.
    const last = new Map<string, InboundMessage>();
    for (const m of chunk) last.set(partitionKey(m.topic, m.partition), m);
    for (const [key, m] of last) {
      (byPartition.get(key) as EachBatchPayload).resolveOffset(m.offset);
    }
    const perTopic = new Map<string, number>();
    for (const m of chunk) perTopic.set(m.topic, (perTopic.get(m.topic) ?? 0) + 1);
    for (const [topic, count] of perTopic) this.observer.consumed(topic, count);
    this.countOutcomes(chunk, outcomes);
    this.observer.completed?.(chunk, outcomes);
  }

  /** Counted once acknowledged, as consumption is: a chunk redone after a failed produce counts once. */
  private countOutcomes(chunk: readonly InboundMessage[], outcomes: readonly MessageOutcome[]): void {
    let deduplicated = 0;
    let late = 0;
    for (let i = 0; i < chunk.length; i++) {
      const outcome = outcomes[i] as MessageOutcome;
      if (outcome.kind === 'dead-letter') this.observer.deadLettered((chunk[i] as InboundMessage).topic, outcome.failure.code);
      else if (outcome.disposition === 'deduplicated') deduplicated++;
      else if (outcome.disposition === 'late') late++;
    }
    if (deduplicated) this.observer.deduplicated(deduplicated);
    if (late) this.observer.late(late);
  }

  private readonly failures = new WeakMap<InboundMessage, unknown>();

  private lastFailure(message: InboundMessage): MessageFailure {
    return failureOf(this.failures.get(message), this.retry.maxAttempts);
  }

  /**
   * Retries a whole chunk with backoff. Infrastructure failures keep the partition waiting
   * (rethrown after the policy's attempts, so kafkajs restarts from the committed offset); any
   * other failure returns undefined once attempts are exhausted, for the caller to isolate it.
   */
  private async handleWithRetries(chunk: readonly InboundMessage[], context: BatchContext): Promise<readonly MessageOutcome[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.options.handler.handleBatch(chunk, context);
        if (outcomes.length !== chunk.length) throw new Error(`stage ${this.options.stage} returned ${outcomes.length} outcomes for ${chunk.length} messages`);
        return outcomes;
      } catch (error) {
        this.observer.retried();
        const infrastructure = isInfrastructureFailure(error);
        this.options.log.warn('batch failed', { stage: this.options.stage, partitions: [...new Set(chunk.map((m) => partitionKey(m.topic, m.partition)))], size: chunk.length, attempt, infrastructure, error: String(error) });
        // Stopping: no more attempts, and nothing dead-lettered; the chunk, unresolved, is the next owner's.
        if (this.stopping) throw error;
        if (attempt >= this.retry.maxAttempts) {
          if (infrastructure) throw error;
          if (chunk.length === 1) this.failures.set(chunk[0] as InboundMessage, error);
          return undefined;
        }
        await sleep(backoffMs(this.retry, attempt));
        await context.heartbeat();
      }
    }
  }

  private collectOutputs(chunk: readonly InboundMessage[], publishedAt: readonly number[], outcomes: readonly MessageOutcome[]): OutboundMessage[] {
    const outputs: OutboundMessage[] = [];
    const now = this.now();
    for (let i = 0; i < chunk.length; i++) {
      const outcome = outcomes[i] as MessageOutcome;
      const source = chunk[i] as InboundMessage;
      if (outcome.kind === 'emit') {
        const published = String(publishedAt[i]);
        for (const m of outcome.messages) outputs.push({ ...m, headers: { ...m.headers, [PUBLISHED_AT_HEADER]: published } });
      } else {
        outputs.push(deadLetterMessage(this.options.deadLetterTopic, this.options.stage, source, outcome.failure, now));
        this.options.log.warn('message dead-lettered', {
          stage: this.options.stage, topic: source.topic, partition: source.partition, offset: source.offset,
          code: outcome.failure.code, reason: outcome.failure.message,
        });
      }
    }
    return outputs;
  }

  private instrument(): void {
    const { events } = this.consumer;
    this.consumer.on(events.GROUP_JOIN, (e) => {
      this.joined = true;
      this.assignedPartitions = Math.max(1, Object.values(e.payload.memberAssignment).reduce((n, partitions) => n + partitions.length, 0));
      this.generation++;
      this.observer.groupJoined(e.payload.memberAssignment);
      this.options.log.info('joined consumer group', { groupId: e.payload.groupId, assignment: e.payload.memberAssignment });
    });
    this.consumer.on(events.REBALANCING, () => {
      this.joined = false;
      this.observer.rebalanced();
    });
    this.consumer.on(events.CRASH, (e) => {
      this.joined = false;
      this.observer.crashed();
      this.options.log.error('consumer crashed', { error: String(e.payload.error), restart: e.payload.restart });
      if (!e.payload.restart && !this.stopping) this.options.onConsumerStopped?.(String(e.payload.error));
    });
    this.consumer.on(events.STOP, () => {
      this.joined = false;
    });
  }
}
