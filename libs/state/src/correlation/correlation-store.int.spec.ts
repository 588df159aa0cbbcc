import {
  MemoryCorrelationStore,
  evaluateZone,
  lateBound,
  type AlertRecord,
  type CorrelationStore,
  type Rule,
  type WindowEvent,
  type ZoneApply,
  type ZoneCommit,
  type ZoneSnapshot,
} from '@vigie/correlation';
import type { ZoneKind } from '@vigie/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient } from '../redis-connection';
import { RedisCorrelationStore } from './redis-correlation-store';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:16379';
const RUN_PREFIX = `vigie:test:corr:${process.pid}-${Date.now()}:`;
const HOUR = 3_600_000;
// Not a round number: a watermark or offset that Lua reformatted (1.7e+12) would show.
const T0 = Date.parse('2025-05-01T00:00:00Z') + 123;
const HORIZON = (72 + 7 * 24) * HOUR;
const RULE: Rule = { id: 'surge', kind: 'threshold', description: '', windowMs: 72 * HOUR, categories: [], zoneKinds: [], levels: { LOW: 2, MEDIUM: 4 } };

let redis: RedisClient;
let testCount = 0;
/** A store under its own prefix per test, so tests never see each other's zones. */
const freshStore = (): { store: RedisCorrelationStore; prefix: string } => {
  const prefix = `${RUN_PREFIX}${++testCount}:`;
  return { store: new RedisCorrelationStore(redis, prefix), prefix };
};

const event = (eventId: string, hours: number, overrides: Partial<WindowEvent> = {}): WindowEvent => ({
  eventId,
  revision: 1,
  status: 'ACTIVE',
  occurredAt: T0 + hours * HOUR,
  reportedAt: T0 + hours * HOUR + 60_000,
  category: 'SMUGGLING',
  subCategory: 'FUEL',
  sourceCountry: 'ML',
  tlp: 'GREEN',
  ...overrides,
});

const apply = (zoneKey: string, partition: number, firstOffset: number, ...events: WindowEvent[]): ZoneApply => ({
  zoneKey,
  partition,
  horizonMs: HORIZON,
  entries: events.map((e, i) => ({ offset: firstOffset + i, event: e })),
});

/** What the correlator would commit after a snapshot: the rule's evaluation, evicting beyond the horizon. */
function commitFor(snapshot: ZoneSnapshot): ZoneCommit {
  const previous = snapshot.records.get(RULE.id) ?? null;
  const [kind, id] = snapshot.zoneKey.split(':') as [ZoneKind, string];
  const zone = { kind, id, name: id, countries: ['ML'] };
  const { state, alert } = evaluateZone({ zone, rule: RULE, events: snapshot.events, watermark: snapshot.watermark, previous: previous?.state ?? null, now: T0 });
  const rules = state && alert ? [{ ruleId: RULE.id, expectedVersion: previous?.state.version ?? 0, record: { state, outbox: { alerts: [alert], partition: 0, throughOffset: 7 } } }] : [];
  return { zoneKey: snapshot.zoneKey, rules, evictBefore: lateBound(snapshot.watermark, HORIZON) };
}

/** Snapshots in a comparable form: events sorted by id. */
const comparable = (snapshots: readonly ZoneSnapshot[]) =>
  snapshots.map((s) => ({ ...s, events: [...s.events].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)), records: Object.fromEntries(s.records) }));

/** Every key of the prefix with its full content, to show that a replay wrote nothing. */
async function dump(prefix: string): Promise<Record<string, unknown>> {
  const keys = (await redis.keys(`${prefix}*`)).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    out[key] = key.endsWith(':times') ? await redis.zrange(key, 0, -1, 'WITHSCORES') : await redis.hgetall(key);
  }
  return out;
}

async function applyAndCommit(store: CorrelationStore, zones: ZoneApply[]): Promise<ZoneSnapshot[]> {
  const snapshots = await store.apply(zones);
  expect(await store.commit(snapshots.map(commitFor))).toEqual(snapshots.map(() => true));
  return snapshots;
}

beforeAll(async () => {
  redis = createRedis(REDIS_URL);
  await redis.connect();
});

afterAll(async () => {
  const keys = await redis.keys(`${RUN_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('RedisCorrelationStore', () => {
  it('keeps a zone’s keys under one hash tag', () => {
    const { store, prefix } = freshStore();
    expect(store.keysOf('SECTION:ML-SN-003')).toEqual([
      `${prefix}{SECTION:ML-SN-003}:events`,
      `${prefix}{SECTION:ML-SN-003}:times`,
      `${prefix}{SECTION:ML-SN-003}:meta`,
    ]);
  });

  it('changes nothing when the same batch is applied and committed twice', async () => {
    const { store, prefix } = freshStore();
    const batch = [
      apply('HOTSPOT:HS-A', 0, 10, event('a', 1), event('b', 2), event('a', 1, { revision: 2, status: 'REVISED' })),
      apply('HOTSPOT:HS-B', 0, 13, event('c', 5), event('d', 6)),
    ];
    const first = await applyAndCommit(store, batch);
    expect(first.map((s) => s.statuses)).toEqual([['applied', 'applied', 'applied'], ['applied', 'applied']]);
    const before = await dump(prefix);

    const replay = await store.apply(batch);
    expect(replay.map((s) => s.statuses)).toEqual([['replayed', 'replayed', 'replayed'], ['replayed', 'replayed']]);
    // The replay sees the state the first pass committed, so evaluation finds nothing new to commit.
    expect(replay.map(commitFor).map((c) => c.rules)).toEqual([[], []]);
    expect(comparable(replay).map((s) => s.events)).toEqual(comparable(first).map((s) => s.events));
    expect(await dump(prefix)).toEqual(before);
  });

  it('behaves like the reference model (MemoryCorrelationStore) batch after batch', async () => {
    const { store } = freshStore();
    const model = new MemoryCorrelationStore();
    const batches: ZoneApply[][] = [
      [apply('HOTSPOT:HS-A', 0, 0, event('a', 10), event('b', 11)), apply('ROUTE:RT-X', 0, 2, event('x', 10))],
      [apply('HOTSPOT:HS-A', 0, 3, event('b', 11, { revision: 3, status: 'REVISED', tlp: 'RED' }), event('c', 12))],
      // an older revision after a newer one, a duplicate revision, a retraction
      [apply('HOTSPOT:HS-A', 0, 5, event('b', 11, { revision: 2, status: 'REVISED' }), event('c', 12), event('a', 10, { revision: 2, status: 'RETRACTED' }))],
      // a replay overlapping new entries, on another partition too
      [apply('HOTSPOT:HS-A', 0, 6, event('c', 12), event('d', 13), event('e', 14)), apply('ROUTE:RT-X', 1, 0, event('y', 11))],
      // the watermark jumps: 'old' is late, a, b, c, d, e are evicted, f stays
      [apply('HOTSPOT:HS-A', 0, 10, event('f', 400), event('old', 13), event('g', 410))],
      // a replay of the late entry is reported late again
      [apply('HOTSPOT:HS-A', 0, 11, event('old', 13))],
    ];
    for (const zones of batches) {
      const [actual, expected] = await Promise.all([store.apply(zones), model.apply(zones)]);
      expect(comparable(actual)).toEqual(comparable(expected));
      const commits = expected.map(commitFor);
      expect(await store.commit(commits)).toEqual(await model.commit(commits));
    }
    const [last] = await store.apply([apply('HOTSPOT:HS-A', 0, 11, event('old', 13))]);
    expect(last?.statuses).toEqual(['late']);
    expect(last?.events.map((e) => e.eventId).sort()).toEqual(['f', 'g']);
    expect(last?.watermark).toBe(T0 + 410 * HOUR);
  });

  it('refuses a commit whose expected version is stale, and writes nothing of that zone', async () => {
    const { store, prefix } = freshStore();
    const [snapshot] = await store.apply([apply('HOTSPOT:HS-A', 0, 0, event('a', 1), event('b', 2))]);
    const winner = commitFor(snapshot!);
    expect(winner.rules.map((r) => r.record.state.version)).toEqual([1]);
    expect(await store.commit([winner])).toEqual([true]);
    const before = await dump(prefix);

    const zombieRecord: AlertRecord = { ...(winner.rules[0]!.record), state: { ...winner.rules[0]!.record.state, level: 'MEDIUM' } };
    const zombie: ZoneCommit = { zoneKey: 'HOTSPOT:HS-A', rules: [{ ruleId: RULE.id, expectedVersion: 0, record: zombieRecord }], evictBefore: Number.MAX_SAFE_INTEGER };
    const [other] = await store.apply([apply('HOTSPOT:HS-B', 0, 2, event('c', 1), event('d', 2))]);
    // One pipeline, two zones: the stale one is refused, the other one is written.
    expect(await store.commit([zombie, commitFor(other!)])).toEqual([false, true]);
    const after = await dump(prefix);
    for (const key of Object.keys(before)) expect(after[key]).toEqual(before[key]);

    const [reread] = await store.apply([apply('HOTSPOT:HS-A', 0, 0, event('a', 1))]);
    expect(reread?.records.get(RULE.id)?.state).toMatchObject({ version: 1, level: 'LOW' });
    expect(reread?.records.get(RULE.id)?.outbox?.alerts[0]).toMatchObject({ alertId: 'surge:HOTSPOT:HS-A', version: 1, status: 'FIRING' });
  });

  it('bounds a zone’s state to its horizon however long the stream', async () => {
    const { store } = freshStore();
    const zoneKey = 'COUNTRY:ML';
    const [events, times, meta] = store.keysOf(zoneKey);
    const perBatch = 10;
    const stepHours = 6; // one incident every 6 h: the 240 h horizon holds at most 41
    const maxKept = Math.floor(HORIZON / (stepHours * HOUR)) + 1;
    for (let b = 0; b < 20; b++) {
      const batch = Array.from({ length: perBatch }, (_, i) => event(`e${b * perBatch + i}`, (b * perBatch + i) * stepHours));
      await applyAndCommit(store, [apply(zoneKey, 0, b * perBatch, ...batch)]);
      const kept = await redis.hlen(events);
      expect(await redis.zcard(times)).toBe(kept);
      expect(kept).toBe(Math.min((b + 1) * perBatch, maxKept));
    }
    expect(await redis.hget(meta, 'wm')).toBe(String(T0 + 199 * stepHours * HOUR));
    expect(await redis.hget(meta, 'off:0')).toBe('199');
  });
});
