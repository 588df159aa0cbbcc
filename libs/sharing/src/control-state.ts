import {
  controlEntityOf,
  controlKeyOf,
  controlRecord,
  parseControlKey,
  type Acknowledgement,
  type Agency,
  type Agreement,
  type Community,
  type ControlEntities,
  type ControlKind,
  type ControlRecord,
  type RedactionPolicy,
  type SeedMarker,
  type Silence,
  type Subscription,
} from '@vigie/contracts';
import type { AgencyDirectory } from './agency-directory';
import { DEFAULT_REDACTION } from './redaction';
import type { SharingPolicy } from './sharing-policy';

/** One entity as the control topics hold it now, with who last changed it. */
export interface ControlEntry<K extends ControlKind = ControlKind> {
  readonly entity: ControlEntities[K];
  readonly changedAt: number;
  readonly changedBy: string;
  readonly reason: string | null;
}

type Tables = { [K in ControlKind]: Map<string, ControlEntry<K>> };

/**
 * The control topics materialised: the latest record of every key, tombstones removing. Every
 * dispatcher instance builds one from the beginning of the compacted topics and keeps applying what
 * follows, so all instances converge on the same directory, policy, silences and acknowledgements.
 * Records it cannot read (no entity, or a key of an unknown kind) are reported and skipped.
 */
export class ControlState {
  private readonly tables: Tables = {
    agency: new Map(),
    subscription: new Map(),
    community: new Map(),
    agreement: new Map(),
    redactionPolicy: new Map(),
    silence: new Map(),
    acknowledgement: new Map(),
    seed: new Map(),
  };
  private revision = 0;
  private cache: { revision: number; directory: AgencyDirectory; policy: SharingPolicy } | undefined;

  /** Applies one record; returns a problem when it could not, undefined when it did. */
  apply(key: string, record: ControlRecord | null): string | undefined {
    const parsed = parseControlKey(key);
    if (!parsed) return `key "${key}" names no known kind`;
    this.revision++;
    if (record === null) {
      this.tables[parsed.kind].delete(parsed.id);
      return undefined;
    }
    const carried = controlEntityOf(record);
    if (!carried || carried.kind !== parsed.kind) return `record under "${key}" does not carry one ${parsed.kind}`;
    (this.tables[parsed.kind] as Map<string, ControlEntry>).set(parsed.id, {
      entity: carried.entity,
      changedAt: record.changedAt,
      changedBy: record.changedBy,
      reason: record.reason,
    });
    return undefined;
  }

  entry<K extends ControlKind>(kind: K, id: string): ControlEntry<K> | undefined {
    return this.tables[kind].get(id);
  }

  get<K extends ControlKind>(kind: K, id: string): ControlEntities[K] | undefined {
    return this.tables[kind].get(id)?.entity;
  }

  entries<K extends ControlKind>(kind: K): ControlEntry<K>[] {
    return [...this.tables[kind].values()];
  }

  all<K extends ControlKind>(kind: K): ControlEntities[K][] {
    return this.entries(kind).map((e) => e.entity);
  }

  /** Agencies and their subscriptions, sorted by id; a subscription whose agency was deleted is left out. */
  directory(): AgencyDirectory {
    return this.derived().directory;
  }

  policy(): SharingPolicy {
    return this.derived().policy;
  }

  silences(): Silence[] {
    return this.all('silence');
  }

  acknowledgement(alertId: string): Acknowledgement | undefined {
    return this.get('acknowledgement', alertId);
  }

  seeded(name: string): SeedMarker | undefined {
    return this.get('seed', name);
  }

  /** Directory and policy are rebuilt only after a change, not per alert. */
  private derived(): { directory: AgencyDirectory; policy: SharingPolicy } {
    if (this.cache?.revision === this.revision) return this.cache;
    const byId = <T>(items: T[], id: (t: T) => string): T[] => items.sort((a, b) => id(a).localeCompare(id(b)));
    const agencies: Agency[] = byId(this.all('agency'), (a) => a.agencyId);
    const subscriptions: Subscription[] = byId(this.all('subscription').filter((s) => this.tables.agency.has(s.agencyId)), (s) => s.subscriptionId);
    const communities: Community[] = byId(this.all('community'), (c) => c.communityId);
    const agreements: Agreement[] = byId(this.all('agreement'), (a) => a.agreementId);
    const redaction: RedactionPolicy = this.get('redactionPolicy', 'redaction') ?? DEFAULT_REDACTION;
    this.cache = { revision: this.revision, directory: { agencies, subscriptions }, policy: { communities, agreements, redaction } };
    return this.cache;
  }
}

/** A state holding a directory, a policy and any further entities: for tests and tools that run without the topics. */
export function controlStateOf(directory: AgencyDirectory, policy: SharingPolicy, more: { silences?: Silence[]; acknowledgements?: Acknowledgement[] } = {}): ControlState {
  const state = new ControlState();
  const change = { changedAt: 0, changedBy: 'test' };
  const put = <K extends ControlKind>(kind: K, entity: ControlEntities[K]): void => void state.apply(controlKeyOf(kind, entity), controlRecord(kind, entity, change));
  directory.agencies.forEach((a) => put('agency', a));
  directory.subscriptions.forEach((s) => put('subscription', s));
  policy.communities.forEach((c) => put('community', c));
  policy.agreements.forEach((a) => put('agreement', a));
  put('redactionPolicy', policy.redaction);
  more.silences?.forEach((s) => put('silence', s));
  more.acknowledgements?.forEach((a) => put('acknowledgement', a));
  return state;
}
