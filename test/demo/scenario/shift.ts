/**
 * Moves a whole scenario in time, so the bundled file (generated once around a fixed base) can be
 * replayed as "the last three weeks". Works on the raw text: every ISO-8601 UTC timestamp moves by
 * the same whole number of minutes wherever it appears, so key order, malformed lines and their
 * problems are kept exactly (a truncated line stays truncated, a year-2062 typo stays in the future).
 */
import { isoUtc } from '../../../libs/testing/src/fixtures';
import { SCENARIO_BASE } from './design';

/** An ISO-8601 UTC timestamp anywhere in a line: in JSON strings, in a CSV line, at the end of a truncated line. */
const ISO_UTC = /(?<![\w:.-])\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z(?!\w)/g;
const MINUTE_MS = 60_000;

/**
 * Shifts every line so that `fromBase` (the base the scenario was generated with) becomes
 * `newBase`. The shift is rounded down to whole minutes: nothing lands after `newBase`.
 */
export function shiftScenario(lines: readonly string[], newBase: Date | number, fromBase: Date | number = SCENARIO_BASE): string[] {
  const delta = Math.floor((Number(newBase) - Number(fromBase)) / MINUTE_MS) * MINUTE_MS;
  return lines.map((line) =>
    line.replace(ISO_UTC, (iso) => {
      const ms = Date.parse(iso);
      return Number.isNaN(ms) ? iso : isoUtc(ms + delta);
    }),
  );
}
