import { ALERT_LEVELS, type AlertLevel, type AlertStatus, type RegionalAlert } from '@vigie/contracts';
import { buildVersion } from './alert-content';
import { isActive } from './alert-state';
import { formatDuration } from './duration';
import { heldLevel, recordSupport } from './hysteresis';
import { levelIndexFor, type SilentFeedRule } from './rule';
import type { WindowEvent } from './window-event';
import type { FeedRhythm } from './zone-record';
import type { ZoneRuntime } from './zone-runtime';

/** Gaps kept per feed: enough for a robust usual gap, few enough to keep the zone record small. */
const MAX_GAPS = 32;
const RHYTHM_PERCENTILE = 0.9;

const utcMinute = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Learns a national feed's rhythm from its reports located in its own country (the copies the
 * COUNTRY zone of that country receives). Arrivals closer together than the shortest `minRhythm`
 * of the zone's rules are one send (a feed that reports in bursts); only the gaps between sends
 * are kept.
 */
export function recordArrival(zone: ZoneRuntime, event: WindowEvent): void {
  if (zone.rules.silence.length === 0 || event.sourceCountry !== zone.zone.id) return;
  const minGap = Math.min(...zone.rules.silence.map((r) => r.minRhythmMs));
  const feed = zone.record.feeds[event.feedId];
  zone.recordChanged = true;
  if (!feed) {
    zone.record.feeds[event.feedId] = { last: event.ingestedAt, gaps: [] };
    return;
  }
  if (event.ingestedAt <= feed.last) return;
  const gap = event.ingestedAt - feed.last;
  if (gap >= minGap) {
    feed.gaps.push([event.ingestedAt, gap]);
    if (feed.gaps.length > MAX_GAPS) feed.gaps.shift();
  }
  feed.last = event.ingestedAt;
}

interface FeedSilence {
  readonly feedId: string;
  readonly last: number;
  readonly usual: number;
  readonly ratio: number;
}

/** The gaps of one feed that count, in ascending order: reused, as every arrival in a COUNTRY zone asks for them. */
const counted: number[] = [];

/** A feed's usual gap (the 90th percentile of its recent gaps, at least minRhythm), or null while it is not learnt. */
function usualGap(rule: SilentFeedRule, feed: FeedRhythm, at: number): number | null {
  const from = at - rule.windowMs;
  let n = 0;
  for (let g = 0; g < feed.gaps.length; g++) {
    const [ended, gap] = feed.gaps[g] as [number, number];
    if (ended < from || gap < rule.minRhythmMs) continue;
    // Insertion sort: a feed keeps at most MAX_GAPS of them.
    let i = n++;
    for (; i > 0 && (counted[i - 1] as number) > gap; i--) counted[i] = counted[i - 1] as number;
    counted[i] = gap;
  }
  if (n < rule.minGaps) return null;
  return Math.max(rule.minRhythmMs, counted[Math.min(n - 1, Math.floor(RHYTHM_PERCENTILE * n))] as number);
}

function silences(zone: ZoneRuntime, rule: SilentFeedRule, at: number): FeedSilence[] {
  const out: FeedSilence[] = [];
  for (const feedId of Object.keys(zone.record.feeds).sort()) {
    const feed = zone.record.feeds[feedId] as FeedRhythm;
    const usual = usualGap(rule, feed, at);
    if (usual !== null) out.push({ feedId, last: feed.last, usual, ratio: Math.max(0, at - feed.last) / usual });
  }
  return out;
}

/** The next arrival time at which the level can change without a report: a threshold crossed, or a held level expiring. */
function nextDue(rule: SilentFeedRule, feeds: readonly FeedSilence[], supports: readonly (number | null)[], level: number, at: number): number | null {
  let due = Infinity;
  for (const feed of feeds) {
    for (const name of ALERT_LEVELS) {
      const threshold = rule.levels[name as AlertLevel];
      const crossing = threshold === undefined ? Infinity : Math.ceil(feed.last + feed.usual * threshold);
      if (crossing > at) due = Math.min(due, crossing);
    }
  }
  const held = level >= 0 ? supports[level] : null;
  if (held !== null && held !== undefined) due = Math.min(due, held + Math.max(rule.dwellMs, 1));
  return Number.isFinite(due) ? due : null;
}

/**
 * Evaluates a silent-feed rule in a COUNTRY zone at arrival time `at` (the partition's arrival
 * clock, or a timer's due time). Score: the longest silence as a multiple of that feed's usual gap.
 */
export function evaluateSilence(zone: ZoneRuntime, rule: SilentFeedRule, at: number, now: number): RegionalAlert[] {
  const rec = zone.ruleRecord(rule.id);
  const feeds = silences(zone, rule, at);
  const score = Math.round(Math.max(0, ...feeds.map((f) => f.ratio)) * 100) / 100;
  const raw = levelIndexFor(score, rule.levels);
  recordSupport(rec.support, raw, at);
  const level = heldLevel(rec.support, at, rule.dwellMs);
  const silent = feeds.filter((f) => f.ratio >= rule.levels.LOW);
  const previous = rec.alert;
  let status: AlertStatus | null = null;
  if (previous === null || !isActive(previous)) status = level >= 0 ? 'FIRING' : null;
  else if (level < 0) status = 'RESOLVED';
  else if (ALERT_LEVELS[level] !== previous.level || silent.map((f) => f.feedId).join() !== previous.listed.join()) status = 'UPDATED';
  rec.due = nextDue(rule, feeds, rec.support, level, at);
  zone.recordChanged = true;
  if (status === null) return [];

  const detail = silent.length
    ? {
        en: `Silent: ${silent.map((f) => `${f.feedId} since ${utcMinute(f.last)} (usual gap ${formatDuration(f.usual)})`).join('; ')}.`,
        fr: `Sans nouvelles : ${silent.map((f) => `${f.feedId} depuis le ${utcMinute(f.last)} (intervalle habituel ${formatDuration(f.usual)})`).join(' ; ')}.`,
      }
    : { en: 'Every feed has reported again.', fr: 'Toutes les sources ont de nouveau transmis.' };
  const { alert, state } = buildVersion({
    zone: zone.zone,
    rule,
    status,
    levelIndex: level,
    held: level > raw,
    previous,
    position: at,
    now,
    evidence: {
      window: { startAt: silent.length ? Math.min(...silent.map((f) => f.last)) : at, endAt: at },
      score,
      contributors: [],
      listedIds: silent.map((f) => f.feedId),
      detail,
      // A feed's silence says nothing of any report's content: community-wide, like the zone's existence.
      tlp: 'GREEN',
      countries: [zone.zone.id],
    },
  });
  rec.alert = state;
  return [alert];
}
