import type { AlertLevel } from './regional-alert';
import type { Tlp } from './incident-report';
import { TOPICS } from './topics';

/** TypeScript view of schemas/control-record/v1.avsc: the dispatcher's control data on Kafka. */

export interface Agency {
  agencyId: string;
  name: string;
  country: string;
  languages: string[];
}

export interface Subscription {
  subscriptionId: string;
  agencyId: string;
  countries: string[];
  zones: string[];
  categories: string[];
  minLevel: AlertLevel;
}

export interface Community {
  communityId: string;
  name: string;
  countries: string[];
  maxTlp: Tlp;
}

export interface Agreement {
  agreementId: string;
  name: string;
  countries: string[];
  maxTlp: Tlp;
}

export interface RedactionPolicy {
  keep: string[];
  withholdFactFor: Tlp[];
}

export interface Silence {
  silenceId: string;
  zone: string | null;
  ruleId: string | null;
  startsAt: number;
  endsAt: number;
  comment: string;
}

export interface Acknowledgement {
  alertId: string;
  version: number;
  comment: string;
}

export interface SeedMarker {
  name: string;
  sha256: string;
}

/** The entity a control record carries, by field name. */
export interface ControlEntities {
  agency: Agency;
  subscription: Subscription;
  community: Community;
  agreement: Agreement;
  redactionPolicy: RedactionPolicy;
  silence: Silence;
  acknowledgement: Acknowledgement;
  seed: SeedMarker;
}
export type ControlKind = keyof ControlEntities;
export const CONTROL_KINDS = ['agency', 'subscription', 'community', 'agreement', 'redactionPolicy', 'silence', 'acknowledgement', 'seed'] as const satisfies readonly ControlKind[];

export type ControlAction = 'PUT' | 'DELETE';

/** Exactly one entity field is non-null (avsc fills the others with null on encode when omitted). */
export type ControlRecord = {
  action: ControlAction;
  changedAt: number;
  changedBy: string;
  reason: string | null;
} & { [K in ControlKind]?: ControlEntities[K] | null };

/** Key prefix per kind: the record key is `<prefix>:<id>`. */
const KEY_PREFIX: Readonly<Record<ControlKind, string>> = {
  agency: 'agency',
  subscription: 'subscription',
  community: 'community',
  agreement: 'agreement',
  redactionPolicy: 'policy',
  silence: 'silence',
  acknowledgement: 'ack',
  seed: 'seed',
};

const ID_OF: { readonly [K in ControlKind]: (entity: ControlEntities[K]) => string } = {
  agency: (e) => e.agencyId,
  subscription: (e) => e.subscriptionId,
  community: (e) => e.communityId,
  agreement: (e) => e.agreementId,
  redactionPolicy: () => 'redaction',
  silence: (e) => e.silenceId,
  acknowledgement: (e) => e.alertId,
  seed: (e) => e.name,
};

export const controlKey = (kind: ControlKind, id: string): string => `${KEY_PREFIX[kind]}:${id}`;

/** The kind and id a key names, or undefined for a key of no known kind (written by a newer version). */
export function parseControlKey(key: string): { kind: ControlKind; id: string } | undefined {
  const at = key.indexOf(':');
  if (at <= 0) return undefined;
  const prefix = key.slice(0, at);
  const kind = CONTROL_KINDS.find((k) => KEY_PREFIX[k] === prefix);
  return kind ? { kind, id: key.slice(at + 1) } : undefined;
}

/** The one entity a record carries; undefined when it carries none or several (an invalid record). */
export function controlEntityOf(record: ControlRecord): { kind: ControlKind; entity: ControlEntities[ControlKind] } | undefined {
  const set = CONTROL_KINDS.filter((k) => record[k] !== null && record[k] !== undefined);
  if (set.length !== 1) return undefined;
  const kind = set[0]!;
  return { kind, entity: record[kind] as ControlEntities[ControlKind] };
}

export function controlKeyOf<K extends ControlKind>(kind: K, entity: ControlEntities[K]): string {
  return controlKey(kind, ID_OF[kind](entity));
}

export interface ControlChange {
  readonly action?: ControlAction;
  readonly changedAt: number;
  readonly changedBy: string;
  readonly reason?: string | null;
}

/** A record carrying `entity` and null in every other entity field (what a decoder returns). */
export function controlRecord<K extends ControlKind>(kind: K, entity: ControlEntities[K], change: ControlChange): ControlRecord {
  const record: ControlRecord = { action: change.action ?? 'PUT', changedAt: change.changedAt, changedBy: change.changedBy, reason: change.reason ?? null };
  for (const k of CONTROL_KINDS) record[k] = null;
  (record as Record<string, unknown>)[kind] = entity;
  return record;
}

/** Silences and acknowledgements change often and are operators' day-to-day work: their own topic. */
export const controlTopicOf = (kind: ControlKind): string => (kind === 'silence' || kind === 'acknowledgement' ? TOPICS.lifecycle : TOPICS.subscriptions);
