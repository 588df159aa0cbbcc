import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { GroupCommit } from '@vigie/runtime';
import type { OutboundMessage, StageObserver } from './types';
import { NOOP_OBSERVER } from './types';

/** Below the broker's default message.max.bytes (1 MiB), with room for the batch's own overhead. */
const MAX_REQUEST_BYTES = 768 * 1024;

/**
 * Sends arrays of messages in as few requests as possible (kafkajs does no client-side batching),
 * waiting for all in-sync replicas so that a committed input offset never precedes its outputs.
 */
export class BatchProducer {
  private readonly producer: Producer;
  /** Sends waiting for the request in flight to finish leave together, in one request. */
  private readonly group = new GroupCommit<readonly OutboundMessage[], void>(async (sends) => {
    await this.sendInRequests(sends.length === 1 ? (sends[0] as readonly OutboundMessage[]) : sends.flat());
    return [];
  });

  constructor(kafka: Kafka, private readonly observer: StageObserver = NOOP_OBSERVER) {
    // Not the idempotent producer: it serialises sends (one in flight), and downstream
    // deduplication by deterministic ids already makes duplicates harmless.
    this.producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 5, createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /**
   * Resolves once the broker acknowledged every message. Concurrent callers (the partitions a
   * consumer handles at once) share requests: while one request is in flight, the next callers'
   * messages wait and then leave together (group commit), so a consumer of many partitions sends
   * a few large requests instead of one small request per partition batch. A failed request fails
   * every caller that had messages in it or after it; they retry, and duplicates are harmless
   * downstream (deterministic ids).
   */
  send(messages: readonly OutboundMessage[]): Promise<void> {
    return messages.length === 0 ? Promise.resolve() : this.group.submit(messages);
  }

  /**
   * Sends in as few requests as the broker accepts: a request is closed before it exceeds
   * MAX_REQUEST_BYTES, since keys may gather a whole chunk on one partition and a partition's
   * batch must stay under the broker's message.max.bytes (1 MiB by default). Requests go one after
   * another.
   */
  private async sendInRequests(messages: readonly OutboundMessage[]): Promise<void> {
    let request: OutboundMessage[] = [];
    let bytes = 0;
    for (const m of messages) {
      const size = m.value.length + (m.key?.length ?? 0) + headerBytes(m.headers) + 64;
      if (request.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
        await this.sendRequest(request);
        request = [];
        bytes = 0;
      }
      request.push(m);
      bytes += size;
    }
    if (request.length > 0) await this.sendRequest(request);
  }

  private async sendRequest(messages: readonly OutboundMessage[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) {
      let list = byTopic.get(m.topic);
      if (!list) byTopic.set(m.topic, (list = []));
      list.push({ key: m.key, value: m.tombstone ? null : m.value, headers: m.headers });
    }
    const topicMessages: TopicMessages[] = [];
    for (const [topic, list] of byTopic) topicMessages.push({ topic, messages: list });
    await this.producer.sendBatch({ topicMessages, acks: -1, compression: CompressionTypes.None });
    for (const { topic, messages: list } of topicMessages) this.observer.produced(topic, list.length);
    this.observer.published?.(messages);
  }
}

/** What a message's headers add to its record: a dead letter may carry tens of KB of a feed's. */
function headerBytes(headers: OutboundMessage['headers']): number {
  let bytes = 0;
  if (headers) for (const name in headers) {
    const value = headers[name];
    bytes += name.length + 8 + Buffer.byteLength(value ?? '');
  }
  return bytes;
}
