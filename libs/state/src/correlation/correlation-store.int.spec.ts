import { createCodecs, type RegionalAlert } from '@vigie/contracts';
import {
  MemoryCorrelationStore,
  PartitionRuntime,
  isWindowRule,
  parseRules,
  type BatchEntry,
  type CorrelationSettings,
  type CorrelationStore,
  type PartitionSnapshot,
  type SilentFeedRule,
  type WindowEvent,
  type WindowRule,
  type Zone,
} from '@vigie/correlation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient } from '../redis-connection';
import { RedisCorrelationStore } from './redis-correlation-store';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:16379';
const RUN_PREFIX = `vigie:test:corr:${process.pid}-${Date.now()}:`;
const HOUR = 3_600_000;
// Not a round number: a timestamp that Lua reformatted (1.7e+12) would show.
const T0 = Date.parse('2025-05-01T00:00:00Z') + 123;
const LATENESS = 7 * 24 * HOUR;
const RULES = parseRules({
  rules: [
    { id: 'surge', kind: 'threshold', window: '24h', dwell: '6h', levels: { LOW: 2, MEDIUM: 4 } },
    { id: 'corroborated', kind: 'corroboration', window: '24h', distinct: 'feeds', levels: { LOW: 2 } },
    { id: 'silent', kind: 'silent-feed', window: '14d', minGaps: 2, minRhythm: '1h', levels: { LOW: 3 } },
  ],
});
const ZONES = new Map<string, Zone>([
  ['HOTSPOT:HS-A', { kind: 'HOTSPOT', id: 'HS-A', name: 'A', countries: ['ML'] }],
  ['HOTSPOT:HS-B', { kind: 'HOTSPOT', id: 'HS-B', name: 'B', countries: ['ML'] }],
  ['COUNTRY:ML', { kind: 'COUNTRY', id: 'ML', name: 'Mali', countries: ['ML'] }],
]);

let redis: RedisClient;
let testCount = 0;
/** A store under its own prefix per test, so tests never see each other's state. */
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
  ingestedAt: T0 + hours * HOUR + 61_000,
  category: 'SMUGGLING',
  subCategory: 'FUEL',
  feedId: 'ml-police',
  sourceCountry: 'ML',
  tlp: 'GREEN',
  fatalities: 0,
  reliability: 'B',
  credibility: 2,
  side: 'ML',
  chainageKm: null,
  reportingAgency: 'ml-police',
  releasableTo: [],
  ...overrides,
});

const settings = {
  allowedLatenessMs: LATENESS,
  zoneOf: (key: string) => ZONES.get(key),
  rulesFor: (kind: string) => {
    const watching = RULES.filter((r) => r.zoneKinds.length === 0 || r.zoneKinds.includes(kind as Zone['kind']));
    return { window: watching.filter(isWindowRule) as WindowRule[], silence: watching.filter((r): r is SilentFeedRule => r.kind === 'silent-feed') };
  },
};

const entries = (first: number, ...copies: [string, WindowEvent][]): BatchEntry[] =>
  copies.map(([zoneKey, e], i) => ({ offset: first + i, incident: { zone: ZONES.get(zoneKey) as Zone, event: e } }));

/** One batch through a runtime loaded from `store` (as a freshly assigned correlator would), committed. */
async function runBatch(store: CorrelationStore, partition: number, batch: BatchEntry[], using: CorrelationSettings = settings): Promise<readonly RegionalAlert[]> {
  const runtime = new PartitionRuntime(partition, using, await store.load(partition));
  const result = runtime.correlate(batch, T0);
  if (result.commit) expect(await store.commit(result.commit)).toBe(true);
  return result.alerts;
}

const codecs = createCodecs();
/** Alerts as published: the outbox keeps their Avro message, which decodes with the schema's defaults filled in. */
const published = (alerts: readonly RegionalAlert[] | undefined) => alerts?.map((a) => codecs.regionalAlert.encode(a));

/** Snapshots in a comparable form: zones and their events sorted, the outbox's alerts as published. */
const comparable = (snapshot: PartitionSnapshot | null) =>
  snapshot && {
    ...snapshot,
    outbox: snapshot.outbox && { ...snapshot.outbox, alerts: published(snapshot.outbox.alerts) },
    zones: [...snapshot.zones]
      .sort((a, b) => (a.zoneKey < b.zoneKey ? -1 : 1))
      .map((z) => ({
        ...z,
        events: [...z.events].sort((a, b) => (a.eventId < b.eventId ? -1 : 1)),
        // sortedKeys: a cache, not state.
        sealed: [...z.sealed]
          .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.bucket - b.bucket))
          .map((s) => ({ ...s, sealed: { ...s.sealed, agg: { ...s.sealed.agg, sortedKeys: undefined } } })),
      })),
  };

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
  it('keeps a partition’s keys under one hash tag', () => {
    const { store, prefix } = freshStore();
    expect(store.keysOf(3)).toEqual([`${prefix}{p3}:meta`, `${prefix}{p3}:zones`, `${prefix}{p3}:events`, `${prefix}{p3}:sealed`, `${prefix}{p3}:alerts`]);
  });

  it('has nothing for a partition never committed', async () => {
    const { store } = freshStore();
    expect(await store.load(0)).toBeNull();
  });

  it('stores exactly what the reference model stores, batch after batch, and alerts identically', async () => {
    const { store } = freshStore();
    const model = new MemoryCorrelationStore();
    const batches: BatchEntry[][] = [
      entries(0, ['HOTSPOT:HS-A', event('a', 10)], ['HOTSPOT:HS-A', event('b', 11, { feedId: 'ml-gendarmerie' })], ['COUNTRY:ML', event('a', 10)]),
      // a revision (more restrictive TLP), a new incident in another zone, silent-feed arrivals
      entries(3, ['HOTSPOT:HS-A', event('b', 11, { revision: 2, status: 'REVISED', tlp: 'RED' })], ['HOTSPOT:HS-B', event('c', 12)], ['COUNTRY:ML', event('c', 14)]),
      // an older revision after a newer one, a retraction, more arrivals
      entries(6, ['HOTSPOT:HS-A', event('b', 11)], ['HOTSPOT:HS-A', event('a', 10, { revision: 2, status: 'RETRACTED' })], ['COUNTRY:ML', event('d', 18)], ['COUNTRY:ML', event('e', 21)]),
      // the watermark jumps: older incidents evicted, one beyond the lateness routed aside
      entries(10, ['HOTSPOT:HS-B', event('f', 400)], ['HOTSPOT:HS-A', event('old', 13)], ['HOTSPOT:HS-B', event('g', 410)], ['HOTSPOT:HS-A', event('h', 405)]),
    ];
    for (const batch of batches) {
      const [actual, expected] = await Promise.all([runBatch(store, 0, batch), runBatch(model, 0, batch)]);
      expect(actual).toEqual(expected);
      expect(comparable(await store.load(0))).toEqual(comparable(await model.load(0)));
    }
    const snapshot = await store.load(0);
    expect(snapshot).toMatchObject({ seq: 4, through: 13, watermark: T0 + 410 * HOUR });
    expect(snapshot?.zones.find((z) => z.zoneKey === 'HOTSPOT:HS-A')?.events.map((e) => e.eventId)).toEqual(['h']);
    expect(snapshot?.zones.find((z) => z.zoneKey === 'HOTSPOT:HS-B')?.events.map((e) => e.eventId).sort()).toEqual(['f', 'g']);
  });

  it('keeps a flooded zone to its detail limit: sealed buckets stored and reloaded as the reference model does', async () => {
    const { store, prefix } = freshStore();
    const model = new MemoryCorrelationStore();
    // Graded weights with a corroboration uplift: the sealed aggregates carry categories and sources too.
    const ruleSet = parseRules({
      rules: [
        { id: 'surge', kind: 'threshold', window: '24h', dwell: '6h', levels: { LOW: 2, MEDIUM: 4 } },
        { id: 'graded', kind: 'threshold', window: '48h', weights: { severity: true, grading: true }, levels: { LOW: 1 } },
        { id: 'corroborated', kind: 'corroboration', window: '24h', distinct: 'feeds', levels: { LOW: 2 } },
      ],
    });
    const limited: CorrelationSettings = { ...settings, zoneDetailLimit: 8, rulesFor: () => ({ window: ruleSet as WindowRule[], silence: [] }) };
    const feeds = ['ml-police', 'ml-gendarmerie', 'sn-police'];
    for (let b = 0; b < 6; b++) {
      const batch = Array.from({ length: 7 }, (_, i): [string, WindowEvent] => {
        const n = b * 7 + i;
        return ['HOTSPOT:HS-A', event(`e${n}`, n * 0.7, { feedId: feeds[n % 3] as string, sourceCountry: n % 3 === 2 ? 'SN' : 'ML', category: n % 4 ? 'SMUGGLING' : 'BATTLES', tlp: n === 1 ? 'RED' : 'GREEN' })];
      });
      const [actual, expected] = await Promise.all([runBatch(store, 0, entries(b * 7, ...batch), limited), runBatch(model, 0, entries(b * 7, ...batch), limited)]);
      expect(actual).toEqual(expected);
      expect(comparable(await store.load(0))).toEqual(comparable(await model.load(0)));
      expect(await redis.hlen(`${prefix}{p0}:events`)).toBeLessThanOrEqual(8);
    }
    const zone = (await store.load(0))?.zones.find((z) => z.zoneKey === 'HOTSPOT:HS-A');
    expect(zone?.record.sealedBefore).toBeGreaterThan(T0);
    expect(zone?.sealed.some((s) => s.ruleId === 'graded' && (s.sealed.agg.categories?.size ?? 0) > 0)).toBe(true);
    expect(zone?.sealed.reduce((n, s) => n + (s.ruleId === 'surge' ? s.sealed.agg.n : 0), 0)).toBe(42 - (zone?.events.length ?? 0));
  });

  it('keeps alert states apart from zone records and writes one only with a new version', async () => {
    const { store, prefix } = freshStore();
    const runtime = new PartitionRuntime(0, settings, await store.load(0));
    const commitBatch = async (batch: BatchEntry[]) => {
      const result = runtime.correlate(batch, T0);
      expect(await store.commit(result.commit!)).toBe(true);
      runtime.committed();
      return result.alerts.filter((a) => a.rule.id === 'surge');
    };
    const alerts = `${prefix}{p0}:alerts`;
    const field = 'HOTSPOT:HS-A|surge';
    const fired = (await commitBatch(entries(0, ['HOTSPOT:HS-A', event('a', 30)], ['HOTSPOT:HS-A', event('b', 31)]))).at(-1);
    expect(fired?.status).toBe('FIRING');
    const stored = (await redis.hget(alerts, field)) ?? 'null';
    expect(JSON.parse(stored)).toMatchObject({ alertId: fired?.alertId, version: fired?.version });
    expect(await redis.hget(`${prefix}{p0}:zones`, 'HOTSPOT:HS-A')).not.toContain(fired?.alertId);
    // A marker in place of the stored state shows whether a commit writes it again.
    const marker = JSON.stringify({ ...JSON.parse(stored), version: 999 });
    await redis.hset(alerts, field, marker);
    // An incident too old for the current window: the zone's record changes, its alert does not.
    expect(await commitBatch(entries(2, ['HOTSPOT:HS-A', event('old', 2)]))).toEqual([]);
    expect(await redis.hget(alerts, field)).toBe(marker);
    expect((await store.load(0))?.zones.find((z) => z.zoneKey === 'HOTSPOT:HS-A')?.record.rules['surge']?.alert?.version).toBe(999);
    // New versions are written.
    const updated = (await commitBatch(entries(3, ['HOTSPOT:HS-A', event('c', 32)], ['HOTSPOT:HS-A', event('d', 32.5)]))).at(-1);
    expect(updated?.version).toBeGreaterThan(fired?.version ?? Infinity);
    expect(JSON.parse((await redis.hget(alerts, field)) ?? 'null')).toMatchObject({ version: updated?.version, level: updated?.level });
  });

  it('reads alert states a zone record still holds inline (written before they were kept apart) and moves them out at its next commit', async () => {
    const { store, prefix } = freshStore();
    await runBatch(store, 0, entries(0, ['HOTSPOT:HS-A', event('a', 30)], ['HOTSPOT:HS-A', event('b', 31)]));
    const zones = `${prefix}{p0}:zones`;
    const alerts = `${prefix}{p0}:alerts`;
    const field = 'HOTSPOT:HS-A|surge';
    // The earlier layout: the alert inside the zone record, no alerts hash.
    const alert = JSON.parse((await redis.hget(alerts, field)) ?? 'null') as { version: number };
    const record = JSON.parse((await redis.hget(zones, 'HOTSPOT:HS-A')) ?? '{}') as { rules: Record<string, { alert: unknown }> };
    (record.rules['surge'] as { alert: unknown }).alert = alert;
    await redis.hset(zones, 'HOTSPOT:HS-A', JSON.stringify(record));
    await redis.del(alerts);
    expect((await store.load(0))?.zones.find((z) => z.zoneKey === 'HOTSPOT:HS-A')?.record.rules['surge']?.alert).toEqual(alert);
    // Any batch touching the zone writes its alerts apart; the version goes on from the stored one.
    const next = (await runBatch(store, 0, entries(2, ['HOTSPOT:HS-A', event('c', 32)]))).filter((a) => a.rule.id === 'surge');
    expect(next.at(-1)?.version).toBe(alert.version + 1);
    expect(JSON.parse((await redis.hget(alerts, field)) ?? 'null')).toMatchObject({ version: alert.version + 1 });
    expect(await redis.hget(zones, 'HOTSPOT:HS-A')).not.toContain('"alertId"');
  });

  it('keeps the outbox’s alerts as their Avro message in binary, and reads the outboxes earlier versions wrote as JSON', async () => {
    const { store, prefix } = freshStore();
    const fired = await runBatch(store, 0, entries(0, ['HOTSPOT:HS-A', event('a', 30)], ['HOTSPOT:HS-A', event('b', 31)]));
    expect(fired.length).toBeGreaterThan(0);
    const meta = `${prefix}{p0}:meta`;
    const stored = (await redis.hgetBuffer(meta, 'outboxBinary')) ?? Buffer.alloc(0);
    // Each alert's very bytes, as the stage publishes them, end to end after a header.
    for (const alert of fired) expect(stored.includes(codecs.regionalAlert.encode(alert))).toBe(true);
    const outbox = (await store.load(0))?.outbox;
    expect(published(outbox?.alerts)).toEqual(published(fired));
    // Each alert's arrival watermark is kept beside it.
    expect(outbox?.arrivals).toHaveLength(fired.length);
    expect(outbox?.arrivals.every((a) => typeof a === 'number' && a > 0)).toBe(true);
    // An older correlator, committing after this one (a rolling upgrade), writes `outbox` as JSON, each
    // alert its Avro message in base64, and leaves `outboxBinary` behind: its outbox is the latest.
    const base64 = { ...outbox, alerts: fired.map((a) => codecs.regionalAlert.encode(a).toString('base64')) };
    await redis.hset(meta, 'outbox', JSON.stringify(base64), 'outboxBinary', Buffer.from([1, 0, 0, 0, 2, 0x7b, 0x7d]));
    expect(stored.length).toBeLessThan(JSON.stringify(base64).length);
    expect((await store.load(0))?.outbox).toEqual(outbox);
    // Older still: every alert as JSON; and before arrivals were kept, none. An empty `outbox`: none at all.
    const earlier = { ...outbox, alerts: fired };
    await redis.hset(meta, 'outbox', JSON.stringify(earlier));
    expect((await store.load(0))?.outbox).toEqual(earlier);
    const { arrivals: _kept, ...beforeArrivals } = earlier;
    await redis.hset(meta, 'outbox', JSON.stringify(beforeArrivals));
    expect((await store.load(0))?.outbox?.arrivals).toEqual(fired.map(() => null));
    await redis.hset(meta, 'outbox', '');
    expect((await store.load(0))?.outbox).toBeNull();
    // This version's next commit writes it in binary again, and deletes the field an older correlator reads as JSON.
    await redis.hset(meta, 'outbox', JSON.stringify(base64));
    await runBatch(store, 0, entries(2, ['HOTSPOT:HS-A', event('c', 32)]));
    expect(await redis.hexists(meta, 'outbox')).toBe(0);
    expect((await redis.hgetBuffer(meta, 'outboxBinary'))?.[0]).toBe(1);
  });

  it('keeps the input partition waiting, not its messages dead-lettered, when its stored state is unreadable', async () => {
    const { store, prefix } = freshStore();
    await runBatch(store, 0, entries(0, ['HOTSPOT:HS-A', event('a', 30)], ['HOTSPOT:HS-A', event('b', 31)]));
    const meta = `${prefix}{p0}:meta`;
    const stored = (await redis.hgetBuffer(meta, 'outboxBinary')) as Buffer;
    const header = JSON.stringify({ partition: 0, throughOffset: 1, arrivals: [], sizes: [stored.length] });
    const corrupt = [
      stored.subarray(0, stored.length - 1), // truncated
      Buffer.concat([Buffer.from([9]), stored.subarray(1)]), // unknown format
      Buffer.concat([Buffer.from([1, 0, 0, 0, header.length]), Buffer.from(header), Buffer.alloc(stored.length)]), // arrivals do not match
    ];
    for (const payload of corrupt) {
      await redis.hset(meta, 'outboxBinary', payload);
      await expect(store.load(0)).rejects.toMatchObject({ code: 'CORRUPT_STATE', retriable: true });
    }
    for (const json of ['{"alerts": [', '{}']) {
      await redis.hset(meta, 'outbox', json);
      await expect(store.load(0)).rejects.toMatchObject({ code: 'CORRUPT_STATE', retriable: true });
    }
    // Any other part of the state as well, with the keys to look at.
    await redis.hdel(meta, 'outbox', 'outboxBinary');
    await expect(store.load(0)).resolves.toMatchObject({ outbox: null });
    await redis.hset(`${prefix}{p0}:zones`, 'HOTSPOT:HS-A', '{"clock": ');
    await expect(store.load(0)).rejects.toMatchObject({ code: 'CORRUPT_STATE', retriable: true, message: expect.stringContaining(`${prefix}{p0}:zones`) });
  });

  it('deletes the stored alert of a rule no longer configured, so that the rule, added again, fires afresh', async () => {
    const { store, prefix } = freshStore();
    const without: CorrelationSettings = { ...settings, rulesFor: (kind) => { const r = settings.rulesFor(kind); return { ...r, window: r.window.filter((w) => w.id !== 'surge') }; } };
    const surgeOf = (alerts: readonly RegionalAlert[]) => alerts.filter((a) => a.rule.id === 'surge').map((a) => `${a.version}:${a.status}`);
    expect(surgeOf(await runBatch(store, 0, entries(0, ['HOTSPOT:HS-A', event('a', 30)], ['HOTSPOT:HS-A', event('b', 31)])))).toEqual(['1:FIRING']);
    await runBatch(store, 0, entries(2, ['HOTSPOT:HS-A', event('c', 32)]), without);
    expect(await redis.hget(`${prefix}{p0}:alerts`, 'HOTSPOT:HS-A|surge')).toBeNull();
    expect(await redis.hget(`${prefix}{p0}:alerts`, 'HOTSPOT:HS-A|corroborated')).not.toBeNull();
    // Back, long after: a new episode, from version 1 (each batch on a reloaded runtime).
    await runBatch(store, 0, entries(3, ['HOTSPOT:HS-A', event('d', 300)]));
    expect(surgeOf(await runBatch(store, 0, entries(4, ['HOTSPOT:HS-A', event('e', 301)])))).toEqual(['1:FIRING']);
  });

  it('refuses a commit whose expected seq is stale and writes nothing of it', async () => {
    const { store, prefix } = freshStore();
    await runBatch(store, 0, entries(0, ['HOTSPOT:HS-A', event('a', 1)], ['HOTSPOT:HS-A', event('b', 2)]));
    const dump = async () => ({ meta: await redis.hgetall(`${prefix}{p0}:meta`), zones: await redis.hgetall(`${prefix}{p0}:zones`), events: await redis.hgetall(`${prefix}{p0}:events`) });
    const before = await dump();
    const zombie = new PartitionRuntime(0, settings, null); // believes the partition is new
    const result = zombie.correlate(entries(0, ['HOTSPOT:HS-B', event('z', 3)]), T0);
    expect(await store.commit(result.commit!)).toBe(false);
    expect(await dump()).toEqual(before);
  });

  it('commits a batch larger than one Lua call can unpack at once', async () => {
    const { store } = freshStore();
    const many = Array.from({ length: 1_500 }, (_, i): [string, WindowEvent] => [i % 2 ? 'HOTSPOT:HS-A' : 'HOTSPOT:HS-B', event(`e${i}`, i / 100)]);
    await runBatch(store, 0, entries(0, ...many));
    const snapshot = await store.load(0);
    expect(snapshot?.zones.reduce((n, z) => n + z.events.length, 0)).toBe(1_500);
    expect(snapshot?.through).toBe(1_499);
  });

  it('makes one round trip per call', async () => {
    const { store } = freshStore();
    await runBatch(store, 0, entries(0, ['HOTSPOT:HS-A', event('a', 1)]));
    await runBatch(store, 0, entries(1, ['HOTSPOT:HS-A', event('b', 2)], ['HOTSPOT:HS-B', event('c', 2)]));
    expect(store.roundTrips).toBe(4); // two loads, two commits
  });

  it('bounds a zone’s state to the lateness and window however long the stream', async () => {
    const { store, prefix } = freshStore();
    const stepHours = 6; // one incident every 6 h: 7 d of lateness + 24 h window + 6 h dwell + 1 h ≈ 35 incidents
    let kept = 0;
    for (let b = 0; b < 20; b++) {
      const batch = Array.from({ length: 10 }, (_, i): [string, WindowEvent] => ['HOTSPOT:HS-A', event(`e${b * 10 + i}`, (b * 10 + i) * stepHours)]);
      await runBatch(store, 0, entries(b * 10, ...batch));
      kept = await redis.hlen(`${prefix}{p0}:events`);
      expect(kept).toBeLessThanOrEqual(Math.ceil((LATENESS + 31 * HOUR) / (stepHours * HOUR)) + 4 + 1);
    }
    expect(kept).toBeGreaterThan(20);
    expect(await redis.hget(`${prefix}{p0}:meta`, 'wm')).toBe(String(T0 + 199 * stepHours * HOUR));
  });
});
