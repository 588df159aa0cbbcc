import type { RegionalAlert, Silence } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { ReleaseSelection, releasedWatermark } from './release-selection';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const MIN = 60_000;
const NOW = T0 + 60 * MIN;

const silence = (silenceId: string, over: Partial<Silence>): Silence => ({ silenceId, zone: null, ruleId: null, startsAt: T0, endsAt: NOW - MIN, comment: '', ...over });

type Head = Pick<RegionalAlert, 'alertId' | 'version' | 'zone' | 'rule' | 'evaluatedAt'>;
const alert = (alertId: string, version: number, ruleId: string, zoneId: string, evaluatedAt: number): Head => ({
  alertId,
  version,
  zone: { kind: 'COUNTRY', id: zoneId, name: zoneId, countries: [zoneId] },
  rule: { id: ruleId, kind: 'threshold' },
  evaluatedAt,
});

/** Offers the versions in order (as one read of the topic would), each labelled `alertId@version`; no clock slack, so that bounds are exact. */
const select = (silences: Silence[], versions: Head[], current: Silence[] = silences) => {
  const selection = new ReleaseSelection<string>(silences, 0);
  for (const v of versions) selection.offer(v, `${v.alertId}@${v.version}`);
  const { counts, released } = selection.result(current, NOW);
  return { counts, items: released.map((r) => r.item) };
};

describe('ReleaseSelection: what one read of the alert topic releases for several silences', () => {
  // A silences rule r1 from T0; B silences zone GM from T0 + 20 min. `both` is covered by A and B.
  const a = silence('a', { ruleId: 'r1' });
  const b = silence('b', { zone: 'COUNTRY:GM', startsAt: T0 + 20 * MIN });

  it('selects for each silence the latest version of what it covers, evaluated since it began', () => {
    const versions = [
      alert('only-a', 1, 'r1', 'ML', T0 + MIN),
      alert('only-a', 2, 'r1', 'ML', T0 + 2 * MIN),
      // Covered by B, but evaluated before B began: B never held it.
      alert('gm-early', 1, 'r2', 'GM', T0 + 10 * MIN),
      alert('only-b', 1, 'r2', 'GM', T0 + 21 * MIN),
      alert('both', 1, 'r1', 'GM', T0 + 5 * MIN),
      alert('both', 2, 'r1', 'GM', T0 + 25 * MIN),
      alert('neither', 1, 'r2', 'ML', T0 + 30 * MIN),
      // Evaluated before A began.
      alert('before', 1, 'r1', 'ML', T0 - MIN),
    ];
    expect(select([a, b], versions)).toEqual({ counts: [2, 2], items: ['only-a@2', 'both@2', 'only-b@1'] });
    // Each silence alone selects the same as in the batch.
    expect(select([a], versions).items).toEqual(['only-a@2', 'both@2']);
    expect(select([b], versions).items).toEqual(['only-b@1', 'both@2']);
  });

  it('keeps one copy of an alert two silences select, at the later version, whichever silence selected it', () => {
    // A clock stepped back: version 3 carries an evaluatedAt before B began, so B selects version 2 and A version 3.
    const versions = [alert('both', 2, 'r1', 'GM', T0 + 25 * MIN), alert('both', 3, 'r1', 'GM', T0 + 15 * MIN)];
    expect(select([a, b], versions)).toEqual({ counts: [1, 1], items: ['both@3'] });
    expect(select([b, a], versions)).toEqual({ counts: [1, 1], items: ['both@3'] });
  });

  it('leaves out, for each silence, what another silence in force still holds; its own entry holds nothing', () => {
    const held = silence('still-on', { zone: 'COUNTRY:GM', startsAt: T0, endsAt: NOW + 60 * MIN });
    const versions = [alert('only-a', 1, 'r1', 'ML', T0 + MIN), alert('both', 1, 'r1', 'GM', T0 + 25 * MIN)];
    // `a` itself appears in force (as a shortened silence's previous entry could): it does not hold its own alerts.
    const aInForce = { ...a, endsAt: NOW + MIN };
    expect(select([a, b], versions, [aInForce, b, held])).toEqual({ counts: [1, 0], items: ['only-a@1'] });
    // It does hold them for the other silences of the batch, as for any silence in force.
    expect(select([a, b], versions, [aInForce, b])).toEqual({ counts: [2, 0], items: ['only-a@1', 'both@1'] });
  });

  it('does not leave out a version for another silence in force that began after it was evaluated (that one would never release it)', () => {
    const later = silence('later', { zone: 'COUNTRY:ML', startsAt: T0 + 30 * MIN, endsAt: NOW + 60 * MIN });
    const versions = [alert('early', 1, 'r1', 'ML', T0 + MIN), alert('late', 1, 'r1', 'ML', T0 + 35 * MIN)];
    expect(select([a], versions, [a, later])).toEqual({ counts: [1], items: ['early@1'] });
  });

  it('says when each released version\'s silence began, the earliest of those that selected that version', () => {
    const versions = [alert('both', 2, 'r1', 'GM', T0 + 25 * MIN), alert('only-b', 1, 'r2', 'GM', T0 + 21 * MIN)];
    for (const order of [[a, b], [b, a]]) {
      const selection = new ReleaseSelection<string>(order);
      for (const v of versions) selection.offer(v, `${v.alertId}@${v.version}`);
      expect(selection.result(order, NOW).released.map((r) => [r.item, r.heldSince])).toEqual([['both@2', T0], ['only-b@1', T0 + 20 * MIN]]);
    }
  });

  it('releases what its silence held without its watermark (news, however long the silence), and a version already beyond the ledger\'s reach when it began with it', () => {
    const DAY = 24 * 60 * MIN;
    const reach = 30 * DAY;
    const heldSince = T0;
    // Held by the silence (evaluated during it, or while the correlator lagged behind ingest): never delivered.
    expect(releasedWatermark(T0 + MIN, heldSince, reach)).toBeUndefined();
    expect(releasedWatermark(T0 - 2 * DAY, heldSince, reach)).toBeUndefined();
    expect(releasedWatermark(undefined, heldSince, reach)).toBeUndefined();
    // Beyond the reach already when the silence began: a version a rebuild re-published, judged by its watermark.
    expect(releasedWatermark(T0 - reach - 1, heldSince, reach)).toBe(T0 - reach - 1);
  });

  it('selects, with a clock slack, a version evaluated just before its silence began (dispatched, and held, just after)', () => {
    const justBefore = [alert('only-a', 1, 'r1', 'ML', T0 - 3 * MIN), alert('early', 1, 'r1', 'ML', T0 - 6 * MIN)];
    const selection = new ReleaseSelection<string>([a], 5 * MIN);
    for (const v of justBefore) selection.offer(v, `${v.alertId}@${v.version}`);
    expect(selection.result([a], NOW).released.map((r) => r.item)).toEqual(['only-a@1']);
  });

  it('treats two entries of one silence (its record replaced with another start, then ended) as two selections', () => {
    const first = silence('s', { ruleId: 'r1', startsAt: T0 + 30 * MIN });
    const later = { ...first, startsAt: T0, endsAt: NOW - 2 * MIN };
    const versions = [alert('x', 1, 'r1', 'ML', T0 + MIN), alert('y', 1, 'r1', 'ML', T0 + 40 * MIN)];
    expect(select([first, later], versions)).toEqual({ counts: [1, 2], items: ['y@1', 'x@1'] });
  });
});
