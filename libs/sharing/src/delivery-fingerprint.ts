import type { RegionalAlert } from '@vigie/contracts';

/**
 * What an agency received in a delivery, as a short hash: every field of the alert as that agency
 * sees it (redacted or not), except `evaluatedAt`, the wall-clock time of the evaluation, which a
 * rebuild of the correlation state cannot reproduce. Lists that are sets (ids, countries, agencies)
 * and the counts by category are hashed in sorted order, so that the order a rebuild lists them in
 * does not matter. The delivery ledger compares fingerprints of one delivery id only.
 */
export function deliveryFingerprint(alert: RegionalAlert): string {
  const counts = Object.keys(alert.countsByCategory).sort().map((category) => [category, alert.countsByCategory[category]]);
  // JSON, so that no value can pass for two (an id holding a comma, a name holding a separator).
  const text = JSON.stringify([
    alert.alertId,
    alert.version,
    alert.status,
    alert.zone.kind,
    alert.zone.id,
    alert.zone.name,
    sorted(alert.zone.countries),
    alert.level,
    alert.previousLevel ?? null,
    alert.rule.id,
    alert.rule.kind,
    alert.window.startAt,
    alert.window.endAt,
    alert.score,
    alert.explanation,
    counts,
    sorted(alert.contributingEventIds),
    sorted(alert.distinctSourceCountries),
    alert.firstSeen,
    alert.lastSeen,
    alert.summary.fr,
    alert.summary.en,
    alert.tlp,
    alert.latestReportedAt,
    sorted(alert.sourceAgencies ?? []),
    sorted(alert.releasableTo ?? []),
  ]);
  return hash53(text).toString(36);
}

/** In the order `sort()` gives; the correlator writes its lists sorted already, so mostly without a copy. */
function sorted(values: readonly string[]): readonly string[] {
  for (let i = 1; i < values.length; i++) if ((values[i - 1] as string) > (values[i] as string)) return [...values].sort();
  return values;
}

/** Whether a text read back (a header) has the shape of a fingerprint: base 36, which the ledger's records rely on. */
export const isDeliveryFingerprint = (text: string): boolean => /^[0-9a-z]{1,11}$/.test(text);

/**
 * cyrb53 (public domain): a fast 53-bit string hash. Two different contents of one delivery id
 * collide with a probability of about 2⁻⁵³; a collision would hold that delivery back as a duplicate.
 */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
