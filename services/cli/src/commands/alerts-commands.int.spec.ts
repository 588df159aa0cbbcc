import { HEADERS, agencyAlertTopic, deriveDeliveryId, type AlertDelivery, type RegionalAlert } from '@vigie/contracts';
import { deliveryFingerprint, redact, sampleRegionalAlert } from '@vigie/sharing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext, type CliContext } from '../cli-context';
import { alertsExportCommand } from './alerts-export';
import { alertsTailCommand } from './alerts-tail';

describe('alerts tail and export against a real broker', () => {
  const agencyId = `cli-spec-${Date.now().toString(36)}`;
  const topic = agencyAlertTopic(agencyId);
  const base = createCliContext(process.env);
  const admin = base.kafka.admin();
  const producer = base.kafka.producer();
  const alertId = 'SECTION:ML-SN-003:cli-spec';
  // What the agency holds: v1 in full, delivered twice (a replay after a crash), then v4, retracted
  // and redacted down to the fact of the alert; its filters let no version in between reach it.
  const v1 = sampleRegionalAlert({ alertId, version: 1, status: 'FIRING', previousLevel: null });
  const v4 = redact(sampleRegionalAlert({ alertId, version: 4, status: 'RETRACTED' }), { keep: [], withholdFactFor: [] });
  const deliveredAt = Date.UTC(2025, 2, 14, 10, 0);
  const delivery = (alert: RegionalAlert, at: number, redactedFields: string[] = []): AlertDelivery => ({
    deliveryId: deriveDeliveryId(agencyId, alertId, alert.version), agencyId, subscriptionId: 'cli-spec',
    redacted: redactedFields.length > 0, redactedFields, alert, deliveredAt: at,
  });
  const record = (d: AlertDelivery) => ({
    key: alertId, value: base.codecs.alertDelivery.encode(d),
    headers: { [HEADERS.deliveryId]: d.deliveryId, [HEADERS.contentFingerprint]: deliveryFingerprint(d.alert) },
  });

  /** The CLI context, with what the command prints kept. */
  const capture = (): CliContext & { printed: string[] } => {
    const printed: string[] = [];
    return { ...base, out: (line) => void printed.push(line), printed };
  };

  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    await producer.send({
      topic,
      messages: [record(delivery(v1, deliveredAt)), record(delivery(v1, deliveredAt + 500)), record(delivery(v4.alert, deliveredAt + 3_600_000, v4.redactedFields))],
    });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('tail prints a redelivery once, and stops after --max deliveries printed, the redelivery skipped not counted', async () => {
    const ctx = capture();
    const began = Date.now();
    await alertsTailCommand(ctx, { agencyId, fromBeginning: true, format: 'json', lang: 'en', maxDeliveries: 2, idleTimeoutMs: 15_000 });
    expect(ctx.printed.map((line) => (JSON.parse(line) as AlertDelivery).alert.version)).toEqual([1, 4]);
    // Stopped by --max, not by the idle timeout.
    expect(Date.now() - began).toBeLessThan(15_000);
  });

  it('exports a Cancel referencing the highest earlier version held', async () => {
    const ctx = capture();
    await alertsExportCommand(ctx, { format: 'cap', agencyId, alertId, sender: 'vigie' });
    const xml = ctx.printed.join('\n');
    expect(xml).toContain('<msgType>Cancel</msgType>');
    expect(xml).toContain(`<references>vigie,vigie:${agencyId}:${alertId}:1,2025-03-14T10:00:00-00:00</references>`);
  });

  it('exports a redacted copy as JSON saying it is one', async () => {
    const ctx = capture();
    await alertsExportCommand(ctx, { format: 'json', agencyId, alertId, sender: 'vigie' });
    const exported = JSON.parse(ctx.printed.join('\n')) as RegionalAlert & { redacted: boolean; redactedFields: string[] };
    expect(exported).toMatchObject({ alertId, version: 4, score: 0, redacted: true, redactedFields: v4.redactedFields });
    expect(exported.redactedFields).toContain('score');
  });
});
