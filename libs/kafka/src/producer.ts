import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { OutboundMessage, StageObserver } from './types';
import { NOOP_OBSERVER } from './types';

/**
 * Sends arrays of messages in one request per call (kafkajs does no client-side batching),
 * waiting for all in-sync replicas so that a committed input offset never precedes its outputs.
 */
export class BatchProducer {
  private readonly producer: Producer;

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

  async send(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
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
