import type { Admin, Kafka } from 'kafkajs';

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/**
 * Reads a consumer group's lag from the broker: per partition of the topics it consumes (names, or
 * patterns matched against the cluster's topics), the log end offset minus the group's committed
 * offset — or minus the log start when nothing is committed yet, as the group starts from the
 * beginning. The same figure KEDA's Kafka scaler computes. The admin client connects on first use.
 */
export class ConsumerGroupLagReader {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(kafka: Kafka, private readonly groupId: string, private readonly topics: readonly (string | RegExp)[]) {
    this.admin = kafka.admin();
  }

  async read(): Promise<PartitionLag[]> {
    this.connected ??= this.admin.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    const topics = await this.topicNames();
    if (topics.length === 0) return [];
    const [committed, ends] = await Promise.all([
      this.admin.fetchOffsets({ groupId: this.groupId, topics }),
      Promise.all(topics.map(async (topic) => ({ topic, partitions: await this.admin.fetchTopicOffsets(topic) }))),
    ]);
    const committedOf = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, BigInt(p.offset)] as const)));
    return ends.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, high, low }) => {
        const from = committedOf.get(`${topic}/${partition}`) ?? -1n;
        const lag = BigInt(high) - (from >= 0n ? from : BigInt(low));
        return { topic, partition, lag: Number(lag > 0n ? lag : 0n) };
      }),
    );
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect();
    this.connected = undefined;
  }

  private async topicNames(): Promise<string[]> {
    const named = this.topics.filter((t): t is string => typeof t === 'string');
    const patterns = this.topics.filter((t): t is RegExp => t instanceof RegExp);
    if (patterns.length === 0) return named;
    const existing = await this.admin.listTopics();
    return [...new Set([...named, ...existing.filter((t) => patterns.some((p) => p.test(t)))])].sort();
  }
}
