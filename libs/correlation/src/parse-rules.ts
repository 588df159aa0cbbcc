import { ALERT_LEVELS, CATEGORIES, VigieError, ZONE_KINDS, type AlertLevel, type ZoneKind } from '@vigie/contracts';
import { parseDuration } from './duration';
import type { LevelThresholds, Rule, RuleBase } from './rule';
import { RULE_KINDS } from './rule-kinds';

const CODE = 'RULES_INVALID';
const RULE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const COMMON_FIELDS = ['$comment', 'id', 'kind', 'description', 'window', 'categories', 'zoneKinds', 'levels'];

type Raw = Readonly<Record<string, unknown>>;

const fail = (path: string, message: string): never => {
  throw new VigieError(CODE, `${path}: ${message}`, false, { path });
};

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

const list = <T extends string>(value: unknown, path: string, allowed: readonly T[], noun: string): T[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(path, `expected an array of ${noun}s`);
  return value.map((item, i) =>
    allowed.includes(item as T) ? (item as T) : fail(`${path}[${i}]`, `unknown ${noun} ${JSON.stringify(item)} (known: ${allowed.join(', ')})`),
  );
};

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
    if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold <= previous) {
      fail(`${path}.${level}`, `expected an integer greater than ${previous} (thresholds rise with the level; got ${JSON.stringify(threshold)})`);
    }
    previous = threshold as number;
  }
  return value as LevelThresholds;
}

function parseRule(raw: unknown, path: string): Rule {
  if (!isObject(raw)) return fail(path, 'expected an object');
  const kind = Object.hasOwn(RULE_KINDS, String(raw.kind)) ? RULE_KINDS[String(raw.kind)] : undefined;
  if (!kind) {
    return fail(`${path}.kind`, `unknown rule kind ${JSON.stringify(raw.kind)} (known: ${Object.keys(RULE_KINDS).join(', ')})`);
  }
  for (const field of Object.keys(raw)) {
    if (!COMMON_FIELDS.includes(field) && !kind.fields.includes(field)) fail(`${path}.${field}`, 'unknown field');
  }
  if (typeof raw.id !== 'string' || !RULE_ID.test(raw.id)) {
    fail(`${path}.id`, `expected lower-case letters, digits and dashes, e.g. "incident-surge-72h" (got ${JSON.stringify(raw.id)})`);
  }
  if (raw.description !== undefined && typeof raw.description !== 'string') fail(`${path}.description`, 'expected a string');
  const base: RuleBase = {
    id: raw.id as string,
    kind: raw.kind as string,
    description: (raw.description as string | undefined) ?? '',
    windowMs: parseDuration(raw.window, `${path}.window`, CODE),
    categories: list<string>(raw.categories, `${path}.categories`, CATEGORIES, 'category'),
    zoneKinds: list<ZoneKind>(raw.zoneKinds, `${path}.zoneKinds`, ZONE_KINDS, 'zone kind'),
    levels: parseLevels(raw.levels, `${path}.levels`),
  };
  return kind.parse(base, raw, path);
}

/**
 * Validates the correlation rules (deploy/config/rules.json, as text or parsed JSON):
 * `{"rules": [{"id", "kind", "window": "72h", "levels": {...}, "categories"?, "zoneKinds"?}]}`.
 * Throws VigieError('RULES_INVALID', 'rules[0].window: ...') naming the first bad field.
 */
export function parseRules(json: unknown): Rule[] {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (error) {
      fail('rules', `not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(doc) || !Array.isArray(doc.rules)) return fail('rules', 'expected {"rules": [...]}');
  const rules = doc.rules.map((raw, i) => parseRule(raw, `rules[${i}]`));
  rules.forEach((rule, i) => {
    if (rules.findIndex((r) => r.id === rule.id) !== i) fail(`rules[${i}].id`, `duplicate rule id "${rule.id}"`);
  });
  return rules;
}
