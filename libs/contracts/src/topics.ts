/**
 * The one catalogue of Kafka topics. Every producer, consumer and the topic-creation tool read
 * names and settings from here, so a topic cannot be spelled two ways.
 */

/** Countries whose national agencies publish feeds; lower-case ISO 3166-1 alpha-2. */
export const FEED_COUNTRIES = [
  'bf', 'bj', 'ci', 'dz', 'gh', 'gm', 'gn', 'gw', 'lr', 'ml', 'mr', 'ne', 'ng', 'sl', 'sn', 'td', 'tg',
] as const;
export type FeedCountry = (typeof FEED_COUNTRIES)[number];

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Broker-side topic configs, applied at creation. */
  readonly config: Readonly<Record<string, string>>;
  readonly purpose: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const retained = (days: number): Record<string, string> => ({
  'cleanup.policy': 'delete',
  'retention.ms': String(days * DAY_MS),
});
const compacted: Record<string, string> = {
  'cleanup.policy': 'compact',
  'min.compaction.lag.ms': String(60 * 60 * 1000),
};

/** Partition counts sized for the throughput target on a small broker; raise with `kafka-topics --alter`. */
const STAGE_PARTITIONS = 6;

export const TOPICS = {
  validated: 'incidents.validated',
  rejected: 'incidents.rejected',
  enriched: 'incidents.enriched',
  late: 'incidents.late',
  regionalAlerts: 'alerts.regional',
  subscriptions: 'control.subscriptions',
  lifecycle: 'control.lifecycle',
  controlAudit: 'control.audit',
  releasedAlerts: 'alerts.released',
  deadLetter: 'pipeline.deadletter',
} as const;

export const feedTopic = (country: string): string => `feeds.${country.toLowerCase()}.incidents`;
export const agencyAlertTopic = (agencyId: string): string => `alerts.agency.${agencyId}`;

/** Matches every feed topic, for consumers that subscribe by pattern. */
export const FEED_TOPIC_PATTERN = /^feeds\.[a-z]{2}\.incidents$/;
export const AGENCY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** How long an agency topic keeps its deliveries: also how far back the dispatcher can restore its delivery ledger from them. */
export const AGENCY_TOPIC_RETENTION_DAYS = 90;

/** Static topics: feed topics, the stage topics and the control topic. Agency topics are added per agency. */
export function topicCatalogue(agencyIds: readonly string[] = []): TopicSpec[] {
  const feeds = FEED_COUNTRIES.map<TopicSpec>((cc) => ({
    name: feedTopic(cc),
    partitions: 3,
    config: retained(30),
    purpose: `incident reports published by the national feeds of ${cc.toUpperCase()}`,
  }));
  const stages: TopicSpec[] = [
    { name: TOPICS.validated, partitions: STAGE_PARTITIONS, config: retained(30), purpose: 'reports that passed validation, keyed by event id' },
    { name: TOPICS.rejected, partitions: 3, config: retained(90), purpose: 'dead letters of ingest: invalid or undecodable reports, with reason headers' },
    { name: TOPICS.enriched, partitions: STAGE_PARTITIONS, config: retained(365), purpose: 'reports with geography, keyed by correlation zone; the replay source of correlator state' },
    { name: TOPICS.late, partitions: 3, config: retained(90), purpose: 'enriched reports that arrived after the allowed lateness of their window' },
    { name: TOPICS.regionalAlerts, partitions: STAGE_PARTITIONS, config: { ...compacted, 'cleanup.policy': 'compact,delete', 'retention.ms': String(365 * DAY_MS) }, purpose: 'regional alert versions, keyed (and compacted) by alert id' },
    { name: TOPICS.subscriptions, partitions: 1, config: compacted, purpose: 'agencies, subscriptions and the sharing policy (ControlRecord), keyed by kind:id, compacted' },
    { name: TOPICS.lifecycle, partitions: 1, config: compacted, purpose: 'silences and acknowledgements (ControlRecord), keyed by kind:id, compacted' },
    { name: TOPICS.controlAudit, partitions: 1, config: retained(3650), purpose: 'every change to the control topics, who made it and why (ControlRecord), kept ten years' },
    { name: TOPICS.releasedAlerts, partitions: 3, config: retained(7), purpose: 'alert versions held by a silence, offered again to the dispatcher when it ends' },
    { name: TOPICS.deadLetter, partitions: 3, config: retained(90), purpose: 'poison messages of the internal stages, with reason headers' },
  ];
  const agencies = agencyIds.map<TopicSpec>((id) => {
    if (!AGENCY_ID_PATTERN.test(id)) throw new Error(`invalid agency id "${id}": use lower-case letters, digits and dashes`);
    return { name: agencyAlertTopic(id), partitions: 3, config: retained(AGENCY_TOPIC_RETENTION_DAYS), purpose: `alerts delivered to agency ${id}` };
  });
  return [...feeds, ...stages, ...agencies];
}

/** Message headers the pipeline sets, beside libs/kafka's: the dead-letter reasons, and `vigie-published-at` on every stage output (PUBLISHED_AT_HEADER). */
export const HEADERS = {
  /** When ingest accepted the report (epoch millis as text): the start of end-to-end latency. */
  ingestedAt: 'vigie-ingested-at',
  /**
   * On alerts.regional (and alerts.released, for a version a rebuild re-published): the
   * correlator's arrival watermark when it evaluated the version (the latest ingestion time read on
   * its partition, epoch millis as text). A rebuild reproduces it, and the version's first delivery
   * came after it: the dispatcher holds back versions whose watermark is older than its delivery
   * ledger's reach (withinLedgerReach).
   */
  arrivalWatermark: 'vigie-arrival-watermark',
  /** On an agency topic: the delivery's id, so that a consumer can recognise a redelivery without decoding it. */
  deliveryId: 'vigie-delivery-id',
  /** On an agency topic: the fingerprint of what the delivery carried (deliveryFingerprint), read back when the delivery ledger is restored. */
  contentFingerprint: 'vigie-content-fingerprint',
} as const;
