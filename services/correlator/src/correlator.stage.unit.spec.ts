import { HEADERS, TOPICS, VigieError } from '@vigie/contracts';
import { MemoryCorrelationStore } from '@vigie/correlation';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CorrelatorStage } from './correlator.stage';
import { FALEME, HOUR, NOW, T0, alertsIn, batch, codecs, enriched, message, outputsTo, report, stageOver, versionsIn } from './testing/correlator-fixtures';

describe('CorrelatorStage', () => {
  let store: MemoryCorrelationStore;
  let stage: CorrelatorStage;

  beforeEach(() => {
    store = new MemoryCorrelationStore();
    stage = stageOver(store);
  });

  it('fires an alert keyed by its id when a zone reaches the threshold, carried by the batch’s last message', async () => {
    const outcomes = await stage.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12)));
    const [alert] = alertsIn(outcomes);
    expect(alertsIn(outcomes)).toHaveLength(1);
    expect(alert).toMatchObject({ alertId: 'surge:HOTSPOT:HS-FALEME', version: 1, status: 'FIRING', level: 'LOW', score: 3, evaluatedAt: NOW });
    expect(alert?.contributingEventIds).toEqual(['ml-police:A', 'ml-police:B', 'ml-police:C']);
    expect(outcomes.map((o) => o.kind === 'emit' && o.disposition)).toEqual(['processed', 'processed', 'processed']);
    // The alert travels with the batch's last message, so its offset is resolved only once the alert is sent.
    expect(outcomes.map((o) => (o.kind === 'emit' ? o.messages.length : -1))).toEqual([0, 0, 1]);
  });

  it('stamps each alert with the arrival watermark it was evaluated at, and a replay after a crash with the same', async () => {
    const reports = [report('A', 10), report('B', 11), report('C', 12), report('D', 13)];
    const first = batch(0, ...reports);
    const watermarks = (outcomes: Awaited<ReturnType<CorrelatorStage['handleBatch']>>) => outputsTo(TOPICS.regionalAlerts, outcomes).map((m) => m.headers?.[HEADERS.arrivalWatermark]);
    // The fixtures ingest each report when it is reported: C fires the alert, D updates it.
    const expected = [String(reports[2]!.reportedAt), String(reports[3]!.reportedAt)];
    expect(watermarks(await stage.handleBatch(first))).toEqual(expected);
    expect(watermarks(await stageOver(store).handleBatch(first))).toEqual(expected);
  });

  it('makes one store round trip per batch once the partition is loaded', async () => {
    await stage.handleBatch(batch(0, report('A', 10), report('B', 11)));
    expect(store.roundTrips).toBe(2); // load + commit
    await stage.handleBatch(batch(2, report('C', 12), report('D', 13), report('E', 14)));
    await stage.handleBatch(batch(5, report('F', 15)));
    expect(store.roundTrips).toBe(4);
  });

  it('re-emits a committed version whose publication was lost, without numbering a new one', async () => {
    const first = batch(0, report('A', 10), report('B', 11), report('C', 12));
    const [fired] = alertsIn(await stage.handleBatch(first)); // SIGKILL: these outputs never reach Kafka
    const successor = stageOver(store);
    const replay = await successor.handleBatch(first);
    expect(alertsIn(replay)).toEqual([fired]);
    expect(replay.map((o) => o.kind === 'emit' && o.disposition)).toEqual(['deduplicated', 'deduplicated', 'deduplicated']);
    // A second crash during the replay: still there.
    expect(alertsIn(await stageOver(store).handleBatch(first))).toEqual([fired]);
    // The next batch proves the replay's outputs were acknowledged: only its own version goes out.
    expect(versionsIn(await successor.handleBatch(batch(3, report('D', 13))))).toEqual(['2:UPDATED']);
    expect(versionsIn(await successor.handleBatch(batch(4, report('E', 14))))).toEqual(['3:UPDATED']);
  });

  it('re-emits every unacknowledged version in order when a replay goes further than the lost batch', async () => {
    await stage.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12))); // lost
    const longerReplay = batch(0, report('A', 10), report('B', 11), report('C', 12), report('D', 13));
    expect(versionsIn(await stageOver(store).handleBatch(longerReplay))).toEqual(['1:FIRING', '2:UPDATED']); // lost again
    const third = stageOver(store);
    expect(versionsIn(await third.handleBatch(longerReplay))).toEqual(['1:FIRING', '2:UPDATED']);
    expect(versionsIn(await third.handleBatch(batch(4, report('E', 14))))).toEqual(['3:UPDATED']);
  });

  it('never numbers a new version when delivered batches are replayed (offsets not committed)', async () => {
    const first = batch(0, report('A', 10), report('B', 11), report('C', 12));
    const second = batch(3, report('D', 13));
    await stage.handleBatch(first);
    await stage.handleBatch(second);
    const restarted = stageOver(store);
    const replayed = [...(await restarted.handleBatch(first)), ...(await restarted.handleBatch(second))];
    expect(new Set(versionsIn(replayed))).toEqual(new Set(['2:UPDATED']));
  });

  it('retracts the alert when a retraction takes away what held its level', async () => {
    await stage.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12)));
    const retraction = report('C', 12, { revision: 2, status: 'RETRACTED', reportedAt: T0 + 20 * HOUR });
    const [retracted] = alertsIn(await stage.handleBatch(batch(3, retraction)));
    expect(retracted).toMatchObject({ version: 2, status: 'RETRACTED', level: 'LOW', score: 2 });
    expect(retracted?.contributingEventIds).toEqual(['ml-police:A', 'ml-police:B']);
  });

  it('withdraws an incident from a zone it left: a copy keyed by a zone its correlationKeys do not list is a retraction there', async () => {
    await stage.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12)));
    const moved = report('C', 12, { revision: 2, status: 'REVISED', reportedAt: T0 + 20 * HOUR });
    const withdrawal = { ...message(3, moved), value: codecs.enrichedIncident.encode({ ...enriched(moved), correlationKeys: ['SECTION:ML-SN-003'] }) };
    const outcomes = await stage.handleBatch([withdrawal]);
    const [retracted] = alertsIn(outcomes);
    expect(retracted).toMatchObject({ version: 2, status: 'RETRACTED', level: 'LOW', score: 2 });
    expect(retracted?.contributingEventIds).toEqual(['ml-police:A', 'ml-police:B']);
    expect(outcomes).toMatchObject([{ kind: 'emit', disposition: 'processed' }]);
    // A copy of an older revision is stale there, as it is in the zones the incident is in.
    expect(await stage.handleBatch([{ ...message(4, report('C', 12)), key: Buffer.from(FALEME) }])).toMatchObject([{ disposition: 'deduplicated' }]);
  });

  it('names who the evidence came from, and for AMBER_STRICT evidence the agencies every such report was released to', async () => {
    const strict = (id: string, hours: number, releasableTo: string[], agency = 'ml-police') => report(id, hours, { tlp: 'AMBER_STRICT', releasableTo, reportingAgency: agency });
    const clear = report('C', 12, { tlp: 'CLEAR' });
    const [fired] = alertsIn(await stage.handleBatch(batch(0, strict('A', 10, ['sn-police', 'mr-surete']), strict('B', 11, ['sn-police'], 'ml-gendarmerie'), clear)));
    expect(fired).toMatchObject({ tlp: 'AMBER_STRICT', sourceAgencies: ['ml-gendarmerie', 'ml-police'], releasableTo: ['sn-police'] });
    // A GREEN or AMBER report among them is the policy's to share: nobody is then released it by name.
    const [mixed] = alertsIn(await stageOver(new MemoryCorrelationStore()).handleBatch(batch(0, strict('A', 10, ['sn-police']), report('B', 11, { tlp: 'AMBER' }), report('C', 12))));
    expect(mixed).toMatchObject({ tlp: 'AMBER_STRICT', sourceAgencies: ['ml-police'], releasableTo: [] });
    // Without AMBER_STRICT evidence, nothing is restricted to named agencies.
    const [green] = alertsIn(await stageOver(new MemoryCorrelationStore()).handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12))));
    expect(green).toMatchObject({ tlp: 'GREEN', sourceAgencies: ['ml-police'], releasableTo: [] });
  });

  it('ends an alert with the TLP, source countries and agencies of the version it ends, however little evidence remains', async () => {
    const amber = (id: string, hours: number) => report(id, hours, { tlp: 'AMBER', sourceCountry: 'ML' });
    await stage.handleBatch(batch(0, amber('A', 10), amber('B', 11), amber('C', 12)));
    // A week later the window holds nothing: the end still says where the evidence came from, so
    // that the sharing rules reach the agencies they reached for the version it ends, not everyone
    // (with no source country, "from every source country" would hold for anyone).
    const later = report('Z', 10 + 24 * 7, { sourceCountry: 'SN', reportingAgency: 'sn-police' });
    const [resolved] = alertsIn(await stage.handleBatch(batch(3, later)));
    expect(resolved).toMatchObject({ status: 'RESOLVED', tlp: 'AMBER', contributingEventIds: [], distinctSourceCountries: ['ML'], sourceAgencies: ['ml-police'] });
  });

  it('routes an incident beyond the allowed lateness to incidents.late, unapplied, and routes it again on a replay', async () => {
    await stage.handleBatch(batch(0, report('A', 1000)));
    const tooOld = message(1, report('OLD', 1000 - 7 * 24 - 1));
    const late = { kind: 'emit', disposition: 'late', messages: [{ topic: TOPICS.late, key: FALEME, value: tooOld.value }] };
    expect(await stage.handleBatch([tooOld])).toEqual([late]);
    expect(store.size(0, FALEME)).toBe(1);
    expect(await stageOver(store).handleBatch([tooOld])).toEqual([late]);
  });

  it('dead-letters undecodable messages and malformed zone keys, and processes the rest', async () => {
    const messages = [
      message(0, report('A', 10)),
      { ...message(1, report('B', 11)), value: Buffer.from([0, 0, 0, 0, 2, 0xff]) },
      message(2, report('C', 12), 'NOWHERE'),
      { ...message(3, report('D', 13)), key: null },
      message(4, report('E', 14)),
    ];
    const outcomes = await stage.handleBatch(messages);
    expect(outcomes.map((o) => (o.kind === 'emit' ? o.disposition : o.failure.code))).toEqual([
      'processed',
      expect.stringMatching(/DECODE|SCHEMA/),
      'UNKNOWN_ZONE',
      'MISSING_KEY',
      'processed',
    ]);
    expect(store.size(0, FALEME)).toBe(2);
  });

  it('correlates a zone its reference does not know yet (a reference roll-out) under its id; a withdrawal that makes it names none of its countries', async () => {
    const NEW = 'HOTSPOT:HS-NOT-YET-KNOWN';
    const copy = (offset: number, r: ReturnType<typeof report>, keys: string[], country: string) => ({
      ...message(offset, r, NEW),
      value: codecs.enrichedIncident.encode({ ...enriched(r), correlationKeys: keys, geo: { ...enriched(r).geo, country, neighbourCountry: null } }),
    });
    // First a withdrawal (the incident moved to Ghana): it says nothing of the zone's countries.
    const [first] = await stage.handleBatch([copy(0, report('MOVED', 10, { revision: 2, status: 'REVISED' }), ['COUNTRY:GH'], 'GH')]);
    expect(first).toMatchObject({ kind: 'emit', disposition: 'processed' });
    expect(store.size(0, NEW)).toBe(1);
    const outcomes = await stage.handleBatch([1, 2, 3].map((n) => copy(n, report(`N${n}`, 10 + n), [NEW], 'ML')));
    expect(alertsIn(outcomes)[0]?.zone).toMatchObject({ kind: 'HOTSPOT', id: 'HS-NOT-YET-KNOWN', countries: [] });
  });

  it('keeps no state for zones no rule watches', async () => {
    const outcomes = await stage.handleBatch([message(0, report('A', 10), 'SECTION:ML-SN-003')]);
    expect(outcomes).toEqual([{ kind: 'emit', disposition: 'processed', messages: [] }]);
    expect(store.size(0, 'SECTION:ML-SN-003')).toBe(0);
  });

  it('holds at most its detail limit per zone, tells what it sealed, and routes reports that occurred before it to incidents.late', async () => {
    const sealed: number[] = [];
    const limited = stageOver(store, { zoneDetailLimit: 4, observer: { sealed: (n) => sealed.push(n) } });
    await limited.handleBatch(batch(0, ...[1, 2, 3, 4, 5, 6].map((h) => report(`E${h}`, 10 + h))));
    expect(sealed).toEqual([2]);
    expect(limited.heldIncidents()).toBe(4);
    expect(store.size(0, FALEME)).toBe(4);
    const outcomes = await limited.handleBatch(batch(6, report('OLD', 11.5), report('E7', 17)));
    expect(outcomes.map((o) => o.kind === 'emit' && o.disposition)).toEqual(['late', 'processed']);
    expect(outputsTo(TOPICS.late, outcomes)).toHaveLength(1);
  });

  it('fails the batch retriably when a zombie committed in between; the retry builds on the zombie’s state', async () => {
    await stage.handleBatch(batch(0, report('A', 10))); // this instance holds the partition in memory
    const zombie = stageOver(store);
    const next = batch(1, report('B', 11), report('C', 12));
    const [zombieVersion] = alertsIn(await zombie.handleBatch(next));
    const error = await stage.handleBatch(next).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(VigieError);
    expect(error).toMatchObject({ code: 'CORRELATION_CONFLICT', retriable: true });
    // The retry reloads: the zombie applied the batch, so it is a replay that re-emits the zombie's version.
    expect(alertsIn(await stage.handleBatch(next))).toEqual([zombieVersion]);
    expect(versionsIn(await stage.handleBatch(batch(3, report('D', 13))))).toEqual(['2:UPDATED']);
  });
});
