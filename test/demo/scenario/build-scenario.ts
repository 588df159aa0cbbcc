/**
 * Turns the design (design.ts) into report lines: background events on a jittered grid, the
 * scripted episodes, revisions, a retraction and malformed lines, all from one seeded PRNG so the
 * same seed and base give the same bytes.
 */
import type { TimePrecision, Tlp } from '@vigie/contracts';
import {
  AREA_MIX,
  AREAS,
  buildIncident,
  drawGeoPrecision,
  drawReportDelayMs,
  drawTimePrecision,
  drawTlp,
  feedById,
  fixtureFeeds,
  formatQuantity,
  formatToll,
  isoUtc,
  MALFORMATIONS,
  PLACES,
  PROFILES,
  placeNamed,
  type Area,
  type FixtureFeed,
  type GeoPrecision,
  type IncidentProfile,
  type IncidentReportJson,
  type Malformation,
  type Place,
} from '../../../libs/testing/src/fixtures';
import { createPrng, type Prng } from '@vigie/runtime';
import {
  BACKGROUND,
  BACKGROUND_END_HOURS,
  BACKGROUND_FREE_MARGIN_HOURS,
  EPISODES,
  LATE_SHARE,
  MALFORMED_FEEDS,
  REVISIONS,
  SCENARIO_BASE,
  SCENARIO_SEED,
  SOURCE_ID_PREFIX,
  SPAN_DAYS,
  type RevisionDesign,
} from './design';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Areas where event times stay precise, so the background spacing guarantee holds. */
const WATCHED_AREAS: ReadonlySet<Area> = new Set(['FALEME', 'ML_MR_BORDER', 'LIPTAKO_GOURMA', 'BAMAKO_DAKAR_ROUTE']);

export type LineKind = 'REPORT' | 'REVISION' | 'RETRACTION' | 'MALFORMED';

export interface ScenarioLine {
  readonly text: string;
  /** The feed that sent it (also for lines ingest cannot read). */
  readonly feedId: string;
  readonly kind: LineKind;
  /** When the feed sent it (epoch millis): lines are in this order. */
  readonly sentAt: number;
  readonly area: Area;
  readonly episode?: string;
  readonly key?: string;
  readonly malformation?: { readonly label: string; readonly expectedCode: string };
  /** The parsed report, for valid lines. */
  readonly report?: IncidentReportJson;
}

export interface Scenario {
  readonly seed: number;
  readonly base: number;
  readonly lines: readonly ScenarioLine[];
}

interface Draft {
  readonly feed: FixtureFeed;
  readonly place: Place;
  readonly profile: IncidentProfile;
  readonly occurredAt: number;
  readonly reportedAt: number;
  readonly timePrecision: TimePrecision;
  readonly geoPrecision: GeoPrecision;
  readonly tlp: Tlp;
  readonly episode?: string;
  readonly key?: string;
  readonly relatedTo?: readonly string[];
  readonly malformation?: Malformation;
}

export function generateScenario(options: { seed?: number; base?: number } = {}): Scenario {
  const seed = options.seed ?? SCENARIO_SEED;
  const base = options.base ?? SCENARIO_BASE;
  const prng = createPrng(seed);
  // Feeds number their reports in the order they make them, each from where its year had got to.
  const nextSeq = new Map(fixtureFeeds().map((f) => [f.feedId, prng.int(1200, 8800)]));

  const drafts = [...backgroundDrafts(prng, base), ...episodeDrafts(prng, base), ...malformedDrafts(prng, base)];
  const order = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.reportedAt - b.d.reportedAt || a.i - b.i);

  const sourceIds = new Map<Draft, string>();
  for (const { d } of order) {
    const seq = nextSeq.get(d.feed.feedId) ?? 1;
    nextSeq.set(d.feed.feedId, seq + 1);
    sourceIds.set(d, `${SOURCE_ID_PREFIX[d.feed.feedId] ?? `${d.feed.feedId.toUpperCase()}-`}${String(seq).padStart(6, '0')}`);
  }
  const eventIdOfKey = new Map(drafts.filter((d) => d.key).map((d) => [d.key as string, `${d.feed.feedId}:${sourceIds.get(d)}`]));

  const lines: ScenarioLine[] = [];
  const byKey = new Map<string, { report: IncidentReportJson; draft: Draft }>();
  for (const { d } of order) {
    const report = buildIncident(prng, {
      ...d,
      sourceEventId: sourceIds.get(d) as string,
      relatedEventIds: (d.relatedTo ?? []).map((k) => eventIdOfKey.get(k) as string),
    });
    const common = { feedId: d.feed.feedId, sentAt: d.reportedAt, area: d.place.area, episode: d.episode, key: d.key };
    if (d.malformation) {
      lines.push({ ...common, kind: 'MALFORMED', text: d.malformation.apply(report), malformation: { label: d.malformation.label, expectedCode: d.malformation.expectedCode } });
    } else {
      lines.push({ ...common, kind: 'REPORT', text: JSON.stringify(report), report });
      if (d.key) byKey.set(d.key, { report, draft: d });
    }
  }

  for (const design of REVISIONS) {
    const original = byKey.get(design.key);
    if (!original) throw new Error(`revision of unknown event ${design.key}`);
    const sentAt = Date.parse(original.report.reportedAt) + design.afterHours * HOUR_MS;
    const report = revise(original.report, design, original.draft.place, sentAt);
    lines.push({
      feedId: report.feedId, kind: report.status === 'RETRACTED' ? 'RETRACTION' : 'REVISION', sentAt, area: original.draft.place.area,
      episode: original.draft.episode, key: design.key, text: JSON.stringify(report), report,
    });
  }

  const sorted = lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.sentAt - b.l.sentAt || a.i - b.i).map(({ l }) => l);
  return { seed, base, lines: sorted };
}

/** Quiet activity on a jittered grid: slots ≥ 15 h with jitter in the middle 40 % give ≤ 2 per area in any 24 h. */
function backgroundDrafts(prng: Prng, base: number): Draft[] {
  const start = base - SPAN_DAYS * DAY_MS;
  const end = base + BACKGROUND_END_HOURS * HOUR_MS;
  const drafts: Draft[] = [];
  for (const area of AREAS) {
    const places = PLACES.filter((p) => p.area === area);
    const slot = (end - start) / BACKGROUND[area];
    const blocked = episodeSpans(area, base, BACKGROUND_FREE_MARGIN_HOURS);
    for (let i = 0; i < BACKGROUND[area]; i += 1) {
      const occurredAt = Math.floor(start + (i + 0.3 + 0.4 * prng.float()) * slot);
      if (blocked.some(([from, to]) => occurredAt >= from && occurredAt <= to)) continue;
      const place = prng.pick(places);
      const late = occurredAt <= base - 7 * DAY_MS && prng.chance(LATE_SHARE);
      const delay = late ? prng.int(48, 144) * HOUR_MS + prng.int(1, 59) * MINUTE_MS : drawReportDelayMs(prng);
      drafts.push({
        feed: prng.pick(fixtureFeeds().filter((f) => f.country === place.country)),
        place,
        profile: PROFILES[prng.weighted(AREA_MIX[area])],
        occurredAt,
        reportedAt: occurredAt + delay,
        timePrecision: WATCHED_AREAS.has(area)
          ? prng.weighted<TimePrecision>([['EXACT', 3], ['HOUR', 7]])
          : late
            ? prng.weighted<TimePrecision>([['DAY', 4], ['WEEK', 2], ['MONTH', 1]])
            : drawTimePrecision(prng),
        geoPrecision: drawGeoPrecision(prng),
        tlp: drawTlp(prng),
      });
    }
  }
  return drafts;
}

/** [from, to] epoch millis of the episodes with expectations in an area, widened by a margin. */
function episodeSpans(area: Area, base: number, marginHours: number): [number, number][] {
  return EPISODES.filter((e) => e.area === area && e.expectation).map((e) => {
    const last = Math.max(...e.events.map((ev) => ev.at));
    return [base + (e.startsAt - marginHours) * HOUR_MS, base + (e.startsAt + last + 1 + marginHours) * HOUR_MS];
  });
}

function episodeDrafts(prng: Prng, base: number): Draft[] {
  return EPISODES.flatMap((episode) =>
    episode.events.map((ev) => {
      const occurredAt = base + (episode.startsAt + ev.at) * HOUR_MS + prng.int(0, 25) * MINUTE_MS;
      const delay = ev.reportedAfterHours !== undefined ? ev.reportedAfterHours * HOUR_MS : prng.int(30, 240) * MINUTE_MS;
      return {
        feed: feedById(ev.feedId),
        place: placeNamed(ev.place),
        profile: PROFILES[ev.kind],
        occurredAt,
        reportedAt: occurredAt + delay,
        timePrecision: prng.weighted<TimePrecision>([['EXACT', 4], ['HOUR', 6]]),
        geoPrecision: ev.geoPrecision ?? 1,
        // Shareable markings only: one RED contributor would keep the whole alert at home.
        tlp: prng.weighted<Tlp>([['GREEN', 6], ['AMBER', 4]]),
        episode: episode.id,
        key: ev.key,
        relatedTo: ev.relatedTo,
      };
    }),
  );
}

/** One line per malformation, spread over the span, each from a plausible feed, place and kind. */
function malformedDrafts(prng: Prng, base: number): Draft[] {
  const start = base - (SPAN_DAYS - 1) * DAY_MS;
  const slot = (SPAN_DAYS - 2) * DAY_MS / MALFORMATIONS.length;
  return MALFORMATIONS.map((malformation, i) => {
    const feed = feedById(MALFORMED_FEEDS[malformation.label] ?? 'ml-police');
    const own = PLACES.filter((p) => p.country === feed.country);
    const suited = malformation.from ? own.filter((p) => AREA_MIX[p.area].some(([id]) => id === malformation.from)) : own;
    const place = prng.pick(suited.length > 0 ? suited : own);
    const occurredAt = Math.floor(start + (i + 0.3 + 0.4 * prng.float()) * slot);
    return {
      feed,
      place,
      profile: PROFILES[malformation.from ?? prng.weighted(AREA_MIX[place.area])],
      occurredAt,
      reportedAt: occurredAt + drawReportDelayMs(prng),
      timePrecision: drawTimePrecision(prng),
      geoPrecision: drawGeoPrecision(prng),
      tlp: drawTlp(prng),
      malformation,
    };
  });
}

function revise(original: IncidentReportJson, design: RevisionDesign, place: Place, sentAt: number): IncidentReportJson {
  const lang = original.lang === 'en' ? 'en' : 'fr';
  const note = (fills: Record<string, string>): string =>
    `${original.notes} ${Object.entries(fills).reduce((text, [k, v]) => text.replace(`{${k}}`, v), design.note[lang])}`;
  const revised: IncidentReportJson = { ...original, revision: 2, status: 'REVISED', reportedAt: isoUtc(sentAt) };
  switch (design.change) {
    case 'RAISE_TOLL': {
      const from = original.fatalities.known ? original.fatalities.max : 0;
      const fatalities = { min: from + 2, max: from + 5, known: true };
      return { ...revised, fatalities, notes: note({ toll: formatToll(fatalities, lang) }) };
    }
    case 'CORRECT_QUANTITY': {
      if (!original.commodity) throw new Error(`${design.key} has no commodity to correct`);
      const commodity = { ...original.commodity, quantity: Number((original.commodity.quantity * 1.5).toFixed(1)) };
      const unit = commodity.unit === 'l' ? 'L' : commodity.unit;
      return { ...revised, commodity, notes: note({ qty: `${formatQuantity(commodity.quantity, lang)} ${unit}` }) };
    }
    case 'REFINE_LOCATION': {
      const location = { lat: place.lat, lon: place.lon, geoPrecision: 1 as const, placeName: place.name, admin1: place.admin1, admin2: place.admin2 };
      return { ...revised, location, notes: note({ place: place.name }) };
    }
    case 'RECLASSIFY': {
      const profile = PROFILES.HUMAN_TRAFFICKING;
      return {
        ...revised,
        category: profile.category,
        subCategory: profile.subCategory,
        actors: (profile.actors[0] ?? []).map((a) => ({ ...a })),
        notes: note({}),
      };
    }
    case 'RETRACT':
      return { ...revised, status: 'RETRACTED', notes: note({}) };
  }
}

