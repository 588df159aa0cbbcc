import { TOPICS, controlEntityOf, formatIsoTimestamp, type Codecs } from '@vigie/contracts';
import { readTopicsToEnd } from '@vigie/kafka';
import type { Kafka } from 'kafkajs';

export interface AuditEntry {
  readonly key: string;
  readonly action: string;
  readonly at: string;
  readonly by: string;
  readonly reason: string | null;
  readonly kind: string;
  readonly entity: unknown;
}

/** The audit trail (control.audit), oldest first, optionally of the keys starting with `keyPrefix`; the last `limit` entries. */
export async function readAudit(kafka: Kafka, codecs: Codecs, keyPrefix: string, limit: number): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  await readTopicsToEnd(kafka, [TOPICS.controlAudit], (message) => {
    const key = message.key?.toString() ?? '';
    if (!message.value || !key.startsWith(keyPrefix)) return;
    const record = codecs.controlRecord.decode(message.value);
    const carried = controlEntityOf(record);
    entries.push({ key, action: record.action, at: formatIsoTimestamp(record.changedAt), by: record.changedBy, reason: record.reason, kind: carried?.kind ?? 'unknown', entity: carried?.entity ?? null });
    if (entries.length > limit) entries.shift();
  });
  return entries;
}
