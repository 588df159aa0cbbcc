import { TLP_LEVELS } from '@vigie/contracts';

/**
 * Additive summary of the incidents in one time bucket (or one whole window) as one rule sees
 * them. Everything is a sum or a multiset, so adding and removing incidents in any order gives the
 * same aggregate, and a window is the merge of its buckets.
 */
export interface Agg {
  /** Incidents counted. */
  n: number;
  /** Their weights, in milli. */
  w: number;
  /** XOR of the incidents' evidence hashes (eventId@revision): which incidents, in any order. */
  digest: number;
  /** Incidents per TLP rank (CLEAR … RED). */
  readonly tlp: number[];
  /** Incidents per source country. */
  readonly countries: Map<string, number>;
  /** What the rule kind sums by key: sources (corroboration), sides (mirror), segments (progression). */
  readonly keyed: Map<string, number>;
  /** Per category, for the corroboration uplift of graded weights; null when the rule has none. */
  readonly categories: Map<string, CategoryAgg> | null;
  /** `keyed`'s keys as numbers, sorted: a cache for scores that read them in order; null when stale. */
  sortedKeys?: number[] | null;
}

/** `keyed`'s keys as sorted numbers (route segments), computed once per change of the aggregate. */
export function sortedNumericKeys(agg: Agg): number[] {
  agg.sortedKeys ??= [...agg.keyed.keys()].map(Number).sort((a, b) => a - b);
  return agg.sortedKeys;
}

export interface CategoryAgg {
  w: number;
  /** The same incidents' weights read as corroborated. */
  up: number;
  readonly sources: Map<string, number>;
}

/** What one incident adds to a rule's aggregate (see RuleKindSpec.contribution). */
export interface Contribution {
  /** evidenceHash of the incident's id and revision. */
  readonly digest: number;
  readonly weight: number;
  readonly corroborated: number;
  readonly category: string;
  /** The distinct source for the uplift (feed or country), or null when the rule has no uplift. */
  readonly source: string | null;
  readonly key: string | null;
  readonly keyAmount: number;
  readonly tlpRank: number;
  readonly country: string;
}

export const emptyAgg = (withCategories: boolean): Agg => ({
  n: 0,
  w: 0,
  digest: 0,
  tlp: TLP_LEVELS.map(() => 0),
  countries: new Map(),
  keyed: new Map(),
  categories: withCategories ? new Map() : null,
});

/** FNV-1a of `eventId@revision`: XORed into aggregates, it tells which incidents a window holds, whatever their order. */
export function evidenceHash(eventId: string, revision: number): number {
  let hash = 0x811c9dc5;
  const text = `${eventId}@${revision}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** Adds `delta` to a multiset entry, dropping it at zero so that `size` counts what is present. */
export function bump(map: Map<string, number>, key: string, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

/** Adds (sign 1) or removes (sign -1) one incident's contribution. */
export function addContribution(agg: Agg, c: Contribution, sign: 1 | -1): void {
  agg.sortedKeys = null;
  agg.n += sign;
  agg.w += sign * c.weight;
  agg.digest ^= c.digest;
  agg.tlp[c.tlpRank] = (agg.tlp[c.tlpRank] ?? 0) + sign;
  bump(agg.countries, c.country, sign);
  if (c.key !== null) bump(agg.keyed, c.key, sign * c.keyAmount);
  if (agg.categories && c.source !== null) {
    let cat = agg.categories.get(c.category);
    if (!cat) agg.categories.set(c.category, (cat = { w: 0, up: 0, sources: new Map() }));
    cat.w += sign * c.weight;
    cat.up += sign * c.corroborated;
    bump(cat.sources, c.source, sign);
    if (cat.sources.size === 0) agg.categories.delete(c.category);
  }
}

/**
 * Adds (sign 1) or subtracts (sign -1) a whole aggregate, e.g. a bucket entering or leaving a window.
 * The hottest function of the correlator: maps are read by key, not by entries, which would
 * allocate a pair per entry.
 */
export function mergeAgg(target: Agg, source: Agg, sign: 1 | -1): void {
  target.sortedKeys = null;
  target.n += sign * source.n;
  target.w += sign * source.w;
  target.digest ^= source.digest;
  for (let rank = 0; rank < source.tlp.length; rank++) target.tlp[rank] = (target.tlp[rank] ?? 0) + sign * (source.tlp[rank] as number);
  mergeCounts(target.countries, source.countries, sign);
  mergeCounts(target.keyed, source.keyed, sign);
  if (target.categories && source.categories) {
    for (const category of source.categories.keys()) {
      const cat = source.categories.get(category) as CategoryAgg;
      let into = target.categories.get(category);
      if (!into) target.categories.set(category, (into = { w: 0, up: 0, sources: new Map() }));
      into.w += sign * cat.w;
      into.up += sign * cat.up;
      mergeCounts(into.sources, cat.sources, sign);
      if (into.sources.size === 0) target.categories.delete(category);
    }
  }
}

function mergeCounts(target: Map<string, number>, source: ReadonlyMap<string, number>, sign: 1 | -1): void {
  for (const key of source.keys()) bump(target, key, sign * (source.get(key) as number));
}

/** A copy the caller may change (maps copied, so that sliding it leaves the original as it was). */
export function cloneAgg(agg: Agg): Agg {
  let categories: Map<string, CategoryAgg> | null = null;
  if (agg.categories) {
    categories = new Map();
    for (const category of agg.categories.keys()) {
      const cat = agg.categories.get(category) as CategoryAgg;
      categories.set(category, { w: cat.w, up: cat.up, sources: copyCounts(cat.sources) });
    }
  }
  return { n: agg.n, w: agg.w, digest: agg.digest, tlp: agg.tlp.slice(), countries: copyCounts(agg.countries), keyed: copyCounts(agg.keyed), categories };
}

/** A map's copy, read by key (the Map constructor reads entries, a pair each). */
function copyCounts(counts: ReadonlyMap<string, number>): Map<string, number> {
  const copy = new Map<string, number>();
  for (const key of counts.keys()) copy.set(key, counts.get(key) as number);
  return copy;
}

/** The weighted total with the corroboration uplift: a category seen from `min` sources counts as confirmed. */
export function upliftedTotal(agg: Agg, min: number): number {
  if (!agg.categories) return agg.w;
  let total = 0;
  for (const cat of agg.categories.values()) total += cat.sources.size >= min ? cat.up : cat.w;
  return total;
}

/** Rank of the most restrictive TLP present, or -1 when empty. */
export function maxTlpRank(agg: Agg): number {
  for (let rank = agg.tlp.length - 1; rank >= 0; rank--) if ((agg.tlp[rank] ?? 0) > 0) return rank;
  return -1;
}
