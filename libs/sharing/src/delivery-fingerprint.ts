import type { RegionalAlert } from '@vigie/contracts';

/**
 * What an agency received in a delivery, as a short hash: every field of the alert as that agency
 * sees it (redacted or not), except `evaluatedAt`, the wall-clock time of the evaluation, which a
 * rebuild of the correlation state cannot reproduce. Lists that are sets (ids, countries, agencies)
 * and the counts by category are hashed in sorted order, so that the order a rebuild lists them in
 * does not matter. The delivery ledger compares fingerprints of one delivery id only.
 */
export function deliveryFingerprint(alert: RegionalAlert): string {
  // The hash of the fields' JSON (so that no value can pass for two: an id holding a comma, a
  // name holding a separator), fed piece by piece rather than written out first.
  const json = new JsonHash();
  json.open();
  json.string(alert.alertId);
  json.value(alert.version);
  json.string(alert.status);
  json.string(alert.zone.kind);
  json.string(alert.zone.id);
  json.string(alert.zone.name);
  json.strings(sorted(alert.zone.countries));
  json.string(alert.level);
  if (alert.previousLevel == null) json.value(null);
  else json.string(alert.previousLevel);
  json.string(alert.rule.id);
  json.string(alert.rule.kind);
  json.value(alert.window.startAt);
  json.value(alert.window.endAt);
  json.value(alert.score);
  json.string(alert.explanation);
  json.openNested();
  for (const category of Object.keys(alert.countsByCategory).sort()) {
    json.openNested();
    json.string(category);
    json.value(alert.countsByCategory[category]);
    json.close();
  }
  json.close();
  json.strings(sorted(alert.contributingEventIds));
  json.strings(sorted(alert.distinctSourceCountries));
  json.value(alert.firstSeen);
  json.value(alert.lastSeen);
  json.string(alert.summary.fr);
  json.string(alert.summary.en);
  json.string(alert.tlp);
  json.value(alert.latestReportedAt);
  json.strings(sorted(alert.sourceAgencies ?? []));
  json.strings(sorted(alert.releasableTo ?? []));
  json.close();
  return json.digest().toString(36);
}

/** In the order `sort()` gives; the correlator writes its lists sorted already, so mostly without a copy. */
function sorted(values: readonly string[]): readonly string[] {
  for (let i = 1; i < values.length; i++) if ((values[i - 1] as string) > (values[i] as string)) return [...values].sort();
  return values;
}

/** Whether a value among the fields hashed is its own text in JSON (between quotes), as most are. */
function plainInJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, a quote, a backslash, or a surrogate (JSON escapes one alone).
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** Whether a text read back (a header) has the shape of a fingerprint: base 36, which the ledger's records rely on. */
export const isDeliveryFingerprint = (text: string): boolean => /^[0-9a-z]{1,11}$/.test(text);

const COMMA = 0x2c;

/**
 * cyrb53 (public domain), a fast 53-bit string hash, of the text `JSON.stringify` would write for
 * an array of the values given (a spec checks that on random alerts): fingerprints already stored
 * in ledgers and on agency topics stay valid. Two different contents of one delivery id collide
 * with a probability of about 2⁻⁵³; a collision would hold that delivery back as a duplicate.
 */
class JsonHash {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  /** Whether the next value is the first of its array (no comma before it). */
  private first = true;

  open(): void {
    this.char(0x5b);
    this.first = true;
  }

  /** An array as the next value of the current one. */
  openNested(): void {
    this.separate();
    this.open();
  }

  close(): void {
    this.char(0x5d);
    this.first = false;
  }

  string(text: string): void {
    this.separate();
    if (typeof text === 'string' && plainInJson(text)) {
      this.char(0x22);
      this.text(text);
      this.char(0x22);
    } else this.text(JSON.stringify(text) ?? 'null');
  }

  strings(texts: readonly string[]): void {
    this.openNested();
    for (const text of texts) this.string(text);
    this.close();
  }

  /** A number or null (undefined, in an array, is written null too). */
  value(value: number | null | undefined): void {
    this.separate();
    this.text(JSON.stringify(value) ?? 'null');
  }

  digest(): number {
    let { h1, h2 } = this;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }

  private separate(): void {
    if (!this.first) this.char(COMMA);
    this.first = false;
  }

  private text(text: string): void {
    let { h1, h2 } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  private char(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 2654435761);
    this.h2 = Math.imul(this.h2 ^ c, 1597334677);
  }
}
