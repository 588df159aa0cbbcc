import { TOPICS, VigieError } from '@vigie/contracts';
import { MemoryCorrelationStore, type CorrelationStore, type ZoneApply, type ZoneCommit } from '@vigie/correlation';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CorrelatorStage } from './correlator.stage';
import { FALEME, HOUR, NOW, T0, alertsIn, batch, message, report, stageOver, versionsIn } from './testing/correlator-fixtures';

describe('CorrelatorStage', () => {
  let store: MemoryCorrelationStore;
  let stage: CorrelatorStage;

  beforeEach(() => {
    store = new MemoryCorrelationStore();
    stage = stageOver(store);
  });

  it('fires an alert keyed by its id when a zone reaches the threshold', async () => {
    const outcomes = await stage.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12)));
    const [alert] = alertsIn(outcomes);
    expect(alertsIn(outcomes)).toHaveLength(1);
    expect(alert).toMatchObject({ alertId: 'surge:HOTSPOT:HS-FALEME', version: 1, status: 'FIRING', level: 'LOW', score: 3, evaluatedAt: NOW });
    expect(alert?.contributingEventIds).toEqual(['ml-police:A', 'ml-police:B', 'ml-police:C']);
    expect(outcomes.map((o) => o.kind === 'emit' && o.disposition)).toEqual(['processed', 'processed', 'processed']);
    // The alert travels with the zone's last message, so its offset is resolved only once the alert is sent.
    expect(outcomes[2]?.kind === 'emit' && outcomes[2].messages.length).toBe(1);
  });

  it('re-emits a committed version whose publication was lost, without numbering a new one', async () => {
    const first = batch(0, report('A', 10), report('B', 11), report('C', 12));
    const [fired] = alertsIn(await stage.handleBatch(first)); // SIGKILL: these outputs never reach Kafka
    const replay = await stage.handleBatch(first);
    expect(alertsIn(replay)).toEqual([fired]);
    expect(replay.map((o) => o.kind === 'emit' && o.disposition)).toEqual(['deduplicated', 'deduplicated', 'deduplicated']);
    // A second crash during the replay: still there.
    expect(alertsIn(await stage.handleBatch(first))).toEqual([fired]);
    // The next batch proves the replay's outputs were acknowledged: only its own version goes out.
    expect(versionsIn(await stage.handleBatch(batch(3, report('D', 13))))).toEqual(['2:UPDATED']);
    expect(versionsIn(await stage.handleBatch(batch(4, report('E', 14))))).toEqual(['3:UPDATED']);
  });

  it('re-emits every unacknowledged version in order when a replay goes further than the lost batch', async () => {
    await stage.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12))); // lost
    const longerReplay = batch(0, report('A', 10), report('B', 11), report('C', 12), report('D', 13));
    expect(versionsIn(await stage.handleBatch(longerReplay))).toEqual(['1:FIRING', '2:UPDATED']); // lost again
    expect(versionsIn(await stage.handleBatch(longerReplay))).toEqual(['1:FIRING', '2:UPDATED']);
    expect(versionsIn(await stage.handleBatch(batch(4, report('E', 14))))).toEqual(['3:UPDATED']);
  });

  it('never numbers a new version when delivered batches are replayed (offsets not committed)', async () => {
    const first = batch(0, report('A', 10), report('B', 11), report('C', 12));
    const second = batch(3, report('D', 13));
    await stage.handleBatch(first);
    await stage.handleBatch(second);
    const replayed = [...(await stage.handleBatch(first)), ...(await stage.handleBatch(second))];
    expect(new Set(versionsIn(replayed))).toEqual(new Set(['2:UPDATED']));
  });

  it('resolves the alert when retractions bring the zone below LOW', async () => {
    await stage.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12)));
    const retraction = report('C', 12, { revision: 2, status: 'RETRACTED', reportedAt: T0 + 20 * HOUR });
    const [resolved] = alertsIn(await stage.handleBatch(batch(3, retraction)));
    expect(resolved).toMatchObject({ version: 2, status: 'RESOLVED', score: 2, latestReportedAt: T0 + 20 * HOUR });
  });

  it('routes an incident beyond the allowed lateness to incidents.late, unapplied', async () => {
    await stage.handleBatch(batch(0, report('A', 1000)));
    const tooOld = message(1, report('OLD', 1000 - 72 - 7 * 24 - 1));
    const outcomes = await stage.handleBatch([tooOld]);
    expect(outcomes).toEqual([{ kind: 'emit', disposition: 'late', messages: [{ topic: TOPICS.late, key: FALEME, value: tooOld.value }] }]);
    expect(store.size(FALEME)).toBe(1);
  });

  it('dead-letters undecodable messages and unknown zones, and processes the rest', async () => {
    const messages = [
      message(0, report('A', 10)),
      { ...message(1, report('B', 11)), value: Buffer.from([0, 0, 0, 0, 2, 0xff]) },
      message(2, report('C', 12), 'HOTSPOT:NOWHERE'),
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
    expect(store.size(FALEME)).toBe(2);
  });

  it('keeps no state for zones no rule watches', async () => {
    const outcomes = await stage.handleBatch([message(0, report('A', 10), 'SECTION:ML-SN-003')]);
    expect(outcomes).toEqual([{ kind: 'emit', disposition: 'processed', messages: [] }]);
    expect(store.size('SECTION:ML-SN-003')).toBe(0);
  });

  it('fails the batch retriably when a zombie moved the alert in between; the retry builds on the zombie’s version', async () => {
    // The zombie commits between this instance's apply and commit.
    const zombie = stageOver(store);
    let interleave: (() => Promise<unknown>) | null = () => zombie.handleBatch(batch(0, report('A', 10), report('B', 11), report('C', 12)));
    const racing: CorrelationStore = {
      apply: async (zones: readonly ZoneApply[]) => {
        const snapshots = await store.apply(zones);
        const run = interleave;
        interleave = null;
        if (run) await run();
        return snapshots;
      },
      commit: (zones: readonly ZoneCommit[]) => store.commit(zones),
    };
    const loser = stageOver(racing);
    const mine = batch(0, report('A', 10), report('B', 11), report('C', 12), report('D', 13));
    const error = await loser.handleBatch(mine).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(VigieError);
    expect(error).toMatchObject({ code: 'CORRELATION_CONFLICT', retriable: true });
    // The zombie's version 1 already counts D (applied by this instance before the race), so the
    // retry adds no version: it re-emits version 1, which no batch has yet proven delivered.
    const retried = alertsIn(await loser.handleBatch(mine));
    expect(retried.map((a) => [a.version, a.status, a.contributingEventIds.length])).toEqual([[1, 'FIRING', 4]]);
  });
});
