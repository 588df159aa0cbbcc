/*
 * Zones an incident leaves. Each zone counts the latest revision of an incident that reached it.
 * A revision that moves the incident (or a retraction located nowhere) is not in the zones its
 * earlier revisions were in, so they would go on counting it: the enricher also sends the revision
 * to those zones, and there the copy withdraws the incident. A copy says which case it is with data
 * it already carries: a copy keyed by a zone its own correlationKeys list is the incident in that
 * zone; keyed by any other zone, it withdraws the incident from that zone (a retraction there, at
 * the copy's revision). Rebuilds replay the same copies, so they reach the same state.
 */

/** What the enricher remembers of an incident: the highest revision it routed, and every zone a revision was sent to. */
export interface IncidentZones {
  readonly revision: number;
  readonly zones: readonly string[];
}

/** One revision the enricher routes: the zones it is in. */
export interface RoutedRevision {
  readonly eventId: string;
  readonly revision: number;
  readonly zones: readonly string[];
}

/**
 * Where a revision goes. `superseded`: a higher revision was routed already (it arrived late, or
 * this is a replay of an older one); that revision took effect in every zone concerned, and this
 * one goes nowhere.
 */
export type RevisionRouting =
  | { readonly kind: 'route'; readonly zones: readonly string[]; readonly withdrawFrom: readonly string[] }
  | { readonly kind: 'superseded'; readonly by: number };

/**
 * The zones a revision is in get it; every other zone an earlier revision was sent to gets its
 * withdrawal. Sending one again to a zone that had it already is harmless (a zone keeps the highest
 * revision), which is why the memory can be a set of zones rather than a history of revisions,
 * and why a batch redone after a crash routes as the first attempt did.
 */
export function routeRevision(revision: number, zones: readonly string[], remembered: IncidentZones | null): RevisionRouting {
  if (remembered === null) return { kind: 'route', zones, withdrawFrom: NONE };
  if (remembered.revision > revision) return { kind: 'superseded', by: remembered.revision };
  const withdrawFrom = remembered.zones.filter((zone) => !zones.includes(zone));
  return { kind: 'route', zones, withdrawFrom: withdrawFrom.length === 0 ? NONE : withdrawFrom };
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * What the memory holds once a revision is routed: the higher revision, and the zones of both. A
 * lower revision changes nothing (it went nowhere). IncidentZoneMemory's Redis script applies this
 * rule; its spec checks the two agree.
 */
export function rememberRevision(held: IncidentZones | null, revision: number, zones: readonly string[]): IncidentZones {
  if (held === null) return { revision, zones: [...new Set(zones)] };
  if (held.revision > revision) return held;
  return { revision, zones: [...new Set([...held.zones, ...zones])] };
}

/**
 * Whether a copy keyed by `zone` is the incident in that zone (true), rather than its withdrawal
 * from it: its correlationKeys list the zone. Compared piecewise, as `<kind>:<id>`, without
 * building the key string: the correlator asks for every copy it reads.
 */
export function copyIsInZone(correlationKeys: readonly string[], zone: { readonly kind: string; readonly id: string }): boolean {
  const length = zone.kind.length + 1 + zone.id.length;
  for (const key of correlationKeys) {
    if (key.length === length && key.charCodeAt(zone.kind.length) === COLON && key.startsWith(zone.kind) && key.endsWith(zone.id)) return true;
  }
  return false;
}

const COLON = 0x3a;

/** The enricher's memory of the zones each incident was sent to, kept in this process: for tests and in-process replays (IncidentZoneMemory of libs/state is the Redis one). */
export class MemoryIncidentZones {
  private readonly held = new Map<string, IncidentZones>();

  /** What the incident's memory held before this revision; the revision is remembered as rememberRevision says. */
  recall(routed: RoutedRevision): IncidentZones | null {
    const before = this.held.get(routed.eventId) ?? null;
    this.held.set(routed.eventId, rememberRevision(before, routed.revision, routed.zones));
    return before;
  }

  async remember(revisions: readonly RoutedRevision[]): Promise<(IncidentZones | null)[]> {
    return revisions.map((r) => this.recall(r));
  }
}
