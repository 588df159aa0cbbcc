import type { RegionalAlert } from '@vigie/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { replayScenario, scenarioExpectations } from './testing/scenario-replay';

/**
 * The shipped rules on the bundled demo scenario, against what the scenario's design says
 * (test/demo/scenario/expected.json): the bursts fire and the quiet areas stay quiet.
 */
describe('the shipped rules on the demo scenario', () => {
  const expected = scenarioExpectations();
  const episode = (id: string) => expected.episodes.find((e) => e.id === id) as (typeof expected.episodes)[number];
  let alerts: RegionalAlert[];
  const versionsOf = (alertId: string) => alerts.filter((a) => a.alertId === alertId);
  const last = (alertId: string) => versionsOf(alertId).at(-1);

  beforeAll(async () => {
    alerts = await replayScenario();
  }, 120_000);

  it('fires the count threshold and cross-border corroboration on the Falémé burst, and drops the retracted report', () => {
    const burst = versionsOf('incident-burst-24h:HOTSPOT:HS-FALEME');
    expect(burst[0]?.status).toBe('FIRING');
    expect(burst.some((a) => a.level === 'CRITICAL' || a.level === 'HIGH')).toBe(true);
    const [retracted] = episode('faleme-burst').retracted;
    const listedAt = burst.findIndex((a) => a.contributingEventIds.includes(retracted as string));
    expect(listedAt).toBeGreaterThanOrEqual(0);
    expect(burst.slice(listedAt).some((a) => !a.contributingEventIds.includes(retracted as string))).toBe(true);
    expect(last('incident-burst-24h:HOTSPOT:HS-FALEME')?.contributingEventIds).not.toContain(retracted);
    expect(versionsOf('cross-border-corroboration-48h:HOTSPOT:HS-FALEME').some((a) => a.distinctSourceCountries.join() === 'ML,SN')).toBe(true);
  });

  it('fires on the Liptako-Gourma burst, corroborated by three countries, and resolves it once the zone is quiet', () => {
    expect(versionsOf('incident-burst-24h:HOTSPOT:HS-LIPTAKO-GOURMA')[0]?.status).toBe('FIRING');
    expect(last('incident-burst-24h:HOTSPOT:HS-LIPTAKO-GOURMA')?.status).toBe('RESOLVED');
    expect(versionsOf('cross-border-corroboration-48h:HOTSPOT:HS-LIPTAKO-GOURMA').some((a) => a.distinctSourceCountries.join() === 'BF,ML,NE')).toBe(true);
  });

  it('corroborates the Mali–Mauritania movement seen from both sides without reaching the count threshold', () => {
    expect(versionsOf('incident-burst-24h:HOTSPOT:HS-ML-MR-BORDER')).toEqual([]);
    expect(versionsOf('cross-border-corroboration-48h:HOTSPOT:HS-ML-MR-BORDER').some((a) => a.distinctSourceCountries.join() === 'ML,MR')).toBe(true);
  });

  it('reaches the count threshold only in the zones of the bursts', () => {
    const likely = expected.episodes.flatMap((e) => [...e.zoneKeys, ...e.alsoLikely]).map((k) => new RegExp(`^${(k.split(' ')[0] as string).replace('*', '.*')}$`));
    const zones = new Set(alerts.filter((a) => a.rule.id === 'incident-burst-24h').map((a) => `${a.zone.kind}:${a.zone.id}`));
    expect(zones.size).toBeGreaterThanOrEqual(2);
    for (const zone of zones) expect(likely.some((pattern) => pattern.test(zone)), zone).toBe(true);
  });

  it('keeps every alert small: at most 50 event ids listed', () => {
    expect(Math.max(...alerts.map((a) => a.contributingEventIds.length))).toBeLessThanOrEqual(50);
  });
});
