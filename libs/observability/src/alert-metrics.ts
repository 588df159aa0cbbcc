import { agencyAlertTopic, ALERT_LEVELS, ALERT_STATUSES, TOPICS, type AlertDelivery, type RegionalAlert } from '@vigie/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import { PipelineMetrics } from './metrics';
import { perRegistry } from './per-registry';

/** A message the broker acknowledged: what the producer hands to its observer. */
export interface PublishedMessage {
  readonly topic: string;
  /** What the stage encoded: the RegionalAlert or AlertDelivery itself, so counting decodes nothing. */
  readonly decoded?: unknown;
}

const AGENCY_TOPIC_PREFIX = agencyAlertTopic('');
/** The one `topic` label of unreadable deliveries: agency topics are not told apart there. */
const AGENCY_TOPICS_LABEL = AGENCY_TOPIC_PREFIX + '*';
const DELIVERY_ACCESS = ['full', 'redacted'] as const;

/**
 * What operators ask of alerts: how many versions were published, at which level and status, in
 * which zone; how many reached each agency, in full or redacted; how many subscriptions each
 * agency holds; and how long after the newest report behind it an alert was out. Zone ids come
 * from the geographic reference and agency ids from the directory: bounded, never per event.
 *
 * Counters are read with increase() and rate(), which miss the first step of a series born above
 * zero: the series the stage can know of start at 0 (expectAlertVersions, expectAgencies). Zones
 * are too many for that, so they have their own counter, which queries read knowing it.
 */
export class AlertMetrics {
  readonly published: Counter<'level' | 'status'>;
  readonly publishedByZone: Counter<'zone_kind' | 'zone' | 'level'>;
  readonly deliveries: Counter<'agency' | 'level' | 'access'>;
  readonly subscriptions: Gauge<'agency'>;
  readonly unreadable: Counter<'topic'>;

  static readonly of = perRegistry((registry) => new AlertMetrics(registry));

  private constructor(private readonly registry: Registry) {
    const registers = [registry];
    this.published = new Counter({
      name: 'vigie_alerts_published_total',
      help: 'Regional alert versions acknowledged by Kafka, by level and status (re-emissions after a crash included).',
      labelNames: ['level', 'status'],
      registers,
    });
    this.publishedByZone = new Counter({
      name: 'vigie_alerts_published_by_zone_total',
      help: 'Regional alert versions acknowledged by Kafka, by zone and level (re-emissions after a crash included); a zone\'s series starts with its first version.',
      labelNames: ['zone_kind', 'zone', 'level'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'vigie_alert_deliveries_total',
      help: "Alert versions delivered to an agency's topic, by agency, level and access (full or redacted).",
      labelNames: ['agency', 'level', 'access'],
      registers,
    });
    this.subscriptions = new Gauge({ name: 'vigie_subscriptions', help: 'Subscriptions the dispatcher holds, by agency.', labelNames: ['agency'], registers });
    this.unreadable = new Counter({
      name: 'vigie_metrics_unreadable_messages_total',
      help: 'Alert messages published without the value the stage encoded, so left uncounted (a bug in the stage).',
      labelNames: ['topic'],
      registers,
    });
  }

  /** Makes every level × status of published alert versions exist at zero (the stage that publishes them). */
  expectAlertVersions(): this {
    for (const level of ALERT_LEVELS) for (const status of ALERT_STATUSES) this.published.inc({ level, status }, 0);
    this.unreadable.inc({ topic: TOPICS.regionalAlerts }, 0);
    return this;
  }

  /** Makes the deliveries of these agencies (every level and access) and their topics' productions exist at zero; agencies seen before keep their counts. */
  expectAgencies(agencyIds: readonly string[]): this {
    const { produced } = PipelineMetrics.of(this.registry);
    for (const agency of agencyIds) {
      produced.inc({ topic: agencyAlertTopic(agency) }, 0);
      for (const level of ALERT_LEVELS) for (const access of DELIVERY_ACCESS) this.deliveries.inc({ agency, level, access }, 0);
    }
    this.unreadable.inc({ topic: AGENCY_TOPICS_LABEL }, 0);
    return this;
  }

  /** Sets the subscription count of every agency from the full list (one agency id per subscription). */
  setSubscriptions(agencyIds: readonly string[], knownAgencies: readonly string[] = []): void {
    const counts = new Map<string, number>(knownAgencies.map((id) => [id, 0]));
    for (const id of agencyIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    this.subscriptions.reset();
    for (const [agency, count] of counts) this.subscriptions.set({ agency }, count);
  }

  /**
   * Counts the alert versions and deliveries among messages Kafka acknowledged at `ackedAtMs`, and
   * observes their end-to-end latency, from the values the stage encoded (nothing is decoded). Other
   * topics are skipped, so a stage may hand over everything it publishes.
   */
  recordPublished(messages: readonly PublishedMessage[], ackedAtMs: number): void {
    for (const message of messages) {
      const isAlert = message.topic === TOPICS.regionalAlerts;
      if (!isAlert && !message.topic.startsWith(AGENCY_TOPIC_PREFIX)) continue;
      if (!isRecord(message.decoded)) {
        this.unreadable.inc({ topic: isAlert ? message.topic : AGENCY_TOPICS_LABEL });
      } else if (isAlert) {
        this.recordAlert(message.decoded as unknown as RegionalAlert, ackedAtMs);
      } else {
        this.recordDelivery(message.decoded as unknown as AlertDelivery, ackedAtMs);
      }
    }
  }

  private recordAlert(alert: RegionalAlert, ackedAtMs: number): void {
    this.published.inc({ level: alert.level, status: alert.status });
    this.publishedByZone.inc({ zone_kind: alert.zone.kind, zone: alert.zone.id, level: alert.level });
    this.observeLatency(alert, ackedAtMs);
  }

  private recordDelivery(delivery: AlertDelivery, ackedAtMs: number): void {
    this.deliveries.inc({ agency: delivery.agencyId, level: delivery.alert.level, access: delivery.redacted ? 'redacted' : 'full' });
    this.observeLatency(delivery.alert, ackedAtMs);
  }

  private observeLatency(alert: RegionalAlert, ackedAtMs: number): void {
    // 0 is the schema default of alerts written before the field existed: no latency to tell.
    if (alert.latestReportedAt <= 0) return;
    // A feed clock ahead of ours would give a negative latency; it counts as immediate.
    PipelineMetrics.of(this.registry).endToEndLatency.observe(Math.max(0, ackedAtMs - alert.latestReportedAt) / 1000);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
