import { ALERT_LEVELS, CATEGORIES, SOURCE_RELIABILITIES, ZONE_KINDS, type AlertLevel, type SourceReliability, type ZoneKind } from '@vigie/contracts';
import type { Distinct, GradingWeights, LevelThresholds, Rule, RuleBase, WeightSpec } from './rule';
import { duration, fail, isObject, list, oneOf, onlyFields, optionalDuration, positiveNumber, type Raw } from './rule-fields';
import { RULE_KINDS } from './rule-kinds';
import { DEFAULT_GRADING } from './weights';

const RULE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const COMMON_FIELDS = ['$comment', 'id', 'kind', 'description', 'window', 'resolution', 'dwell', 'categories', 'zoneKinds', 'levels', 'weights', 'maxContributors'];
const HOUR = 3_600_000;
/** More buckets than this per window would make every evaluation slow: coarsen the resolution. */
const MAX_BUCKETS_PER_WINDOW = 2_000;

interface Defaults {
  readonly resolutionMs: number;
  readonly dwellMs: number;
  readonly maxContributors: number;
}

function parseDefaults(value: unknown): Defaults {
  const raw = value === undefined ? {} : isObject(value) ? value : fail('defaults', 'expected an object');
  onlyFields(raw, 'defaults', ['$comment', 'resolution', 'dwell', 'maxContributors']);
  return {
    resolutionMs: optionalDuration(raw.resolution, 'defaults.resolution', HOUR),
    dwellMs: optionalDuration(raw.dwell, 'defaults.dwell', 24 * HOUR),
    maxContributors: positiveNumber(raw.maxContributors, 'defaults.maxContributors', 50, { integer: true }),
  };
}

function parseLevels(value: unknown, path: string): LevelThresholds {
  if (!isObject(value)) return fail(path, 'expected an object such as {"LOW": 3, "MEDIUM": 5, "HIGH": 8, "CRITICAL": 12}');
  for (const key of Object.keys(value)) {
    if (!ALERT_LEVELS.includes(key as AlertLevel)) fail(`${path}.${key}`, `unknown level (known: ${ALERT_LEVELS.join(', ')})`);
  }
  if (value.LOW === undefined) fail(`${path}.LOW`, 'required: the score at which an alert fires');
  let previous = 0;
  for (const level of ALERT_LEVELS) {
    const threshold = value[level];
    if (threshold === undefined) continue;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= previous) {
      fail(`${path}.${level}`, `expected a number greater than ${previous} (thresholds rise with the level; got ${JSON.stringify(threshold)})`);
    }
    previous = threshold as number;
  }
  return value as LevelThresholds;
}

function parseGrading(value: unknown, path: string): GradingWeights | null {
  if (value === undefined || value === false) return null;
  if (value === true) return DEFAULT_GRADING;
  if (!isObject(value)) return fail(path, 'expected true, false or {"reliability": {...}, "credibility": {...}, "corroboration": {...}}');
  onlyFields(value, path, ['reliability', 'credibility', 'corroboration']);
  const reliability = { ...DEFAULT_GRADING.reliability };
  if (value.reliability !== undefined) {
    if (!isObject(value.reliability)) fail(`${path}.reliability`, 'expected factors by grade, e.g. {"A": 1, "F": 0.6}');
    for (const [grade, factor] of Object.entries(value.reliability as Raw)) {
      if (!SOURCE_RELIABILITIES.includes(grade as SourceReliability)) fail(`${path}.reliability.${grade}`, 'unknown grade (A–F)');
      reliability[grade as SourceReliability] = positiveNumber(factor, `${path}.reliability.${grade}`);
    }
  }
  const credibility = [...DEFAULT_GRADING.credibility];
  if (value.credibility !== undefined) {
    if (!isObject(value.credibility)) fail(`${path}.credibility`, 'expected factors by grade, e.g. {"1": 1, "6": 0.6}');
    for (const [grade, factor] of Object.entries(value.credibility as Raw)) {
      if (!/^[1-6]$/.test(grade)) fail(`${path}.credibility.${grade}`, 'unknown grade (1–6)');
      credibility[Number(grade)] = positiveNumber(factor, `${path}.credibility.${grade}`);
    }
  }
  const corroboration = parseCorroboration(value.corroboration, `${path}.corroboration`);
  // Corroboration reads an incident as credibility 1, which must not lower its weight: then a
  // window's score only falls as its incidents leave it, which the evaluation of levels and dues relies on.
  const confirmed = credibility[1] as number;
  const above = credibility.findIndex((factor, grade) => grade > 1 && factor > confirmed);
  if (corroboration && above > 0) {
    fail(`${path}.credibility.1`, `expected the largest factor (an incident confirmed by other sources counts at least as much as one of grade ${above}: ${credibility[above]}), or "corroboration": false`);
  }
  return { reliability, credibility, corroboration };
}

function parseCorroboration(value: unknown, path: string): GradingWeights['corroboration'] {
  if (value === undefined) return DEFAULT_GRADING.corroboration;
  if (value === false) return null;
  if (!isObject(value)) return fail(path, 'expected false or {"min": 2, "distinct": "feeds"}');
  onlyFields(value, path, ['min', 'distinct']);
  return {
    min: positiveNumber(value.min, `${path}.min`, 2, { integer: true }),
    distinct: oneOf<Distinct>(value.distinct, `${path}.distinct`, ['feeds', 'countries'], 'feeds'),
  };
}

function parseWeights(value: unknown, path: string): WeightSpec | null {
  if (value === undefined) return null;
  if (!isObject(value)) return fail(path, 'expected {"severity": true, "fatalities": {"perDeath": 0.5, "max": 4}, "grading": true}');
  onlyFields(value, path, ['severity', 'fatalities', 'grading']);
  if (value.severity !== undefined && typeof value.severity !== 'boolean') fail(`${path}.severity`, 'expected true or false');
  let fatalities: WeightSpec['fatalities'] = null;
  if (value.fatalities !== undefined && value.fatalities !== false) {
    if (!isObject(value.fatalities)) fail(`${path}.fatalities`, 'expected {"perDeath": 0.5, "max": 4}');
    const raw = value.fatalities as Raw;
    onlyFields(raw, `${path}.fatalities`, ['perDeath', 'max']);
    fatalities = { perDeath: positiveNumber(raw.perDeath, `${path}.fatalities.perDeath`), max: positiveNumber(raw.max, `${path}.fatalities.max`) };
  }
  return { severity: value.severity === true, fatalities, grading: parseGrading(value.grading, `${path}.grading`) };
}

function parseRule(raw: unknown, path: string, defaults: Defaults): Rule {
  if (!isObject(raw)) return fail(path, 'expected an object');
  const kind = Object.hasOwn(RULE_KINDS, String(raw.kind)) ? RULE_KINDS[String(raw.kind)] : undefined;
  if (!kind) {
    return fail(`${path}.kind`, `unknown rule kind ${JSON.stringify(raw.kind)} (known: ${Object.keys(RULE_KINDS).join(', ')})`);
  }
  onlyFields(raw, path, [...COMMON_FIELDS, ...kind.fields]);
  if (typeof raw.id !== 'string' || !RULE_ID.test(raw.id)) {
    fail(`${path}.id`, `expected lower-case letters, digits and dashes, e.g. "incident-burst-24h" (got ${JSON.stringify(raw.id)})`);
  }
  if (raw.description !== undefined && typeof raw.description !== 'string') fail(`${path}.description`, 'expected a string');
  const windowMs = duration(raw.window, `${path}.window`);
  const resolutionMs = optionalDuration(raw.resolution, `${path}.resolution`, defaults.resolutionMs);
  if (windowMs % resolutionMs !== 0 || windowMs / resolutionMs > MAX_BUCKETS_PER_WINDOW) {
    fail(`${path}.window`, `must be a whole number (at most ${MAX_BUCKETS_PER_WINDOW}) of resolution steps (${resolutionMs / 60_000} min)`);
  }
  let zoneKinds = list<ZoneKind>(raw.zoneKinds, `${path}.zoneKinds`, ZONE_KINDS, 'zone kind');
  if (kind.zoneKinds) {
    const allowed = kind.zoneKinds;
    zoneKinds.forEach((z, i) => allowed.includes(z) || fail(`${path}.zoneKinds[${i}]`, `a ${String(raw.kind)} rule watches only ${allowed.join(', ')} zones`));
    if (zoneKinds.length === 0) zoneKinds = [...allowed];
  }
  const base: RuleBase = {
    id: raw.id as string,
    kind: raw.kind as string,
    description: (raw.description as string | undefined) ?? '',
    windowMs,
    resolutionMs,
    dwellMs: optionalDuration(raw.dwell, `${path}.dwell`, defaults.dwellMs),
    categories: list<string>(raw.categories, `${path}.categories`, CATEGORIES, 'category'),
    zoneKinds,
    levels: parseLevels(raw.levels, `${path}.levels`),
    weights: parseWeights(raw.weights, `${path}.weights`),
    maxContributors: positiveNumber(raw.maxContributors, `${path}.maxContributors`, defaults.maxContributors, { integer: true }),
  };
  return kind.parse(base, raw, path);
}

/** Parses JSON text, or takes an already parsed document (YAML files are parsed by the caller). */
function documentOf(json: unknown): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json);
  } catch (error) {
    return fail('rules', `not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Validates the correlation rules (deploy/config/rules.json, as text or as a parsed document):
 * `{"defaults"?: {"resolution", "dwell", "maxContributors"}, "rules": [{"id", "kind", "window": "72h",
 * "levels": {...}, ...}]}`. Throws VigieError('RULES_INVALID', 'rules[0].window: ...') naming the
 * first bad field.
 */
export function parseRules(json: unknown): Rule[] {
  const doc = documentOf(json);
  if (!isObject(doc) || !Array.isArray(doc.rules)) return fail('rules', 'expected {"rules": [...]}');
  onlyFields(doc, '(document)', ['$comment', 'defaults', 'rules']);
  const defaults = parseDefaults(doc.defaults);
  const rules = doc.rules.map((raw, i) => parseRule(raw, `rules[${i}]`, defaults));
  rules.forEach((rule, i) => {
    if (rules.findIndex((r) => r.id === rule.id) !== i) fail(`rules[${i}].id`, `duplicate rule id "${rule.id}"`);
  });
  return rules;
}
