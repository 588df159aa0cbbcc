import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIncidentJson } from '@vigie/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { PLACES } from '../../../libs/testing/src/fixtures';
import { EXPECTED_FILE, generateScenario, INCIDENTS_FILE, main, SCENARIO_BASE, shiftScenario } from './generate';

const HOUR_MS = 3_600_000;
const fileLines = readFileSync(join(__dirname, INCIDENTS_FILE), 'utf8').trimEnd().split('\n');
const expected = JSON.parse(readFileSync(join(__dirname, EXPECTED_FILE), 'utf8'));

interface Valid {
  line: number;
  eventId: string;
  feedId: string;
  country: string;
  status: string;
  revision: number;
  occurredAt: number;
  reportedAt: number;
  lat: number;
  lon: number;
  tlp: string;
  timePrecision: string;
  geoPrecision: number;
}
type Checked = { line: number; feedId: string; codes: string[]; valid?: Valid };

/** Reads each line as ingest would: JSON, then libs/contracts validation at the given time. */
function check(lines: readonly string[], now: number): Checked[] {
  return lines.map((text, i) => {
    const feedId = /"feedId":"([^"]+)"|;([a-z]{2}-[a-z-]+);/.exec(text)?.slice(1).find(Boolean) ?? '?';
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      return { line: i + 1, feedId, codes: ['INVALID_JSON'] };
    }
    const parsed = parseIncidentJson(input, { now });
    if (!parsed.ok) return { line: i + 1, feedId, codes: parsed.issues.map((x) => x.code) };
    const r = parsed.report;
    return {
      line: i + 1, feedId, codes: [],
      valid: {
        line: i + 1, eventId: r.eventId, feedId: r.feedId, country: r.sourceCountry, status: r.status, revision: r.revision,
        occurredAt: r.occurredAt, reportedAt: r.reportedAt, lat: r.location.lat, lon: r.location.lon, tlp: r.tlp,
        timePrecision: r.timePrecision, geoPrecision: r.location.geoPrecision,
      },
    };
  });
}

const checked = check(fileLines, SCENARIO_BASE);
const valid = checked.flatMap((c) => (c.valid ? [c.valid] : []));
const retracted = new Set(valid.filter((v) => v.status === 'RETRACTED').map((v) => v.eventId));
/** One entry per event (its latest revision), retracted events left out: what should be counted. */
const liveEvents = [...new Map(valid.map((v) => [v.eventId, v])).values()].filter((v) => !retracted.has(v.eventId));

const inBox = (v: Valid, box: Box): boolean =>
  v.lat >= box.lat[0] && v.lat <= box.lat[1] && v.lon >= box.lon[0] && v.lon <= box.lon[1];
/** Most events whose occurredAt falls in one closed 24 h window. */
const maxIn24h = (events: readonly Valid[]): number => {
  const times = events.map((e) => e.occurredAt).sort((a, b) => a - b);
  return times.reduce((best, t) => Math.max(best, times.filter((u) => u >= t && u <= t + 24 * HOUR_MS).length), 0);
};
const episode = (id: string) => expected.episodes.find((e: { id: string }) => e.id === id);
const during = (id: string) => {
  const { from, to } = episode(id).window;
  return liveEvents.filter((v) => v.occurredAt >= Date.parse(from) && v.occurredAt <= Date.parse(to));
};

// Boxes from the map, independent of the generator's gazetteer.
type Box = { lat: [number, number]; lon: [number, number] };
const FALEME_BOX: Box = { lat: [12.3, 15.0], lon: [-12.6, -10.9] };
const LIPTAKO_BOX: Box = { lat: [13.3, 16.1], lon: [-2.0, 3.5] };
const ML_MR_BOX: Box = { lat: [15.0, 16.8], lon: [-10.7, -4.8] };

describe('demo scenario generator', () => {
  const out = mkdtempSync(join(tmpdir(), 'vigie-scenario-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('regenerates the checked-in files byte for byte', () => {
    main(['--out', out]);
    expect(readFileSync(join(out, INCIDENTS_FILE), 'utf8')).toBe(readFileSync(join(__dirname, INCIDENTS_FILE), 'utf8'));
    expect(readFileSync(join(out, EXPECTED_FILE), 'utf8')).toBe(readFileSync(join(__dirname, EXPECTED_FILE), 'utf8'));
  });

  it('gives another scenario for another seed', () => {
    const other = generateScenario({ seed: 1 }).lines.map((l) => l.text);
    expect(other.join('\n')).not.toBe(fileLines.join('\n'));
  });
});

describe('the bundled scenario (incidents.ndjson)', () => {
  it('has a few hundred lines, as expected.json says', () => {
    expect(fileLines.length).toBeGreaterThanOrEqual(250);
    expect(fileLines.length).toBeLessThanOrEqual(350);
    expect(expected.lines).toEqual({ total: fileLines.length, valid: valid.length, malformed: fileLines.length - valid.length });
  });

  it('has exactly the malformed lines expected.json lists, each rejected with its code', () => {
    const listed = Object.values(expected.malformed.byProblem as Record<string, { expectedCode: string; lines: number[] }>).flatMap((p) =>
      p.lines.map((line) => ({ line, code: p.expectedCode })),
    );
    expect(listed.length).toBeGreaterThanOrEqual(11);
    expect(new Set(listed.map((l) => l.line))).toEqual(new Set(checked.filter((c) => !c.valid).map((c) => c.line)));
    for (const { line, code } of listed) expect(checked[line - 1]?.codes).toContain(code);
  });

  it('matches the per-feed counts of expected.json', () => {
    const feeds = new Set(checked.map((c) => c.feedId));
    expect(feeds).toEqual(new Set(Object.keys(expected.perFeed)));
    for (const feed of feeds) {
      const mine = checked.filter((c) => c.feedId === feed);
      const counts = expected.perFeed[feed];
      expect({ lines: mine.length, valid: mine.filter((c) => c.valid).length }).toEqual({ lines: counts.lines, valid: counts.valid });
      expect(mine.filter((c) => c.valid?.status === 'RETRACTED').length).toBe(counts.retractions);
      expect(mine.filter((c) => c.valid?.status === 'REVISED').length).toBe(counts.revisions);
    }
  });

  it('is in the order the feeds sent it', () => {
    const sent = valid.map((v) => v.reportedAt);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(Math.max(...sent)).toBeLessThan(SCENARIO_BASE);
  });

  it('has late reports, revisions of earlier reports and one retraction', () => {
    const late = valid.filter((v) => v.revision === 1 && v.reportedAt - v.occurredAt > 48 * HOUR_MS);
    expect(late.length).toBe(expected.valid.late.count);
    expect(late.length).toBeGreaterThanOrEqual(8);
    const updates = valid.filter((v) => v.revision > 1);
    expect(updates.filter((v) => v.status === 'RETRACTED')).toHaveLength(1);
    expect(updates.filter((v) => v.status === 'REVISED').length).toBeGreaterThanOrEqual(3);
    for (const u of updates) {
      const original = valid.find((v) => v.eventId === u.eventId && v.revision === 1);
      expect(original, u.eventId).toBeDefined();
      expect(original!.line).toBeLessThan(u.line);
    }
    expect(new Set(valid.filter((v) => v.revision === 1).map((v) => v.eventId)).size).toBe(valid.filter((v) => v.revision === 1).length);
  });

  it('mixes markings and precisions, mostly GREEN and AMBER', () => {
    const firsts = valid.filter((v) => v.revision === 1);
    const share = (tlps: string[]): number => firsts.filter((v) => tlps.includes(v.tlp)).length / firsts.length;
    expect(share(['GREEN', 'AMBER'])).toBeGreaterThan(0.8);
    for (const tlp of ['CLEAR', 'RED', 'AMBER_STRICT']) expect(firsts.some((v) => v.tlp === tlp), tlp).toBe(true);
    expect(new Set(firsts.map((v) => v.timePrecision))).toEqual(new Set(['EXACT', 'HOUR', 'DAY', 'WEEK', 'MONTH']));
    expect(new Set(firsts.map((v) => v.geoPrecision))).toEqual(new Set([1, 2, 3]));
  });

  it('has a Falémé burst: ≥ 5 live incidents in 24 h on the Mali–Senegal border, from ml-police and sn-police', () => {
    const burst = during('faleme-burst').filter((v) => inBox(v, FALEME_BOX));
    expect(maxIn24h(burst)).toBeGreaterThanOrEqual(10);
    expect(new Set(burst.map((v) => v.feedId))).toEqual(new Set(['ml-police', 'sn-police', 'ml-gendarmerie']));
    expect(burst.filter((v) => v.feedId === 'ml-police').length).toBeGreaterThanOrEqual(2);
    expect(burst.filter((v) => v.feedId === 'sn-police').length).toBeGreaterThanOrEqual(2);
  });

  it('has a Liptako-Gourma burst reported by Mali, Niger and Burkina Faso', () => {
    const burst = during('liptako-burst').filter((v) => inBox(v, LIPTAKO_BOX));
    expect(maxIn24h(burst)).toBeGreaterThanOrEqual(10);
    expect(new Set(burst.map((v) => v.country))).toEqual(new Set(['ML', 'NE', 'BF']));
    expect(burst.some((v) => v.feedId.startsWith('ml-') && v.feedId !== 'ml-police')).toBe(true);
  });

  it('has a Mali–Mauritania episode seen from both sides but below 5 in 24 h', () => {
    const seen = during('ml-mr-movement').filter((v) => inBox(v, ML_MR_BOX));
    expect(seen.length).toBe(5);
    expect(new Set(seen.map((v) => v.country))).toEqual(new Set(['ML', 'MR']));
    expect(maxIn24h(liveEvents.filter((v) => inBox(v, ML_MR_BOX)))).toBeLessThan(5);
  });

  it('is quiet elsewhere: outside the episodes, at most 2 incidents per area in any 24 h', () => {
    const areaAt = new Map(PLACES.map((p) => [`${p.lat},${p.lon}`, p.area]));
    const margin = 24 * HOUR_MS;
    const spans = expected.episodes.map((e: { window: { from: string; to: string } }) => [Date.parse(e.window.from) - margin, Date.parse(e.window.to) + margin]);
    const outside = liveEvents.filter((v) => !spans.some(([from, to]: number[]) => v.occurredAt >= from! && v.occurredAt <= to!));
    for (const area of ['FALEME', 'ML_MR_BORDER', 'LIPTAKO_GOURMA', 'BAMAKO_DAKAR_ROUTE']) {
      expect(maxIn24h(outside.filter((v) => areaAt.get(`${v.lat},${v.lon}`) === area)), area).toBeLessThanOrEqual(2);
    }
  });
});

describe('shiftScenario', () => {
  const now = Date.UTC(2027, 2, 3, 9, 41, 27, 500);
  const shifted = shiftScenario(fileLines, now);
  const stamps = (line: string): string[] => line.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z/g) ?? [];

  it('moves every timestamp by the same whole minutes and nothing else', () => {
    const delta = Date.UTC(2027, 2, 3, 9, 41) - SCENARIO_BASE;
    fileLines.forEach((line, i) => {
      const moved = shifted[i]!;
      const masked = (text: string): string => text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z/g, 'T');
      expect(masked(moved)).toBe(masked(line));
      expect(stamps(moved).map(Date.parse)).toEqual(stamps(line).map((s) => Date.parse(s) + delta));
    });
  });

  it('leaves a scenario ingest still accepts now, with the same rejections', () => {
    const after = check(shifted, now);
    expect(after.map((c) => c.codes)).toEqual(checked.map((c) => c.codes));
    expect(Math.max(...after.flatMap((c) => (c.valid ? [c.valid.reportedAt] : [])))).toBeLessThanOrEqual(now);
  });

  it('shifts back to the original', () => {
    expect(shiftScenario(shifted, SCENARIO_BASE, Date.UTC(2027, 2, 3, 9, 41))).toEqual(fileLines);
  });
});
