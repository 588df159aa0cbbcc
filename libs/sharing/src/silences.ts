import { ZONE_KINDS, type RegionalAlert, type Silence } from '@vigie/contracts';
import { Problems, join } from './problems';
import { SUBSCRIPTION_ID_PATTERN } from './subscription';
import { zoneKey } from './subscription-matching';

export type { Silence };

const ZONE_KEY_PATTERN = new RegExp(`^(${ZONE_KINDS.join('|')}):[^\\s:]+$`);
const RULE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
/** A silence is an operator's short-term decision, not a standing filter: those are subscriptions. */
export const MAX_SILENCE_MS = 31 * 24 * 3_600_000;

/**
 * Validates a silence from JSON (ISO-8601 times; startsAt defaults to `now`); throws
 * `SILENCE_INVALID` saying what is wrong. It names a zone, a rule, or both (then both must match).
 */
export function parseSilence(value: unknown, now: number, context: { zoneExists?: (key: string) => boolean } = {}): Silence {
  const p = new Problems();
  const s = p.record(value, '', ['silenceId', 'zone', 'ruleId', 'startsAt', 'endsAt', 'comment']);
  const zone = s?.zone === undefined || s.zone === null ? null : p.string(s.zone, 'zone', ZONE_KEY_PATTERN, `a zone key "<kind>:<id>" with kind one of ${ZONE_KINDS.join(', ')}`);
  if (zone && context.zoneExists && !context.zoneExists(zone)) p.add('zone', `no zone "${zone}" in the geography reference`);
  const ruleId = s?.ruleId === undefined || s.ruleId === null ? null : p.string(s.ruleId, 'ruleId', RULE_ID_PATTERN, 'a rule id');
  if (s && zone === null && ruleId === null) p.add('(root)', 'a silence names a zone, a ruleId, or both');
  const startsAt = p.timestamp(s?.startsAt, 'startsAt', now);
  const endsAt = p.timestamp(s?.endsAt, 'endsAt');
  if (endsAt && endsAt <= Math.max(startsAt, now)) p.add('endsAt', 'must be in the future and after startsAt');
  if (endsAt - startsAt > MAX_SILENCE_MS) p.add('endsAt', 'a silence lasts at most 31 days');
  return p.result('SILENCE_INVALID', {
    silenceId: p.string(s?.silenceId, join('', 'silenceId'), SUBSCRIPTION_ID_PATTERN, 'lower-case letters, digits, dots, dashes or underscores'),
    zone,
    ruleId,
    startsAt,
    endsAt,
    comment: p.optionalText(s?.comment, 'comment', 1000),
  });
}

export const isSilenceActive = (silence: Silence, now: number): boolean => silence.startsAt <= now && now < silence.endsAt;

export const silenceCovers = (silence: Silence, alert: Pick<RegionalAlert, 'zone' | 'rule'>): boolean =>
  (silence.zone === null || silence.zone === zoneKey(alert.zone)) && (silence.ruleId === null || silence.ruleId === alert.rule.id);

/**
 * How long before a silence began a version may have been evaluated and still be held by it: the
 * correlator's clock and the dispatcher's differ, and a version evaluated just before the start
 * may be dispatched just after it.
 */
export const SILENCE_CLOCK_SLACK_MS = 5 * 60_000;

/**
 * Whether a silence selects a version: it covers the alert, and the version was evaluated since
 * the silence began (less the slack). Holding and releasing both ask this, so that every version a
 * silence holds is one its release finds again.
 */
export const silenceSelects = (silence: Silence, alert: Pick<RegionalAlert, 'zone' | 'rule' | 'evaluatedAt'>, slackMs = SILENCE_CLOCK_SLACK_MS): boolean =>
  silenceCovers(silence, alert) && alert.evaluatedAt >= silence.startsAt - slackMs;

/**
 * The silences holding back this version now: in force, and selecting it. A version evaluated
 * before a silence began, which a dispatcher catching up reaches during it, is not held: the
 * release, which reads from the silence's start, would never find it again.
 */
export function activeSilencesFor(alert: Pick<RegionalAlert, 'zone' | 'rule' | 'evaluatedAt'>, silences: Iterable<Silence>, now: number, slackMs = SILENCE_CLOCK_SLACK_MS): Silence[] {
  return [...silences].filter((s) => isSilenceActive(s, now) && silenceSelects(s, alert, slackMs));
}
