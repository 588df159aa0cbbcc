/**
 * A rebuild of history older than the delivery ledger's reach, through the correlator and the
 * dispatcher stages chained as the pipeline chains them (each alert version handed over with its
 * headers, as alerts.regional carries it), with the shipped rules and geography, and the
 * correlation store and the delivery ledger on the real Redis.
 *
 * First life: incidents ingested 40 days ago, then 10 days ago, each correlated and dispatched in
 * its time. Redis is lost: the correlation state is rebuilt from the same incidents, and the
 * ledger restored from what the first life delivered, as a restore reads the agency topics back
 * over DELIVERY_TTL_DAYS (so without the deliveries older than that). The rebuild re-publishes
 * every version: those evaluated 40 days ago are held back, those of 10 days ago are recognised,
 * and what is ingested now is delivered.
 */
import { resolve } from 'node:path';
import { HEADERS, TOPICS, createCodecs, type IncidentReport } from '@vigie/contracts';
import { MemoryIncidentZones } from '@vigie/correlation';
import { loadGeoReference } from '@vigie/geo';
import { headerText, type InboundMessage, type OutboundMessage } from '@vigie/kafka';
import { SAMPLE_DIRECTORY_JSON, SAMPLE_POLICY_JSON, controlStateOf, parseAgencyDirectory, parseSharingPolicy, type RestoredDelivery } from '@vigie/sharing';
import { RedisCorrelationStore, RedisDeliveryLedger } from '@vigie/state';
import { useRedisNamespace } from '@vigie/testing/vitest';
import { describe, expect, it } from 'vitest';
import { CorrelatorStage } from '../../services/correlator/src/correlator.stage';
import { readRulesFile } from '../../services/correlator/src/rules-file';
import { report } from '../../services/correlator/src/testing/correlator-fixtures';
import { enrichedCopies } from '../../services/correlator/src/testing/enriched-copies';
import { zoneDirectory } from '../../services/correlator/src/zone-directory';
import { DispatcherStage } from '../../services/dispatcher/src/dispatcher.stage';

const ROOT = resolve(__dirname, '../..');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TTL_DAYS = 30;
const codecs = createCodecs();
const geo = loadGeoReference();
const rules = readRulesFile(resolve(ROOT, 'deploy/config/rules.json'));
const control = controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), parseSharingPolicy(SAMPLE_POLICY_JSON));
const NOW = Date.now();

/** Six smuggling reports in the Falémé hotspot an hour apart, ingested two hours after each occurred, ending `daysAgo` days ago. */
function burst(name: string, daysAgo: number): { report: IncidentReport; ingestedAt: number }[] {
  return Array.from({ length: 6 }, (_, i) => {
    const occurredAt = NOW - daysAgo * DAY - (6 - i) * HOUR;
    const r = report(`${name}-${i}`, 0, { occurredAt, reportedAt: occurredAt + HOUR });
    return { report: r, ingestedAt: occurredAt + 2 * HOUR };
  });
}

/** The enricher's copies of the reports, as the messages of one incidents.enriched partition from `firstOffset`. */
function enrichedMessages(reports: { report: IncidentReport; ingestedAt: number }[], firstOffset: number): InboundMessage[] {
  const remembered = new MemoryIncidentZones();
  const copies = reports.flatMap(({ report: r, ingestedAt }) => enrichedCopies(r, geo, codecs, ingestedAt, remembered));
  return copies.map(({ key, value }, i) => ({ topic: TOPICS.enriched, partition: 0, offset: String(firstOffset + i), key: Buffer.from(key), value, headers: {}, timestamp: NOW }));
}

/** What a stage writes to `topic`, read back as the next stage reads it. */
function handedOver(outputs: readonly OutboundMessage[], topic: string, firstOffset: number): InboundMessage[] {
  return outputs
    .filter((m) => m.topic === topic)
    .map((m, i) => ({ topic, partition: 0, offset: String(firstOffset + i), key: m.key === undefined || m.key === null ? null : Buffer.from(m.key), value: m.value, headers: { ...m.headers }, timestamp: NOW }));
}

const outputsOf = (outcomes: Awaited<ReturnType<CorrelatorStage['handleBatch']>>): OutboundMessage[] => outcomes.flatMap((o) => (o.kind === 'emit' ? o.messages : []));
const deliveriesIn = (outputs: readonly OutboundMessage[]) => outputs.filter((m) => m.topic.startsWith('alerts.agency.'));

describe('a rebuild of history older than the delivery ledger\'s reach, correlator → dispatcher on the real Redis', () => {
  const { redis, prefix } = useRedisNamespace('rebuild-reach');
  const ledgerOf = (namespace: string) => new RedisDeliveryLedger(redis(), TTL_DAYS * 86_400, `${prefix}${namespace}:`);
  const correlatorOf = (namespace: string) => new CorrelatorStage(codecs, new RedisCorrelationStore(redis(), `${prefix}${namespace}:`), rules, zoneDirectory(geo), { allowedLatenessMs: 7 * DAY }, () => NOW);

  it('holds back what was evaluated before the reach, recognises what the ledger was restored with, and delivers what is new', async () => {
    const old = enrichedMessages(burst('old', 40), 0);
    const recent = enrichedMessages(burst('recent', 10), old.length);

    // First life: each history correlated and dispatched in its time.
    const correlator = correlatorOf('first');
    const ledger = ledgerOf('first');
    const delivered: RestoredDelivery[] = [];
    let regionalOffset = 0;
    for (const [input, dispatchedAt] of [[old, NOW - 40 * DAY + HOUR], [recent, NOW - 10 * DAY + HOUR]] as const) {
      const versions = handedOver(outputsOf(await correlator.handleBatch(input)), TOPICS.regionalAlerts, regionalOffset);
      regionalOffset += versions.length;
      const dispatcher = new DispatcherStage(codecs, control, ledger, () => dispatchedAt);
      for (const m of deliveriesIn(outputsOf(await dispatcher.handleBatch(versions)))) {
        const message = { headers: { ...m.headers } };
        delivered.push({ deliveryId: headerText(message, HEADERS.deliveryId)!, fingerprint: headerText(message, HEADERS.contentFingerprint)!, deliveredAt: dispatchedAt });
      }
    }
    const deliveredOld = delivered.filter((d) => d.deliveredAt < NOW - TTL_DAYS * DAY).length;
    expect(deliveredOld).toBeGreaterThan(0);
    expect(delivered.length).toBeGreaterThan(deliveredOld);

    // Redis lost: the ledger restored from the agency topics (older deliveries are past its time to
    // live and left out), the correlation state rebuilt from the same incidents.
    const restored = ledgerOf('second');
    await restored.restore(delivered, NOW);
    const rebuilding = correlatorOf('second');
    const rebuilt = handedOver(outputsOf(await rebuilding.handleBatch([...old, ...recent])), TOPICS.regionalAlerts, regionalOffset);
    expect(rebuilt.length).toBe(regionalOffset);
    let beyondReach = 0;
    const observer = { held: () => {}, rearmed: () => {}, beyondLedgerReach: () => void beyondReach++, untold: () => {} };
    const dispatcher = new DispatcherStage(codecs, control, restored, () => NOW, observer);
    expect(deliveriesIn(outputsOf(await dispatcher.handleBatch(rebuilt)))).toEqual([]);
    expect(beyondReach).toBeGreaterThan(0);
    expect(beyondReach).toBeLessThan(rebuilt.length);

    // Without the hold-back (the same restored records, judged with a reach spanning the whole
    // history), the versions of 40 days ago would have gone out again: the ledger does not know them.
    const unbounded = new RedisDeliveryLedger(redis(), 365 * 86_400, `${prefix}second:`);
    const forgetful = new DispatcherStage(codecs, control, unbounded, () => NOW);
    expect(deliveriesIn(outputsOf(await forgetful.handleBatch(rebuilt.filter((m) => Number(headerText(m, HEADERS.arrivalWatermark)) < NOW - TTL_DAYS * DAY))))).toHaveLength(deliveredOld);

    // What is ingested now is news.
    const fresh = enrichedMessages(burst('fresh', 0), old.length + recent.length);
    const news = handedOver(outputsOf(await rebuilding.handleBatch(fresh)), TOPICS.regionalAlerts, regionalOffset * 2);
    expect(deliveriesIn(outputsOf(await dispatcher.handleBatch(news))).length).toBeGreaterThan(0);
  });
});
