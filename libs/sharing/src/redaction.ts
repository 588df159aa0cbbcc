import { TLP_LEVELS, type AlertLevel, type AlertStatus, type RedactionPolicy, type RegionalAlert } from '@vigie/contracts';
import { Problems, join } from './problems';

/**
 * What an agency not entitled to an alert's details still learns. A redacted alert always keeps
 * what says that a zone is on alert (alertId, version, status, zone, level, tlp); the policy may keep
 * some more of the fields below; everything else — what could identify an event, a source country or
 * an originating agency — is always replaced by an empty value and listed in `redactedFields`.
 */
export const ALWAYS_KEPT = ['alertId', 'version', 'status', 'zone', 'level', 'tlp'] as const;

type Emptied = { readonly [K in keyof RegionalAlert]?: (alert: RegionalAlert) => RegionalAlert[K] };

/** Fields the policy may keep, with the empty value they get when it does not. */
const KEEPABLE = {
  previousLevel: () => null,
  rule: () => ({ id: '', kind: '' }),
  window: () => ({ startAt: 0, endAt: 0 }),
  firstSeen: () => 0,
  lastSeen: () => 0,
  evaluatedAt: () => 0,
  latestReportedAt: () => 0,
  score: () => 0,
  countsByCategory: () => ({}),
} as const satisfies Emptied;
export type KeepableField = keyof typeof KEEPABLE;
export const KEEPABLE_FIELDS = Object.keys(KEEPABLE) as KeepableField[];

/** Fields that are never kept: they name events, source countries or agencies (the summary is rewritten from what is kept). */
const NEVER_KEPT = {
  explanation: (a) => withheldText(a).en,
  contributingEventIds: () => [],
  distinctSourceCountries: () => [],
  summary: (a) => withheldText(a),
  sourceAgencies: () => [],
  releasableTo: () => [],
} as const satisfies Emptied;
export const NEVER_KEPT_FIELDS = Object.keys(NEVER_KEPT) as (keyof typeof NEVER_KEPT)[];

/** The seed's default: the fact of the alert, its rule and window; no counts, no score. */
export const DEFAULT_REDACTION: RedactionPolicy = { keep: ['previousLevel', 'rule', 'window'], withholdFactFor: [] };

const LEVEL_FR: Record<AlertLevel, string> = { LOW: 'faible', MEDIUM: 'moyen', HIGH: 'élevé', CRITICAL: 'critique' };
const STATUS_FR: Record<AlertStatus, string> = { FIRING: 'déclenchée', UPDATED: 'mise à jour', RESOLVED: 'levée', RETRACTED: 'retirée' };

export const WITHHELD_EN = 'details withheld under the sharing policy';
export const WITHHELD_FR = 'détails non communiqués en application de la politique de partage';

function withheldText(alert: RegionalAlert): { fr: string; en: string } {
  return {
    en: `${alert.zone.name}: alert ${alert.status.toLowerCase()}, level ${alert.level}; ${WITHHELD_EN}.`,
    fr: `${alert.zone.name} : alerte ${STATUS_FR[alert.status]}, niveau ${LEVEL_FR[alert.level]} ; ${WITHHELD_FR}.`,
  };
}

export function checkRedactionPolicy(p: Problems, value: unknown, path = ''): RedactionPolicy | undefined {
  const r = p.record(value, path, ['keep', 'withholdFactFor']);
  if (!r) return undefined;
  const keep = p.strings(r.keep, join(path, 'keep'), (f, fPath) => {
    if ((ALWAYS_KEPT as readonly unknown[]).includes(f)) return p.string(f, fPath, null, 'a field');
    if ((NEVER_KEPT_FIELDS as readonly unknown[]).includes(f)) p.add(fPath, `${String(f)} can never be kept: it identifies events, source countries or agencies`);
    else p.oneOf(f, fPath, KEEPABLE_FIELDS);
    return typeof f === 'string' ? f : '';
  }, true);
  return {
    keep: keep.filter((f) => !(ALWAYS_KEPT as readonly string[]).includes(f)),
    withholdFactFor: p.strings(r.withholdFactFor, join(path, 'withholdFactFor'), (t, tPath) => p.oneOf(t, tPath, TLP_LEVELS.filter((l) => l !== 'CLEAR')), true) as RedactionPolicy['withholdFactFor'],
  };
}

export function parseRedactionPolicy(value: unknown): RedactionPolicy {
  const p = new Problems();
  return p.result('REDACTION_POLICY_INVALID', checkRedactionPolicy(p, value) as RedactionPolicy);
}

/** The alert as an agency without the right to its details receives it, and the fields emptied. */
export function redact(alert: RegionalAlert, policy: RedactionPolicy = DEFAULT_REDACTION): { alert: RegionalAlert; redactedFields: string[] } {
  const redacted: Record<string, unknown> = { ...alert };
  const redactedFields: string[] = [];
  const empty = (emptied: Emptied, field: string): void => {
    redacted[field] = (emptied as Record<string, (a: RegionalAlert) => unknown>)[field]!(alert);
    redactedFields.push(field);
  };
  for (const field of KEEPABLE_FIELDS) if (!policy.keep.includes(field)) empty(KEEPABLE, field);
  for (const field of NEVER_KEPT_FIELDS) empty(NEVER_KEPT, field);
  return { alert: redacted as unknown as RegionalAlert, redactedFields };
}
