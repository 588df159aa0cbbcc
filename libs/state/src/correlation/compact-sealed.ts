import { UNKNOWN_ORIGINS, emptySealed, type CategoryAgg, type SealedBucket } from '@vigie/correlation';

/**
 * A sealed bucket as stored in the partition's sealed hash (field `<zoneKey>|<ruleId>|<bucket>`):
 * a JSON array of its sums, maps as [key, value] lists. Append new positions at the end; never reorder.
 */
type CompactSealed = [
  n: number,
  w: number,
  digest: number,
  tlp: number[],
  countries: [string, number][],
  keyed: [string, number][],
  /** [category, w, up, [source, count][]] per category; null when the rule has no uplift. */
  upliftCategories: [string, number, number, [string, number][]][] | null,
  categories: [string, number][],
  first: number,
  last: number,
  reported: number,
  // Since the fifteenth session; absent from buckets stored before (read as unknown).
  origins?: [agencies: string[] | null, releasableTo: string[] | null],
];

export const encodeCompactSealed = ({ agg, categories, first, last, reported, origins }: SealedBucket): string =>
  JSON.stringify([
    agg.n, agg.w, agg.digest, agg.tlp, [...agg.countries], [...agg.keyed],
    agg.categories && [...agg.categories].map(([category, cat]): [string, number, number, [string, number][]] => [category, cat.w, cat.up, [...cat.sources]]),
    [...categories], first, last, reported,
    [origins.agencies && [...origins.agencies], origins.releasableTo && [...origins.releasableTo]],
  ] satisfies CompactSealed);

export function decodeCompactSealed(payload: string): SealedBucket {
  const [n, w, digest, tlp, countries, keyed, upliftCategories, categories, first, last, reported, origins] = JSON.parse(payload) as CompactSealed;
  const sealed = emptySealed(upliftCategories !== null);
  Object.assign(sealed.agg, { n, w, digest });
  tlp.forEach((count, rank) => (sealed.agg.tlp[rank] = count));
  for (const [country, count] of countries) sealed.agg.countries.set(country, count);
  for (const [key, amount] of keyed) sealed.agg.keyed.set(key, amount);
  for (const [category, catW, up, sources] of upliftCategories ?? []) sealed.agg.categories?.set(category, { w: catW, up, sources: new Map(sources) } satisfies CategoryAgg);
  for (const [category, count] of categories) sealed.categories.set(category, count);
  return Object.assign(sealed, { first, last, reported, origins: origins ? { agencies: origins[0], releasableTo: origins[1] } : UNKNOWN_ORIGINS });
}
