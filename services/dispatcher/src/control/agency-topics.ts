import { agencyAlertTopic, topicCatalogue } from '@vigie/contracts';
import { ensureTopics, type StructuredLogger } from '@vigie/kafka';
import type { Kafka } from 'kafkajs';

/**
 * Creates `alerts.agency.<agencyId>` for agencies that have none yet (idempotent), with the
 * catalogue's settings, before deliveries can address it. ACLs confining each agency's principal to
 * its topic are the operators' to set.
 */
export async function ensureAgencyTopics(kafka: Kafka, agencyIds: readonly string[], replicationFactor: number, log: StructuredLogger): Promise<void> {
  if (agencyIds.length === 0) return;
  const wanted = new Set(agencyIds.map(agencyAlertTopic));
  const specs = topicCatalogue(agencyIds).filter((spec) => wanted.has(spec.name));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const result = await ensureTopics(admin, specs, (line) => log.info('agency topic', { change: line }), { replicationFactor });
    if (result.created.length > 0) log.info('agency topics created', { topics: result.created });
  } finally {
    await admin.disconnect();
  }
}
