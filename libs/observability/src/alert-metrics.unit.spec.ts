import { ALERT_LEVELS, ALERT_STATUSES, TOPICS, type AlertDelivery } from '@vigie/contracts';
import { sampleRegionalAlert } from '@vigie/sharing';
import { describe, expect, it } from 'vitest';
import { AlertMetrics } from './alert-metrics';
import { createMetricsRegistry } from './metrics';

const REPORTED_AT = Date.UTC(2025, 2, 14, 9, 59, 0);

function setup() {
  const registry = createMetricsRegistry('correlator', { nodeMetrics: false });
  return { registry, alerts: AlertMetrics.of(registry) };
}

/** The value of one series in the exposition text, found by its labels in any order. */
async function valueOf(registry: ReturnType<typeof createMetricsRegistry>, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('AlertMetrics', () => {
  it('counts acknowledged alert versions by level, status and zone, and their latency from the newest report', async () => {
    const { registry, alerts } = setup();
    const alert = sampleRegionalAlert({ latestReportedAt: REPORTED_AT });
    alerts.recordPublished(
      [
        { topic: TOPICS.regionalAlerts, decoded: alert },
        { topic: TOPICS.regionalAlerts, decoded: { ...alert, version: 4, status: 'RESOLVED', level: 'LOW' } },
        { topic: TOPICS.enriched },
      ],
      REPORTED_AT + 2_500,
    );
    expect(await valueOf(registry, 'vigie_alerts_published_total', { level: 'HIGH', status: 'UPDATED' })).toBe(1);
    expect(await valueOf(registry, 'vigie_alerts_published_total', { level: 'LOW', status: 'RESOLVED' })).toBe(1);
    expect(await valueOf(registry, 'vigie_alerts_published_by_zone_total', { zone_kind: 'SECTION', zone: 'ML-SN-003', level: 'HIGH' })).toBe(1);
    expect(await valueOf(registry, 'vigie_alerts_published_by_zone_total', { zone_kind: 'SECTION', zone: 'ML-SN-003', level: 'LOW' })).toBe(1);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_count', {})).toBe(2);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_sum', {})).toBe(5);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_bucket', { le: '2.5' })).toBe(2);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_bucket', { le: '1' })).toBe(0);
    expect(await valueOf(registry, 'vigie_metrics_unreadable_messages_total', { topic: TOPICS.enriched })).toBeUndefined();
  });

  it('counts deliveries per agency and access, with their latency', async () => {
    const { registry, alerts } = setup();
    const alert = sampleRegionalAlert({ latestReportedAt: REPORTED_AT });
    const delivery = (agencyId: string, redacted: boolean): AlertDelivery => ({
      deliveryId: `${agencyId}:${alert.alertId}:${alert.version}`,
      agencyId,
      subscriptionId: `${agencyId}-all`,
      redacted,
      redactedFields: redacted ? ['contributingEventIds'] : [],
      alert,
      deliveredAt: REPORTED_AT + 60_000,
    });
    alerts.recordPublished(
      [
        { topic: 'alerts.agency.sn-police', decoded: delivery('sn-police', false) },
        { topic: 'alerts.agency.mr-surete', decoded: delivery('mr-surete', true) },
      ],
      REPORTED_AT + 60_000,
    );
    expect(await valueOf(registry, 'vigie_alert_deliveries_total', { agency: 'sn-police', level: 'HIGH', access: 'full' })).toBe(1);
    expect(await valueOf(registry, 'vigie_alert_deliveries_total', { agency: 'mr-surete', access: 'redacted' })).toBe(1);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_bucket', { le: '60' })).toBe(2);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_bucket', { le: '30' })).toBe(0);
  });

  it('skips the latency of alerts without a report time, counts a feed clock ahead as immediate, and never throws', async () => {
    const { registry, alerts } = setup();
    const published = (latestReportedAt: number) => ({ topic: TOPICS.regionalAlerts, decoded: sampleRegionalAlert({ latestReportedAt }) });
    expect(() => alerts.recordPublished([published(0), published(REPORTED_AT + 10_000)], REPORTED_AT)).not.toThrow();
    expect(await valueOf(registry, 'vigie_alerts_published_total', { level: 'HIGH' })).toBe(2);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_count', {})).toBe(1);
    expect(await valueOf(registry, 'vigie_end_to_end_latency_seconds_sum', {})).toBe(0);
  });

  it('counts alert messages published without the value the stage encoded as unreadable, not as alerts', async () => {
    const { registry, alerts } = setup();
    expect(() => alerts.recordPublished([{ topic: TOPICS.regionalAlerts }, { topic: 'alerts.agency.x', decoded: null }], REPORTED_AT)).not.toThrow();
    expect(await valueOf(registry, 'vigie_alerts_published_total', {})).toBeUndefined();
    expect(await valueOf(registry, 'vigie_alert_deliveries_total', {})).toBeUndefined();
    expect(await valueOf(registry, 'vigie_metrics_unreadable_messages_total', { topic: TOPICS.regionalAlerts })).toBe(1);
    expect(await valueOf(registry, 'vigie_metrics_unreadable_messages_total', { topic: 'alerts.agency.*' })).toBe(1);
  });

  it('starts every level and status of published versions at zero, so that increase() counts their first one', async () => {
    const { registry, alerts } = setup();
    alerts.expectAlertVersions();
    const published = (await registry.metrics()).split('\n').filter((l) => l.startsWith('vigie_alerts_published_total{'));
    expect(published).toHaveLength(ALERT_LEVELS.length * ALERT_STATUSES.length);
    expect(published.every((l) => l.endsWith(' 0'))).toBe(true);
    expect(await valueOf(registry, 'vigie_metrics_unreadable_messages_total', { topic: TOPICS.regionalAlerts })).toBe(0);
    alerts.recordPublished([{ topic: TOPICS.regionalAlerts, decoded: sampleRegionalAlert({ level: 'LOW', status: 'FIRING' }) }], REPORTED_AT);
    expect(await valueOf(registry, 'vigie_alerts_published_total', { level: 'LOW', status: 'FIRING' })).toBe(1);
  });

  it("starts the deliveries of the directory's agencies (every level and access) and their topics at zero, keeping what was counted", async () => {
    const { registry, alerts } = setup();
    alerts.expectAgencies(['sn-police']);
    alerts.recordPublished([{ topic: 'alerts.agency.sn-police', decoded: { agencyId: 'sn-police', redacted: false, alert: sampleRegionalAlert({ level: 'LOW' }) } }], REPORTED_AT);
    alerts.expectAgencies(['sn-police', 'ml-police']);
    expect(await valueOf(registry, 'vigie_alert_deliveries_total', { agency: 'sn-police', level: 'LOW', access: 'full' })).toBe(1);
    for (const level of ALERT_LEVELS) {
      for (const access of ['full', 'redacted']) expect(await valueOf(registry, 'vigie_alert_deliveries_total', { agency: 'ml-police', level, access })).toBe(0);
    }
    expect(await valueOf(registry, 'vigie_messages_produced_total', { topic: 'alerts.agency.ml-police' })).toBe(0);
    expect(await valueOf(registry, 'vigie_metrics_unreadable_messages_total', { topic: 'alerts.agency.*' })).toBe(0);
  });

  it('sets the subscriptions of every agency, known agencies without any at zero, dropping agencies no longer listed', async () => {
    const { registry, alerts } = setup();
    alerts.setSubscriptions(['sn-police', 'sn-police', 'ml-police']);
    alerts.setSubscriptions(['sn-police', 'sn-police', 'mr-surete'], ['gm-police']);
    expect(await valueOf(registry, 'vigie_subscriptions', { agency: 'sn-police' })).toBe(2);
    expect(await valueOf(registry, 'vigie_subscriptions', { agency: 'mr-surete' })).toBe(1);
    expect(await valueOf(registry, 'vigie_subscriptions', { agency: 'gm-police' })).toBe(0);
    expect(await valueOf(registry, 'vigie_subscriptions', { agency: 'ml-police' })).toBeUndefined();
  });

  it('is one instance per registry', () => {
    const { registry, alerts } = setup();
    expect(AlertMetrics.of(registry)).toBe(alerts);
  });
});
