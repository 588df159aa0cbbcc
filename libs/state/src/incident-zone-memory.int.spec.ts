import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryIncidentZones, type RoutedRevision } from '@vigie/correlation';
import { createPrng } from '@vigie/runtime';
import { useRedisNamespace } from '@vigie/testing/vitest';
import { IncidentZoneMemory } from './incident-zone-memory';

describe('IncidentZoneMemory (real Redis)', () => {
  const namespace = useRedisNamespace('zones');
  const prefix = namespace.prefix;
  let redis: ReturnType<typeof namespace.redis>;
  beforeAll(() => {
    redis = namespace.redis();
  });

  it('answers what each incident held before, keeping the highest revision and every zone any revision was sent to', async () => {
    const memory = new IncidentZoneMemory(redis, 60, prefix);
    expect(await memory.remember([{ eventId: 'ml:1', revision: 1, zones: ['SECTION:ML-SN-003', 'COUNTRY:ML'] }])).toEqual([null]);
    // Two revisions of one incident and another incident in one call: each sees what the calls before it left.
    expect(
      await memory.remember([
        { eventId: 'ml:1', revision: 2, zones: ['HOTSPOT:HS-FALEME', 'COUNTRY:ML'] },
        { eventId: 'ml:2', revision: 1, zones: [] },
        { eventId: 'ml:1', revision: 3, zones: [] },
      ]),
    ).toEqual([
      { revision: 1, zones: ['SECTION:ML-SN-003', 'COUNTRY:ML'] },
      null,
      { revision: 2, zones: ['SECTION:ML-SN-003', 'COUNTRY:ML', 'HOTSPOT:HS-FALEME'] },
    ]);
    // A lower revision arriving late changes nothing; the same revision again adds its zones.
    expect(await memory.remember([{ eventId: 'ml:1', revision: 2, zones: ['ROUTE:R-9'] }])).toEqual([{ revision: 3, zones: ['SECTION:ML-SN-003', 'COUNTRY:ML', 'HOTSPOT:HS-FALEME'] }]);
    expect(await memory.remember([{ eventId: 'ml:1', revision: 3, zones: ['ROUTE:R 9, east'] }])).toEqual([{ revision: 3, zones: ['SECTION:ML-SN-003', 'COUNTRY:ML', 'HOTSPOT:HS-FALEME'] }]);
    expect(await memory.remember([{ eventId: 'ml:1', revision: 4, zones: [] }])).toEqual([
      { revision: 3, zones: ['SECTION:ML-SN-003', 'COUNTRY:ML', 'HOTSPOT:HS-FALEME', 'ROUTE:R 9, east'] },
    ]);
    expect(await memory.remember([{ eventId: 'ml:2', revision: 1, zones: [] }])).toEqual([{ revision: 1, zones: [] }]);
    expect(await redis.ttl(`${prefix}enricher:zones:ml:1`)).toBeGreaterThan(0);
  });

  it('takes a value it cannot read (another type, no revision) as nothing and replaces it, rather than failing every batch', async () => {
    const memory = new IncidentZoneMemory(redis, 60, prefix);
    await redis.hset(`${prefix}enricher:zones:ml:hash`, 'a', '1');
    await redis.set(`${prefix}enricher:zones:ml:text`, 'not a revision\nCOUNTRY:ML');
    expect(await memory.remember([
      { eventId: 'ml:hash', revision: 1, zones: ['COUNTRY:ML'] },
      { eventId: 'ml:text', revision: 1, zones: ['COUNTRY:SN'] },
    ])).toEqual([null, null]);
    expect(await memory.remember([{ eventId: 'ml:text', revision: 2, zones: [] }])).toEqual([{ revision: 1, zones: ['COUNTRY:SN'] }]);
  });

  it('keeps the time to live of what a lower revision finds: only an equal or higher one refreshes it', async () => {
    const memory = new IncidentZoneMemory(redis, 600, prefix);
    await memory.remember([{ eventId: 'ml:ttl', revision: 2, zones: ['COUNTRY:ML'] }]);
    await redis.expire(`${prefix}enricher:zones:ml:ttl`, 100);
    await memory.remember([{ eventId: 'ml:ttl', revision: 1, zones: ['COUNTRY:SN'] }]);
    expect(await redis.ttl(`${prefix}enricher:zones:ml:ttl`)).toBeLessThanOrEqual(100);
    await memory.remember([{ eventId: 'ml:ttl', revision: 2, zones: [] }]);
    expect(await redis.ttl(`${prefix}enricher:zones:ml:ttl`)).toBeGreaterThan(500);
  });

  it('sends the revisions of concurrent callers in one round trip, in call order, and calls of more than a thousand in several scripts', async () => {
    const memory = new IncidentZoneMemory(redis, 60, prefix);
    const many = Array.from({ length: 2_500 }, (_, i) => ({ eventId: `bf:${i % 1_200}`, revision: Math.floor(i / 1_200) + 1, zones: [`COUNTRY:BF`, `HOTSPOT:H${i}`] }));
    const [first, second] = await Promise.all([memory.remember(many.slice(0, 1_300)), memory.remember(many.slice(1_300))]);
    const answers = [...(first ?? []), ...(second ?? [])];
    expect(answers.slice(0, 1_200).every((a) => a === null)).toBe(true);
    // bf:0 (i = 1,200) saw revision 1 (i = 0); bf:100 again at i = 2,500 - 100 … up to revision 3.
    expect(answers[1_200]).toEqual({ revision: 1, zones: ['COUNTRY:BF', 'HOTSPOT:H0'] });
    expect(answers[2_400]).toEqual({ revision: 2, zones: ['COUNTRY:BF', 'HOTSPOT:H0', 'HOTSPOT:H1200'] });
  });

  it('remembers as rememberRevision of libs/correlation says, on revisions of many incidents in any order', async () => {
    const memory = new IncidentZoneMemory(redis, 60, `${prefix}random:`);
    const reference = new MemoryIncidentZones();
    const random = createPrng(11);
    const ZONES = ['COUNTRY:ML', 'COUNTRY:SN', 'SECTION:ML-SN-003', 'HOTSPOT:HS-FALEME', 'ROUTE:R-1'];
    const revisions: RoutedRevision[] = Array.from({ length: 400 }, () => ({
      eventId: `ml:${random.int(0, 11)}`,
      revision: random.int(1, 5),
      zones: ZONES.filter(() => random.chance(0.4)),
    }));
    for (let at = 0; at < revisions.length; at += 37) {
      const call = revisions.slice(at, at + 37);
      expect(await memory.remember(call)).toEqual(await reference.remember(call));
    }
  });
});
