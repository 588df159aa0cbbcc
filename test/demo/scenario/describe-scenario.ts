/**
 * expected.json: what the scenario contains and what the pipeline should make of it, written from
 * the design's own bookkeeping (which line was made as what), never by running pipeline code.
 * (Not named expected.ts: require('./expected') would load expected.json.)
 */
import { isoUtc } from '../../../libs/testing/src/fixtures';
import type { Scenario, ScenarioLine } from './build-scenario';
import { BACKGROUND_FREE_MARGIN_HOURS, EPISODES, LATE_AFTER_HOURS, SPAN_DAYS } from './design';

const HOUR_MS = 3_600_000;

interface FeedCounts {
  lines: number;
  valid: number;
  malformed: number;
  reports: number;
  revisions: number;
  retractions: number;
  late: number;
}

export function describeScenario(scenario: Scenario): Record<string, unknown> {
  const { lines } = scenario;
  const valid = lines.filter((l) => l.report);
  const reports = lines.filter((l) => l.kind === 'REPORT');
  const lateReports = reports.filter(isLate);
  const lineNo = new Map(lines.map((l, i) => [l, i + 1]));

  const byProblem: Record<string, { count: number; expectedCode: string; feedId: string; lines: number[] }> = {};
  for (const l of lines) {
    if (!l.malformation) continue;
    const entry = (byProblem[l.malformation.label] ??= { count: 0, expectedCode: l.malformation.expectedCode, feedId: l.feedId, lines: [] });
    entry.count += 1;
    entry.lines.push(lineNo.get(l) as number);
  }

  const perFeed: Record<string, FeedCounts> = {};
  for (const l of [...lines].sort((a, b) => a.feedId.localeCompare(b.feedId))) {
    const c = (perFeed[l.feedId] ??= { lines: 0, valid: 0, malformed: 0, reports: 0, revisions: 0, retractions: 0, late: 0 });
    c.lines += 1;
    if (l.report) c.valid += 1;
    if (l.kind === 'MALFORMED') c.malformed += 1;
    if (l.kind === 'REPORT') c.reports += 1;
    if (l.kind === 'REVISION') c.revisions += 1;
    if (l.kind === 'RETRACTION') c.retractions += 1;
    if (l.kind === 'REPORT' && isLate(l)) c.late += 1;
  }

  const tlp: Record<string, number> = {};
  for (const l of reports) tlp[l.report!.tlp] = (tlp[l.report!.tlp] ?? 0) + 1;

  return {
    $comment:
      'Generated with incidents.ndjson by test/demo/scenario/generate.ts from the design in design.ts. Counts come from how each line was made; zone expectations from the design. Times are relative to scenario.base; shiftScenario(lines, now) moves them to the last days before now.',
    scenario: {
      seed: scenario.seed,
      base: isoUtc(scenario.base),
      spanDays: SPAN_DAYS,
      firstOccurredAt: isoUtc(Math.min(...valid.map((l) => Date.parse(l.report!.occurredAt)))),
      lastReportedAt: isoUtc(Math.max(...valid.map((l) => Date.parse(l.report!.reportedAt)))),
      order: 'lines are in the order feeds sent them (reportedAt; for malformed lines, when they were sent)',
    },
    lines: { total: lines.length, valid: valid.length, malformed: lines.length - valid.length },
    valid: {
      reports: reports.length,
      revisions: lines.filter((l) => l.kind === 'REVISION').length,
      retractions: lines.filter((l) => l.kind === 'RETRACTION').length,
      distinctEvents: new Set(valid.map((l) => `${l.report!.feedId}:${l.report!.sourceEventId}`)).size,
      late: { count: lateReports.length, definition: `reportedAt more than ${LATE_AFTER_HOURS} h after occurredAt` },
      tlpOfReports: tlp,
    },
    malformed: {
      $comment: 'expectedCode: the issue code of libs/contracts parseIncidentJson (INVALID_JSON: not JSON at all); lines are 1-based line numbers',
      byProblem,
    },
    perFeed,
    episodes: EPISODES.filter((e) => e.expectation).map((e) => describeEpisode(e.id, lines)),
    quiet: {
      claim: `Outside the episodes (±${BACKGROUND_FREE_MARGIN_HOURS} h), each area of the design (FALEME, ML_MR_BORDER, LIPTAKO_GOURMA, BAMAKO_DAKAR_ROUTE) has at most 2 valid incidents in any 24 h, so no hotspot, border section or route should reach a count threshold of 5 in 24 h there (zones spanning several areas, such as long routes, may see 3).`,
      maxPer24hPerArea: 2,
      caveat: 'COUNTRY:* zones gather whole countries (several reports a day): calibrate country-level rules separately.',
    },
  };
}

function describeEpisode(id: string, lines: readonly ScenarioLine[]): Record<string, unknown> {
  const episode = EPISODES.find((e) => e.id === id)!;
  const expectation = episode.expectation!;
  const mine = lines.filter((l) => l.episode === id);
  const reports = mine.filter((l) => l.kind === 'REPORT');
  const onTime = reports.filter((l) => !isLate(l));
  const retractedKeys = new Set(mine.filter((l) => l.kind === 'RETRACTION').map((l) => l.key));
  const occurred = onTime.map((l) => Date.parse(l.report!.occurredAt));
  const byFeed: Record<string, number> = {};
  for (const l of [...reports].sort((a, b) => a.feedId.localeCompare(b.feedId))) byFeed[l.feedId] = (byFeed[l.feedId] ?? 0) + 1;
  return {
    id,
    title: episode.title,
    area: episode.area,
    zoneKeys: expectation.zoneKeys,
    alsoLikely: expectation.alsoLikely,
    shouldAlert: { countThreshold5In24h: expectation.countThreshold, corroborationTwoCountries: expectation.corroboration },
    why: expectation.why,
    window: { from: isoUtc(Math.min(...occurred)), to: isoUtc(Math.max(...occurred)), spanHours: Math.round((Math.max(...occurred) - Math.min(...occurred)) / HOUR_MS * 10) / 10 },
    reports: reports.length,
    onTime: onTime.length,
    late: reports.filter(isLate).map((l) => ({ eventId: eventIdOf(l), occurredAt: l.report!.occurredAt, reportedAt: l.report!.reportedAt })),
    revised: mine.filter((l) => l.kind === 'REVISION').map(eventIdOf),
    retracted: mine.filter((l) => l.kind === 'RETRACTION').map(eventIdOf),
    activeAfterRetractions: reports.filter((l) => !retractedKeys.has(l.key)).length,
    byFeed,
    sourceCountries: [...new Set(reports.map((l) => l.report!.sourceCountry))].sort(),
    places: [...new Set(reports.map((l) => l.report!.location.placeName))].sort(),
    tlp: 'GREEN and AMBER only, so the alert may be shared',
  };
}

function isLate(l: ScenarioLine): boolean {
  return !!l.report && Date.parse(l.report.reportedAt) - Date.parse(l.report.occurredAt) > LATE_AFTER_HOURS * HOUR_MS;
}

function eventIdOf(l: ScenarioLine): string {
  return `${l.report!.feedId}:${l.report!.sourceEventId}`;
}
