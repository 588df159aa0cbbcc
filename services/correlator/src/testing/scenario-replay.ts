import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOPICS, createCodecs, parseIncidentJson, type RegionalAlert } from '@vigie/contracts';
import { MemoryCorrelationStore, MemoryIncidentZones } from '@vigie/correlation';
import { loadGeoReference } from '@vigie/geo';
import type { InboundMessage } from '@vigie/kafka';
import { CorrelatorStage } from '../correlator.stage';
import { readRulesFile } from '../rules-file';
import { zoneDirectory } from '../zone-directory';
import { enrichedCopies, partitionOf } from './enriched-copies';

/*
 * The bundled demo scenario (test/demo/scenario) through ingest's validation, the enricher's
 * geography and the correlator with the shipped rules, in one process and in memory: what the
 * demo's agencies will be sent, without Kafka. Reports arrive in the order the file lists them
 * (the order feeds sent them), each copy of a report keyed by its zone as the enricher keys it.
 */

const ROOT = resolve(__dirname, '../../../..');
const SCENARIO = resolve(ROOT, 'test/demo/scenario');

export interface ScenarioExpectations {
  readonly episodes: readonly { readonly id: string; readonly zoneKeys: readonly string[]; readonly alsoLikely: readonly string[]; readonly retracted: readonly string[] }[];
  readonly scenario: { readonly base: string };
}

export const scenarioExpectations = (): ScenarioExpectations => JSON.parse(readFileSync(resolve(SCENARIO, 'expected.json'), 'utf8')) as ScenarioExpectations;

/** Every alert version the correlator publishes for the scenario, in order. */
export async function replayScenario(partitions = 6): Promise<RegionalAlert[]> {
  const codecs = createCodecs();
  const geo = loadGeoReference();
  const zones = zoneDirectory(geo);
  const now = Date.parse(scenarioExpectations().scenario.base);
  const stage = new CorrelatorStage(codecs, new MemoryCorrelationStore(), readRulesFile(resolve(ROOT, 'deploy/config/rules.json')), zones, { allowedLatenessMs: 7 * 86_400_000 }, () => now);
  const offsets = new Array<number>(partitions).fill(0);
  const alerts: RegionalAlert[] = [];
  const remembered = new MemoryIncidentZones();
  for (const line of readFileSync(resolve(SCENARIO, 'incidents.ndjson'), 'utf8').split('\n')) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue; // malformed: ingest rejects it
    }
    const parsed = parseIncidentJson(json, { now });
    if (!parsed.ok) continue;
    for (const { key, value } of enrichedCopies(parsed.report, geo, codecs, parsed.report.reportedAt, remembered)) {
      const partition = partitionOf(key, partitions);
      const message: InboundMessage = { topic: TOPICS.enriched, partition, offset: String(offsets[partition]!++), key: Buffer.from(key), value, headers: {}, timestamp: now };
      for (const outcome of await stage.handleBatch([message])) {
        if (outcome.kind !== 'emit') continue;
        for (const m of outcome.messages) if (m.topic === TOPICS.regionalAlerts) alerts.push(codecs.regionalAlert.decode(m.value));
      }
    }
  }
  return alerts;
}
