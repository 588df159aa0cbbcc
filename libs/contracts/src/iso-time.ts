/**
 * ISO-8601 timestamps of the JSON form. Stricter than Date.parse, which accepts 2025-02-30 and
 * reads zone-less strings as local time: a zone (Z or ±hh:mm) is required and the date must exist.
 */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Epoch milliseconds, or null if the string is not a valid ISO-8601 timestamp with a zone. */
export function parseIsoTimestamp(text: string): number | null {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0);
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
  if (!valid) return null;
  const offsetMs = (m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes)) * 60_000;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // setUTCFullYear, not Date.UTC: keeps years 0–99 literal
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offsetMs;
}

/** Largest epoch millis a JS Date can hold (±100 million days). */
export const MAX_DATE_MS = 8.64e15;

export function formatIsoTimestamp(epochMillis: number): string {
  return new Date(epochMillis).toISOString();
}
