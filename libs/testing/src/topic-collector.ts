import { readTopics, type InboundMessage } from '@vigie/kafka';
import type { Kafka } from 'kafkajs';

/**
 * Reads topics from the beginning (or from `startAt`, see topicEndOffsets), keeping the messages `keep` selects, until `done` says the
 * collection is complete or the timeout passes. Returns what it kept either way, so a failing
 * assertion shows what did arrive.
 */
export async function collectUntil(
  kafka: Kafka,
  topics: readonly string[],
  keep: (message: InboundMessage) => boolean,
  done: (kept: readonly InboundMessage[]) => boolean,
  timeoutMs: number,
  startAt?: ReadonlyMap<string, bigint>,
): Promise<InboundMessage[]> {
  const kept: InboundMessage[] = [];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    await readTopics(kafka, {
      topics,
      fromBeginning: true,
      startAt,
      signal: abort.signal,
      onMessage: (message) => {
        if (!keep(message)) return;
        kept.push(message);
        if (done(kept)) abort.abort();
      },
    });
  } finally {
    clearTimeout(timer);
  }
  return kept;
}
