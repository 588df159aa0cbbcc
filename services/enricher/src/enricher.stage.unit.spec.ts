import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADERS, TOPICS, createCodecs, parseIncidentJson } from '@vigie/contracts';
import { MemoryIncidentZones } from '@vigie/correlation';
import { loadGeoReference } from '@vigie/geo';
import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import { EnricherStage } from './enricher.stage';

const NOW = Date.parse('2025-03-15T00:00:00Z');
const codecs = createCodecs();
const geo = loadGeoReference();
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../schemas/incident-report/fixtures/valid.json'), 'utf8')) as Record<string, unknown>;

const reportAt = (lat: number, lon: number, sourceCountry = 'ML', revision: Record<string, unknown> = {}) => {
  const parsed = parseIncidentJson({ ...fixture, location: { lat, lon, geoPrecision: 1 }, sourceCountry, ...revision }, { now: NOW });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.report;
};
const message = (value: Buffer, headers: Record<string, string> = {}): InboundMessage => ({
  topic: TOPICS.validated, partition: 0, offset: '0', key: null, value, headers, timestamp: 1,
});
const emitted = (o: MessageOutcome | undefined) => (o?.kind === 'emit' ? o.messages : []);

describe('EnricherStage', () => {
  const stage = () => new EnricherStage(codecs, geo, new MemoryIncidentZones(), () => NOW);

  it('publishes one copy per correlation zone, keyed by the zone, with the geography and the ingestion time', async () => {
    // Kéniéba, Mali, a few km from the Falémé (the Mali–Senegal border).
    const [outcome] = await stage().handleBatch([message(codecs.incidentReport.encode(reportAt(12.84, -11.24)), { [HEADERS.ingestedAt]: '12345' })]);
    const copies = emitted(outcome);
    const incident = codecs.enrichedIncident.decode(copies[0]!.value);
    expect(copies.map((c) => c.key)).toEqual(incident.correlationKeys);
    expect(copies.every((c) => c.topic === TOPICS.enriched)).toBe(true);
    expect(incident.correlationKeys).toEqual(expect.arrayContaining(['HOTSPOT:HS-FALEME', 'COUNTRY:ML']));
    expect(incident.geo).toMatchObject({ country: 'ML', neighbourCountry: 'SN', reportedCountryMismatch: false, referenceVersion: geo.version });
    expect(incident.ingestedAt).toBe(12345);
    expect(incident.enrichedAt).toBe(NOW);
  });

  it('flags a report whose coordinates contradict its country instead of failing', async () => {
    // Dakar, reported as Mali.
    const [outcome] = await stage().handleBatch([message(codecs.incidentReport.encode(reportAt(14.69, -17.45)))]);
    const incident = codecs.enrichedIncident.decode(emitted(outcome)[0]!.value);
    expect(incident.geo.country).toBe('SN');
    expect(incident.geo.reportedCountryMismatch).toBe(true);
    expect(incident.geo.flags).toContain('COUNTRY_MISMATCH');
  });

  it('carries the report as validated, whatever Avro form it came in', async () => {
    const report = reportAt(12.84, -11.24);
    const canonical = codecs.incidentReport.encode(report);
    // The first length (eventId's) as a padded two-byte varint: the same report, not the bytes encode writes.
    const padded = Buffer.concat([canonical.subarray(0, 5), Buffer.from([canonical[5]! | 0x80, 0]), canonical.subarray(6)]);
    const [fast, slow] = await stage().handleBatch([message(canonical, { [HEADERS.ingestedAt]: '7' }), message(padded, { [HEADERS.ingestedAt]: '7' })]);
    const incident = codecs.enrichedIncident.decode(emitted(fast)[0]!.value);
    expect(incident.report).toEqual(report);
    expect(emitted(slow)[0]!.value).toEqual(emitted(fast)[0]!.value);
    // What encoding the decoded incident writes: the report's bytes were spliced in unchanged.
    expect(emitted(fast)[0]!.value).toEqual(codecs.enrichedIncident.encode(incident));
  });

  it('dead-letters a report in no correlation zone, saying why, instead of accepting it to count nowhere', async () => {
    const [outside, swapped, atSea] = await stage().handleBatch([
      message(codecs.incidentReport.encode(reportAt(0, 0))),
      message(codecs.incidentReport.encode(reportAt(-11.44, 14.45))),
      message(codecs.incidentReport.encode(reportAt(14.5, -19.5))),
    ]);
    for (const refused of [outside, swapped]) {
      expect(refused).toMatchObject({ kind: 'dead-letter', failure: { code: 'OUTSIDE_REGION' } });
      expect(refused?.kind === 'dead-letter' && refused.failure.message).toMatch(/swapped/);
    }
    expect(atSea).toMatchObject({ kind: 'dead-letter', failure: { code: 'NO_ZONE', message: expect.stringMatching(/^lat 14.5, lon -19.5 is at sea/) } });
  });

  it('dead-letters a truncated message', async () => {
    const value = codecs.incidentReport.encode(reportAt(12.84, -11.24));
    const [outcome] = await stage().handleBatch([message(value.subarray(0, value.length - 3))]);
    expect(outcome).toMatchObject({ kind: 'dead-letter', failure: { code: 'DECODE_FAILED' } });
  });

  it('dead-letters an undecodable message', async () => {
    const [outcome] = await stage().handleBatch([message(Buffer.from('garbage'))]);
    expect(outcome).toMatchObject({ kind: 'dead-letter', failure: { code: 'WIRE_FORMAT' } });
  });

  describe('revisions that leave zones', () => {
    const keysOf = (o: MessageOutcome | undefined) => emitted(o).map((c) => String(c.key));
    const KENIEBA = [12.84, -11.24] as const;
    const DAKAR = [14.69, -17.45] as const;

    it('sends a revision that moved to its new zones and, to withdraw it, to the zones it left: the same record, whose zones do not list them', async () => {
      const withdrawn: number[] = [];
      const enricher = new EnricherStage(codecs, geo, new MemoryIncidentZones(), () => NOW, { withdrawn: (copies) => withdrawn.push(copies) });
      const [first] = await enricher.handleBatch([message(codecs.incidentReport.encode(reportAt(...KENIEBA)))]);
      const [moved] = await enricher.handleBatch([message(codecs.incidentReport.encode(reportAt(...DAKAR, 'ML', { revision: 2, status: 'REVISED' })))]);
      const before = keysOf(first);
      const incident = codecs.enrichedIncident.decode(emitted(moved)[0]!.value);
      expect(incident.report.revision).toBe(2);
      expect(keysOf(moved)).toEqual([...incident.correlationKeys, ...before.filter((k) => !incident.correlationKeys.includes(k))]);
      expect(before).toEqual(expect.arrayContaining(['HOTSPOT:HS-FALEME', 'COUNTRY:ML']));
      expect(incident.correlationKeys).not.toContain('COUNTRY:ML');
      expect(keysOf(moved)).toEqual(expect.arrayContaining(['HOTSPOT:HS-FALEME', 'COUNTRY:ML', 'COUNTRY:SN']));
      expect(new Set(emitted(moved).map((c) => c.value))).toEqual(new Set([emitted(moved)[0]!.value]));
      expect(moved).toMatchObject({ kind: 'emit', disposition: 'processed' });
      expect(withdrawn).toEqual([keysOf(moved).length - incident.correlationKeys.length]);
    });

    it('withdraws a retraction located in no zone from the zones its incident was in, rather than refusing it', async () => {
      const enricher = stage();
      const [first, retracted] = await enricher.handleBatch([
        message(codecs.incidentReport.encode(reportAt(...KENIEBA))),
        message(codecs.incidentReport.encode(reportAt(0, 0, 'ML', { revision: 2, status: 'RETRACTED' }))),
      ]);
      expect(retracted).toMatchObject({ kind: 'emit', disposition: 'processed' });
      expect(keysOf(retracted)).toEqual(keysOf(first));
      expect(codecs.enrichedIncident.decode(emitted(retracted)[0]!.value).correlationKeys).toEqual([]);
    });

    it('refuses a correction located in no zone, saying why, and leaves the zones the incident was in counting its earlier revision', async () => {
      const enricher = stage();
      const [, swapped, fixed] = await enricher.handleBatch([
        message(codecs.incidentReport.encode(reportAt(...KENIEBA))),
        message(codecs.incidentReport.encode(reportAt(-11.24, 12.84, 'ML', { revision: 2, status: 'REVISED' }))),
        message(codecs.incidentReport.encode(reportAt(...DAKAR, 'ML', { revision: 3, status: 'REVISED' }))),
      ]);
      expect(swapped).toMatchObject({ kind: 'dead-letter', failure: { code: 'OUTSIDE_REGION' } });
      // The next located revision withdraws it from where revision 1 was.
      expect(keysOf(fixed)).toEqual(expect.arrayContaining(['HOTSPOT:HS-FALEME', 'COUNTRY:ML', 'COUNTRY:SN']));
    });

    it('does not remember a refused correction: a lower revision arriving after it still goes where it is', async () => {
      const enricher = stage();
      const [, swapped, late] = await enricher.handleBatch([
        message(codecs.incidentReport.encode(reportAt(...KENIEBA))),
        message(codecs.incidentReport.encode(reportAt(-11.24, 12.84, 'ML', { revision: 3, status: 'REVISED' }))),
        message(codecs.incidentReport.encode(reportAt(...DAKAR, 'ML', { revision: 2, status: 'REVISED' }))),
      ]);
      expect(swapped).toMatchObject({ kind: 'dead-letter' });
      expect(late).toMatchObject({ kind: 'emit', disposition: 'processed' });
      expect(keysOf(late)).toEqual(expect.arrayContaining(['COUNTRY:SN', 'HOTSPOT:HS-FALEME', 'COUNTRY:ML']));
    });

    it('routes a batch redone after a crash as the first attempt did, its revisions remembered already', async () => {
      const zones = new MemoryIncidentZones();
      const batch = [message(codecs.incidentReport.encode(reportAt(...KENIEBA))), message(codecs.incidentReport.encode(reportAt(...DAKAR, 'ML', { revision: 2, status: 'REVISED' })))];
      const first = await new EnricherStage(codecs, geo, zones, () => NOW).handleBatch(batch);
      // The redo finds revision 2 remembered (and revision 1's zones): revision 1 is superseded, revision 2 withdraws as before.
      const redo = await new EnricherStage(codecs, geo, zones, () => NOW).handleBatch(batch);
      expect(redo[0]).toMatchObject({ disposition: 'deduplicated', messages: [] });
      expect(keysOf(redo[1])).toEqual(keysOf(first[1]));
    });

    it('sends a revision lower than one already routed nowhere (counted as deduplicated), and a revision met again as the first time', async () => {
      const enricher = stage();
      const second = message(codecs.incidentReport.encode(reportAt(...DAKAR, 'ML', { revision: 2, status: 'REVISED' })));
      const [newer, older, again] = await enricher.handleBatch([second, message(codecs.incidentReport.encode(reportAt(...KENIEBA))), second]);
      expect(older).toEqual({ kind: 'emit', disposition: 'deduplicated', messages: [] });
      expect(keysOf(again)).toEqual(keysOf(newer));
    });
  });
});
