import {
  TOPICS,
  VigieError,
  controlKey,
  controlKeyOf,
  controlRecord,
  controlTopicOf,
  errorMessage,
  type Codecs,
  type ControlEntities,
  type ControlKind,
  type ControlRecord,
} from '@vigie/contracts';
import type { StructuredLogger } from '@vigie/kafka';
import { Partitioners, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import type { ControlView } from './control-view';

/** Who changes what, and why: recorded with the change and kept on the audit topic. */
export interface ChangeAuthor {
  readonly by: string;
  readonly reason?: string | null;
}

export interface WriteResult {
  readonly key: string;
  /** False when the change is durable but this instance had not applied it within the wait. */
  readonly applied: boolean;
}

const APPLY_WAIT_MS = 10_000;

/**
 * Writes control changes: the record to its compacted topic (a tombstone for a deletion) and the
 * same change to control.audit, in one request acknowledged by all in-sync replicas. It then waits
 * until this instance's view has applied it, so an API client reads its own writes.
 */
export class ControlWriter {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly codecs: Codecs,
    private readonly view: ControlView,
    private readonly log: StructuredLogger,
    private readonly now: () => number = Date.now,
  ) {
    // The default partitioner named, so that kafkajs does not warn of its v2 change at every start (control topics have one partition).
    this.producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  put<K extends ControlKind>(kind: K, entity: ControlEntities[K], author: ChangeAuthor): Promise<WriteResult> {
    const record = controlRecord(kind, entity, { changedAt: this.now(), changedBy: author.by, reason: author.reason ?? null });
    return this.write(controlKeyOf(kind, entity), controlTopicOf(kind), record, record);
  }

  /** Deletes an entity; undefined when there was none to delete. */
  async remove<K extends ControlKind>(kind: K, id: string, author: ChangeAuthor): Promise<WriteResult | undefined> {
    const current = this.view.state.get(kind, id);
    if (current === undefined) return undefined;
    const audit = controlRecord(kind, current, { action: 'DELETE', changedAt: this.now(), changedBy: author.by, reason: author.reason ?? null });
    return this.write(controlKey(kind, id), controlTopicOf(kind), null, audit);
  }

  private async write(key: string, topic: string, value: ControlRecord | null, audit: ControlRecord): Promise<WriteResult> {
    let sent: RecordMetadata[];
    try {
      sent = await this.producer.sendBatch({
        acks: -1,
        topicMessages: [
          { topic, messages: [{ key, value: value === null ? null : this.codecs.controlRecord.encode(value) }] },
          { topic: TOPICS.controlAudit, messages: [{ key, value: this.codecs.controlRecord.encode(audit) }] },
        ],
      });
    } catch (error) {
      throw new VigieError('CONTROL_WRITE_FAILED', `could not write ${key} to ${topic}: ${errorMessage(error)}`, true);
    }
    const metadata = sent.find((m) => m.topicName === topic);
    const applied = metadata ? await this.view.waitFor(topic, metadata.partition, metadata.baseOffset ?? metadata.offset ?? '0', APPLY_WAIT_MS) : false;
    this.log.info('control change written', { key, action: audit.action, changedBy: audit.changedBy, applied });
    return { key, applied };
  }
}
