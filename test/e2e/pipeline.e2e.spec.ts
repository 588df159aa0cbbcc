/**
 * The whole pipeline on the real broker and Redis, each service in its own process: two national
 * feeds (one over Kafka through the CLI, one over HTTP) report a burst of incidents on the
 * Mali–Senegal border near the Falémé, malformed messages arrive too, and the subscribed agency
 * must receive the regional alert while every published message is accounted for.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS, TOPICS, agencyAlertTopic, createCodecs, deriveEventId, feedTopic, type AlertDelivery, type EnrichedIncident } from '@vigie/contracts';
import { BatchProducer, DEAD_LETTER_HEADERS, createKafka, readDeadLetterReason, topicEndOffsets, type InboundMessage } from '@vigie/kafka';
import { collectUntil, startPipeline, type Pipeline } from '@vigie/testing';

const ROOT = resolve(__dirname, '../..');
const run = randomBytes(4).toString('hex');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const kafka = createKafka({ brokers, clientId: `e2e-${run}`, ssl: false });
const codecs = createCodecs();
const HTTP_TOKEN = `token-${run}`;
const HOUR = 3_600_000;

/** A valid report in the JSON form feeds send; the run id keeps this run's events apart from earlier runs'. */
function report(feedId: 'ml-police' | 'sn-police', n: number, place: { name: string; lat: number; lon: number }, hoursAgo: number) {
  const now = Date.now();
  return {
    sourceEventId: `${run}-${feedId}-${n}`,
    feedId,
    sourceCountry: feedId.slice(0, 2).toUpperCase(),
    reportingAgency: feedId,
    occurredAt: new Date(now - hoursAgo * HOUR).toISOString(),
    timePrecision: 'HOUR',
    reportedAt: new Date(now - hoursAgo * HOUR + HOUR / 2).toISOString(),
    location: { lat: place.lat, lon: place.lon, geoPrecision: 1, placeName: place.name },
    category: 'SMUGGLING',
    subCategory: 'GOLD',
    commodity: { kind: 'GOLD', quantity: 2.5, unit: 'kg' },
    fatalities: { min: 0, max: 0, known: true },
    actors: [{ name: 'unidentified smuggling network', kind: 'CRIMINAL_NETWORK' }],
    sourceReliability: 'B',
    infoCredibility: 2,
    tlp: 'GREEN',
    lang: 'fr',
    notes: `e2e run ${run}`,
  };
}

// Both banks of the Falémé, the river that is the Mali–Senegal border between Kayes and Saraya.
const MALI_SIDE = [
  { name: 'Kéniéba', lat: 12.84, lon: -11.24 },
  { name: 'Faraba', lat: 13.08, lon: -11.42 },
  { name: 'Kassama', lat: 13.03, lon: -11.3 },
  // On the Bamako–Kayes–Dakar corridor as well.
  { name: 'Diboli', lat: 14.33, lon: -11.93 },
];
const SENEGAL_SIDE = [
  { name: 'Saraya', lat: 12.84, lon: -11.75 },
  { name: 'Khossanto', lat: 12.9, lon: -11.66 },
  { name: 'Sabodala', lat: 13.18, lon: -12.1 },
];

const malformedLines = [
  { raw: `{"sourceEventId": "${run}-bad-json", "feedId": "ml-police", `, code: 'INVALID_JSON' },
  { raw: JSON.stringify({ ...report('ml-police', 101, MALI_SIDE[0]!, 2), location: { lat: 123.4, lon: -11.2, geoPrecision: 1 } }), code: 'INVALID_REPORT', reason: 'location.lat' },
  { raw: JSON.stringify({ ...report('ml-police', 102, MALI_SIDE[0]!, 2), category: 'SORCERY' }), code: 'INVALID_REPORT', reason: 'category' },
  { raw: JSON.stringify({ ...report('ml-police', 103, MALI_SIDE[0]!, 2), reportedAt: new Date(Date.now() + 48 * HOUR).toISOString() }), code: 'INVALID_REPORT', reason: 'reportedAt' },
  { raw: JSON.stringify({ ...report('ml-police', 104, MALI_SIDE[0]!, 2), sourceCountry: 'SN' }), code: 'INVALID_REPORT', reason: 'feedId' },
];
/** Avro framing with a schema id nobody registered, and trailing garbage. */
const unknownSchemaMessage = Buffer.concat([Buffer.from([0, 0, 0, 0x7f, 0x7f]), Buffer.from(`garbage ${run}`)]);

describe('pipeline end to end', () => {
  let pipeline: Pipeline;
  const logDir = join(ROOT, 'tmp', `e2e-${run}`);

  beforeAll(async () => {
    pipeline = await startPipeline({
      logDir,
      env: {
        KAFKA_BROKERS: brokers.join(','),
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:16379',
        REDIS_KEY_PREFIX: `vigie-e2e-${run}:`,
        INGEST_FEED_TOKENS: `sn-police=${HTTP_TOKEN}`,
        LOG_LEVEL: 'info',
      },
    });
  });

  afterAll(async () => {
    const codes = await pipeline?.stop();
    // Graceful SIGTERM: every service drains, commits, leaves its group and exits 0.
    expect(codes).toEqual([0, 0, 0, 0]);
  });

  it('delivers the regional alert to the subscribed agency and accounts for every message', async () => {
    // Only what this run adds is read back, however much earlier runs left in the topics.
    const startAt = await topicEndOffsets(kafka, [TOPICS.validated, TOPICS.rejected, TOPICS.enriched, TOPICS.regionalAlerts, agencyAlertTopic('sn-police')]);
    // Feed 1, over Kafka with the CLI: valid reports plus malformed lines (sent raw with --no-validate).
    mkdirSync(logDir, { recursive: true });
    const file = join(logDir, 'ml-police.ndjson');
    const mlReports = MALI_SIDE.map((place, i) => report('ml-police', i, place, 20 - i * 3));
    writeFileSync(file, [...mlReports.map((r) => JSON.stringify(r)), ...malformedLines.map((m) => m.raw)].join('\n'));
    const cli = await promisify(execFile)(join(ROOT, 'services/cli/bin/vigie'), ['feed', 'publish', '--feed', 'ml-police', '--no-validate', file], {
      env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
    });
    expect(cli.stdout).toContain(`${mlReports.length} reports published to feeds.ml.incidents`);

    // Feed 2, over HTTP: a batch of reports, then the same batch again (a feed retrying).
    const snReports = SENEGAL_SIDE.map((place, i) => report('sn-police', i, place, 18 - i * 4));
    const ingest = pipeline.services[0]!;
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(ingest.url('/v1/feeds/sn-police/incidents'), {
        method: 'POST',
        headers: { authorization: `Bearer ${HTTP_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(snReports),
      });
      expect(response.status).toBe(202);
      expect(((await response.json()) as { accepted: unknown[] }).accepted).toHaveLength(snReports.length);
    }
    // A message that is not even Avro we know.
    const producer = new BatchProducer(kafka);
    await producer.connect();
    await producer.send([{ topic: feedTopic('ml'), key: null, value: unknownSchemaMessage }]);
    await producer.disconnect();

    const validIds = new Set([...mlReports, ...snReports].map((r) => deriveEventId(r.feedId, r.sourceEventId)));
    const withAllEvidence = (d: AlertDelivery): boolean => d.alert.contributingEventIds.filter((id) => validIds.has(id)).length === validIds.size;
    const RAISED: readonly string[] = ['MEDIUM', 'HIGH', 'CRITICAL'];
    const ofRun = (m: InboundMessage): boolean => (m.value ?? Buffer.alloc(0)).includes(run) || validIds.has(m.key?.toString() ?? '');

    // The expected alert reaches the subscribed Senegalese agency, with both feeds' evidence.
    const deliveries = await collectUntil(
      kafka,
      [agencyAlertTopic('sn-police')],
      () => true,
      (kept) => kept.some((m) => withAllEvidence(decodeDelivery(m)) && RAISED.includes(decodeDelivery(m).alert.level)),
      90_000,
      startAt,
    );
    // Rules reach their levels in whatever order the partitions are served: wait for the raised one.
    const alert = deliveries.map(decodeDelivery).find((d) => withAllEvidence(d) && RAISED.includes(d.alert.level));
    const seen = deliveries.map(decodeDelivery).map((d) => `${d.alert.alertId} v${d.alert.version} ${d.alert.level}${d.redacted ? ' redacted' : ''} ${d.alert.contributingEventIds.filter((id) => validIds.has(id)).length}/${validIds.size}`);
    expect(alert, `deliveries seen: ${seen.join('; ')}; logs in ${logDir}`).toBeDefined();
    expect(alert!.agencyId).toBe('sn-police');
    expect(alert!.alert.distinctSourceCountries).toEqual(expect.arrayContaining(['ML', 'SN']));
    expect(alert!.alert.zone.countries).toEqual(expect.arrayContaining(['ML', 'SN']));

    // Every malformed message is dead-lettered with its reason.
    const rejected = await collectUntil(kafka, [TOPICS.rejected], ofRun, (kept) => kept.length >= malformedLines.length + 1, 30_000, startAt);
    const reasons = rejected.map((m) => readDeadLetterReason(m.headers));
    for (const bad of malformedLines) {
      expect(reasons.some((r) => r.code === bad.code && (!bad.reason || r.message.includes(bad.reason))), `${bad.code} ${bad.reason ?? ''} in ${JSON.stringify(reasons)}`).toBe(true);
    }
    expect(reasons.some((r) => r.code === 'UNKNOWN_SCHEMA_ID')).toBe(true);
    expect(rejected.every((m) => String(m.headers[DEAD_LETTER_HEADERS.sourceTopic]) === feedTopic('ml'))).toBe(true);

    // Enrichment: both banks of the Falémé are the Mali–Senegal border, inside the Falémé hotspot;
    // one copy per correlation zone, keyed by the zone.
    const copiesExpected = new Map<string, number>();
    const enriched = await collectUntil(
      kafka,
      [TOPICS.enriched],
      (m) => {
        const incident = codecs.enrichedIncident.decode(m.value as Buffer);
        if (!validIds.has(incident.report.eventId)) return false;
        copiesExpected.set(incident.report.eventId, incident.correlationKeys.length);
        return true;
      },
      (kept) => copiesExpected.size === validIds.size && kept.length >= [...copiesExpected.values()].reduce((a, b) => a + b, 0),
      30_000,
      startAt,
    );
    const byEvent = new Map<string, { keys: string[]; incident: EnrichedIncident }>();
    for (const m of enriched) {
      const incident = codecs.enrichedIncident.decode(m.value as Buffer);
      const entry = byEvent.get(incident.report.eventId) ?? { keys: [], incident };
      entry.keys.push(m.key!.toString());
      byEvent.set(incident.report.eventId, entry);
    }
    expect(new Set(byEvent.keys())).toEqual(validIds);
    for (const { keys, incident } of byEvent.values()) {
      const { geo, report } = incident;
      expect(geo.country).toBe(report.sourceCountry);
      expect(geo.neighbourCountry).toBe(report.sourceCountry === 'ML' ? 'SN' : 'ML');
      expect(geo.borderSectionId).toMatch(/^ML-SN-\d{3}$/);
      expect(geo.borderDistanceKm).toBeLessThan(50);
      expect(geo.hotspotIds).toContain('HS-FALEME');
      expect(geo.referenceVersion).not.toBe('');
      expect(new Set(keys)).toEqual(new Set(incident.correlationKeys));
      expect(keys).toEqual(expect.arrayContaining(['HOTSPOT:HS-FALEME', `SECTION:${geo.borderSectionId}`, `COUNTRY:${report.sourceCountry}`]));
    }
    // The version delivered carries the arrival watermark it was evaluated at (by which the dispatcher
    // holds back what a rebuild re-evaluates from before its ledger's reach): no earlier than the
    // ingestion of its evidence, no later than its publication.
    const isDelivered = (m: InboundMessage) => {
      const version = codecs.regionalAlert.decode(m.value as Buffer);
      return version.alertId === alert!.alert.alertId && version.version === alert!.alert.version;
    };
    const [regional] = await collectUntil(kafka, [TOPICS.regionalAlerts], isDelivered, (kept) => kept.length > 0, 30_000, startAt);
    const watermark = Number(regional!.headers[HEADERS.arrivalWatermark]?.toString());
    const evidenceIngested = alert!.alert.contributingEventIds.flatMap((id) => (byEvent.has(id) ? [byEvent.get(id)!.incident.ingestedAt] : []));
    expect(evidenceIngested.length).toBeGreaterThan(0);
    expect(watermark).toBeGreaterThanOrEqual(Math.max(...evidenceIngested));
    expect(watermark).toBeLessThanOrEqual(regional!.timestamp);
    const diboli = [...byEvent.values()].find((e) => e.incident.report.location.placeName === 'Diboli')!.incident;
    expect(diboli.geo.routes.map((r) => r.routeId)).toContain('RT-BAMAKO-DAKAR');

    // Counts balance: published = validated + rejected + deduplicated (the HTTP retry's copies).
    const validated = await collectUntil(kafka, [TOPICS.validated], ofRun, (kept) => kept.length >= validIds.size, 30_000, startAt);
    expect(new Set(validated.map((m) => m.key?.toString()))).toEqual(validIds);
    expect(validated).toHaveLength(validIds.size);
    const published = mlReports.length + malformedLines.length + 1 + 2 * snReports.length;
    const metrics = await (await fetch(ingest.url('/metrics'))).text();
    const deduplicated = Number(/^vigie_events_deduplicated_total\{[^}]*\} (\d+)$/m.exec(metrics)?.[1]);
    expect(deduplicated).toBe(snReports.length);
    expect(validated.length + rejected.length + deduplicated).toBe(published);

    // Operators see the rejections in the metrics, by reason.
    expect(metrics).toMatch(/vigie_dead_letters_total\{[^}]*reason="INVALID_REPORT"[^}]*\} 4/);
  });

  it('withdraws a revised incident from the zones it left, so that their alerts stop counting it', async () => {
    const startAt = await topicEndOffsets(kafka, [TOPICS.enriched, TOPICS.regionalAlerts]);
    // Five reports in the Ménaka–Tillabéri hotspot fire its 24 h burst rule (LOW at 5).
    const MENAKA = { name: 'Ménaka', lat: 15.92, lon: 2.4 };
    const BANKASS = { name: 'Bankass', lat: 14.08, lon: -3.52 }; // inland Mali: in no hotspot, section or route
    const HOTSPOT = 'HOTSPOT:HS-MENAKA-TILLABERI';
    const burst = [0, 1, 2, 3, 4].map((i) => report('ml-police', 200 + i, MENAKA, 10 - i));
    const moved = { ...burst[4]!, revision: 2, status: 'REVISED', location: { lat: BANKASS.lat, lon: BANKASS.lon, geoPrecision: 1, placeName: BANKASS.name }, reportedAt: new Date().toISOString() };
    const ids = new Set(burst.map((r) => deriveEventId(r.feedId, r.sourceEventId)));
    const movedId = deriveEventId(moved.feedId, moved.sourceEventId);
    const producer = new BatchProducer(kafka);
    await producer.connect();
    const publish = (reports: object[]) => producer.send(reports.map((r) => ({ topic: feedTopic('ml'), key: null, value: Buffer.from(JSON.stringify(r)) })));
    const burstAlert = (m: InboundMessage) => {
      const alert = codecs.regionalAlert.decode(m.value as Buffer);
      return alert.alertId === `incident-burst-24h:${HOTSPOT}` && alert.contributingEventIds.some((id) => ids.has(id));
    };
    try {
      await publish(burst);
      await collectUntil(kafka, [TOPICS.regionalAlerts], burstAlert, (kept) => kept.some((m) => codecs.regionalAlert.decode(m.value as Buffer).status === 'FIRING'), 60_000, startAt);
      await publish([moved]);
    } finally {
      await producer.disconnect();
    }

    // The alert of the hotspot the incident left ends: its evidence was withdrawn there.
    const versions = await collectUntil(kafka, [TOPICS.regionalAlerts], burstAlert, (kept) => kept.some((m) => codecs.regionalAlert.decode(m.value as Buffer).status === 'RETRACTED'), 60_000, startAt);
    const alerts = versions.map((m) => codecs.regionalAlert.decode(m.value as Buffer));
    expect(alerts.find((a) => a.status === 'FIRING')?.contributingEventIds).toContain(movedId);
    const ended = alerts.find((a) => a.status === 'RETRACTED')!;
    expect(ended.contributingEventIds).not.toContain(movedId);
    expect(ended.contributingEventIds.filter((id) => ids.has(id))).toHaveLength(4);

    // The withdrawal is revision 2 itself, keyed by the hotspot its correlationKeys no longer list.
    const copies = await collectUntil(
      kafka,
      [TOPICS.enriched],
      (m) => codecs.enrichedIncident.decode(m.value as Buffer).report.eventId === movedId,
      (kept) => kept.some((m) => codecs.enrichedIncident.decode(m.value as Buffer).report.revision === 2 && m.key?.toString() === HOTSPOT),
      30_000,
      startAt,
    );
    const withdrawal = copies.find((m) => m.key?.toString() === HOTSPOT && codecs.enrichedIncident.decode(m.value as Buffer).report.revision === 2)!;
    expect(codecs.enrichedIncident.decode(withdrawal.value as Buffer).correlationKeys).toEqual(['COUNTRY:ML']);
  });
});

function decodeDelivery(message: InboundMessage): AlertDelivery {
  return codecs.alertDelivery.decode(message.value as Buffer);
}
