import { randomBytes } from 'node:crypto';
import { HEADERS, agencyAlertTopic, createCodecs, deriveDeliveryId, type AlertDelivery, type RegionalAlert } from '@vigie/contracts';
import { createKafka, type StructuredLogger } from '@vigie/kafka';
import { waitUntil } from '@vigie/runtime';
import { deliveryFingerprint, redact, sampleRegionalAlert, type RestorableDeliveryLedger } from '@vigie/sharing';
import { RedisDeliveryLedger } from '@vigie/state';
import { deleteKeysWithPrefix } from '@vigie/testing';
import { useRedisNamespace } from '@vigie/testing/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restoreDeliveryLedger } from './ledger-restore';

const DAY = 86_400_000;

describe('restoreDeliveryLedger on a real broker and Redis', () => {
  const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'ledger-restore-int-spec', ssl: false });
  const codecs = createCodecs();
  const { redis, prefix } = useRedisNamespace('ledger-restore');
  const run = randomBytes(3).toString('hex');
  const agencies = [`restore-a-${run}`, `restore-b-${run}`];
  const admin = kafka.admin();
  const publisher = kafka.producer();
  const log: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

  beforeAll(async () => {
    await Promise.all([admin.connect(), publisher.connect()]);
    await admin.createTopics({ topics: agencies.map((a) => ({ topic: agencyAlertTopic(a), numPartitions: 2 })) });
    await waitUntil(async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: agencies.map(agencyAlertTopic) }).catch(() => undefined);
      return metadata?.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)) ?? false;
    }, 'leaders for the agency topics');
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [...agencies, `restore-c-${run}`].map(agencyAlertTopic) }).catch(() => {});
    await Promise.all([admin.disconnect(), publisher.disconnect()]);
  });

  const version = (v: number, over: Partial<RegionalAlert> = {}): RegionalAlert => sampleRegionalAlert({ alertId: `COUNTRY:GM:restore-${run}`, version: v, ...over });

  /** A delivery as the dispatcher writes it, stamped when it was made. */
  const deliver = async (agencyId: string, alert: RegionalAlert, deliveredAt: number, redacted = false): Promise<void> => {
    const view = redacted ? redact(alert) : { alert, redactedFields: [] };
    const delivery: AlertDelivery = { deliveryId: deriveDeliveryId(agencyId, alert.alertId, alert.version), agencyId, subscriptionId: `${agencyId}-all`, redacted, redactedFields: view.redactedFields, alert: view.alert, deliveredAt };
    await publisher.send({ topic: agencyAlertTopic(agencyId), messages: [{ key: alert.alertId, value: codecs.alertDelivery.encode(delivery), timestamp: String(deliveredAt) }] });
  };

  /** The ledger, its restore replaced (to make it fail, or empty Redis, along the way). */
  const withRestore = (ledger: RestorableDeliveryLedger, restore: RestorableDeliveryLedger['restore']): RestorableDeliveryLedger => ({
    reachMs: ledger.reachMs,
    claim: (claims) => ledger.claim(claims),
    isRestored: () => ledger.isRestored(),
    beginRestore: () => ledger.beginRestore(),
    markRestored: (token) => ledger.markRestored(token),
    restore,
  });

  const claimOf = (agencyId: string, alert: RegionalAlert, position: string, redacted = false) => ({
    deliveryId: deriveDeliveryId(agencyId, alert.alertId, alert.version),
    position,
    fingerprint: deliveryFingerprint(redacted ? redact(alert).alert : alert),
  });

  it('recognises what the agency topics hold by its content, once per Redis', async () => {
    const [a, b] = agencies as [string, string];
    const now = Date.now();
    await deliver(a, version(1), now - 2 * DAY);
    await deliver(a, version(2, { status: 'UPDATED', previousLevel: 'HIGH' }), now - DAY);
    await deliver(b, version(1), now - 2 * DAY, true);
    await deliver(a, version(3), now - 40 * DAY); // before the ledger's time to live: forgotten anyway
    await publisher.send({ topic: agencyAlertTopic(b), messages: [{ key: 'x', value: Buffer.from('not a delivery') }] });
    // The dispatcher's deliveries say their id and fingerprint in headers: read without decoding the value.
    const headed = version(4, { status: 'RESOLVED' });
    const headers = { [HEADERS.deliveryId]: deriveDeliveryId(b, headed.alertId, 4), [HEADERS.contentFingerprint]: deliveryFingerprint(headed) };
    await publisher.send({ topic: agencyAlertTopic(b), messages: [{ key: headed.alertId, value: Buffer.from('not decoded'), headers, timestamp: String(now - DAY) }] });

    const ledger = new RedisDeliveryLedger(redis(), 30 * 86_400, prefix);
    const restored = await restoreDeliveryLedger(kafka, codecs, ledger, { agencyIds: agencies, log });
    expect(restored).toMatchObject({ read: 6, recorded: 4, unreadable: 1, attempts: 1 });
    expect(await ledger.isRestored()).toBe(true);
    // Who was told of what: a and b of this alert, another agency of nothing.
    const end = version(5, { status: 'RESOLVED' });
    expect(await ledger.claim([
      { ...claimOf(a, end, 'alerts.regional/0/899'), notice: 'follow-up' },
      { ...claimOf(b, end, 'alerts.regional/0/899', true), notice: 'follow-up' },
      { ...claimOf(`restore-z-${run}`, end, 'alerts.regional/0/899'), notice: 'follow-up' },
    ])).toEqual(['granted', 'granted', 'untold']);

    // The rebuilt correlator re-publishes version 1 (evaluated again now) and 2, and numbers another version 3.
    const reEvaluated = version(1, { evaluatedAt: now });
    expect(await ledger.claim([
      claimOf(a, reEvaluated, 'alerts.regional/0/900'),
      claimOf(b, reEvaluated, 'alerts.regional/0/900', true),
      claimOf(a, version(2, { status: 'UPDATED', previousLevel: 'HIGH' }), 'alerts.regional/0/901'),
      claimOf(a, version(2, { status: 'UPDATED', previousLevel: 'HIGH', score: 4.2 }), 'alerts.regional/0/901'),
      claimOf(a, version(3), 'alerts.regional/0/902'),
    ])).toEqual(['duplicate', 'duplicate', 'duplicate', 'granted', 'granted']);
    expect(await ledger.claim([claimOf(b, headed, 'alerts.regional/0/904')])).toEqual(['duplicate']);
    // b received a redacted view: the full alert under its delivery id is other content.
    expect(await ledger.claim([claimOf(b, reEvaluated, 'alerts.regional/0/903')])).toEqual(['granted']);

    // Restored once per Redis: a second start reads nothing.
    expect(await restoreDeliveryLedger(kafka, codecs, ledger, { agencyIds: agencies, log })).toBeUndefined();
  });

  it('restores every delivery when a chunk fails to be recorded once (Redis down for a moment)', async () => {
    const agency = `restore-c-${run}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: agencyAlertTopic(agency), numPartitions: 1 }] });
    const alerts = Array.from({ length: 1_500 }, (_, i) => version(100 + i));
    // Written as the dispatcher writes them (id and fingerprint in headers), in one request: one fetch reads them together.
    await publisher.send({
      topic: agencyAlertTopic(agency),
      messages: alerts.map((alert) => ({
        key: alert.alertId,
        value: Buffer.from('not decoded'),
        headers: { [HEADERS.deliveryId]: deriveDeliveryId(agency, alert.alertId, alert.version), [HEADERS.contentFingerprint]: deliveryFingerprint(alert) },
      })),
    });
    const ledger = new RedisDeliveryLedger(redis(), 30 * 86_400, `${prefix}failing:`);
    let failures = 0;
    const failingOnce = withRestore(ledger, async (deliveries, now) => {
      if (failures++ === 0) throw new Error('Redis is unreachable');
      return ledger.restore(deliveries, now);
    });
    const summary = await restoreDeliveryLedger(kafka, codecs, failingOnce, { agencyIds: [agency], log });
    expect(failures).toBeGreaterThan(1);
    expect(summary?.recorded).toBe(1_500);
    expect(summary?.read).toBe(1_500);
    const granted = await ledger.claim(alerts.map((alert, i) => claimOf(agency, alert, `alerts.regional/0/${2_000 + i}`)));
    expect(granted.filter((answer) => answer === 'granted')).toHaveLength(0);
  });

  it('reads the agency topics again when Redis was emptied during the restore', async () => {
    const [a] = agencies as [string];
    const alert = version(7, { status: 'UPDATED', previousLevel: 'HIGH' });
    await deliver(a, alert, Date.now() - DAY);
    const namespace = `${prefix}emptied:`;
    const ledger = new RedisDeliveryLedger(redis(), 30 * 86_400, namespace);
    // Redis is emptied after the first pass wrote its first records.
    let emptied = false;
    const emptiedOnce = withRestore(ledger, async (deliveries, now) => {
      const recorded = await ledger.restore(deliveries, now);
      if (!emptied) await deleteKeysWithPrefix(redis(), namespace);
      emptied = true;
      return recorded;
    });
    const summary = await restoreDeliveryLedger(kafka, codecs, emptiedOnce, { agencyIds: agencies, log });
    expect(summary?.attempts).toBe(2);
    expect(await ledger.isRestored()).toBe(true);
    expect(await ledger.claim([claimOf(a, alert, 'alerts.regional/0/950')])).toEqual(['duplicate']);
  });
});
