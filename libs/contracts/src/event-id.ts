/**
 * Identifiers of reports. An event id is `${feedId}:${sourceEventId}`: deterministic, so a report
 * re-sent or revised by its feed keeps its id and downstream state stays idempotent. A feed id
 * cannot contain ':' so the first ':' always splits the two parts.
 */

/** `<cc>-<slug>`: country code, then lower-case words joined by dashes; at most 64 characters. */
export const FEED_ID_PATTERN = /^([a-z]{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const FEED_ID_MAX_LENGTH = 64;

/** The feed's own id: 1–128 visible ASCII characters (no spaces), stable across revisions. */
export const SOURCE_EVENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export function deriveEventId(feedId: string, sourceEventId: string): string {
  return `${feedId}:${sourceEventId}`;
}

export function isFeedId(value: string): boolean {
  return value.length <= FEED_ID_MAX_LENGTH && FEED_ID_PATTERN.test(value);
}

/** The country code a feed id starts with (lower case), or null if it is not a feed id. */
export function feedCountryOf(feedId: string): string | null {
  return isFeedId(feedId) ? feedId.slice(0, 2) : null;
}

export function isEventId(value: string): boolean {
  const colon = value.indexOf(':');
  return colon > 0 && isFeedId(value.slice(0, colon)) && SOURCE_EVENT_ID_PATTERN.test(value.slice(colon + 1));
}
