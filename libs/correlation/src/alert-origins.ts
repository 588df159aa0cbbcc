import type { WindowEvent } from './window-event';

/**
 * Who an alert's evidence came from, for the sharing rules of AMBER_STRICT and RED (see the
 * sharing lib's entitledToDetails): the reporting agencies, and the agencies every AMBER_STRICT
 * incident among the evidence may go to.
 */
export interface AlertOrigins {
  /** Sorted; null when some of the evidence does not say (incidents or sealed buckets stored by an earlier release). */
  readonly agencies: readonly string[] | null;
  /**
   * The agencies every AMBER_STRICT incident among the evidence names, sorted; null when none is
   * AMBER_STRICT, GREEN or AMBER (nothing to restrict). A GREEN or AMBER incident names nobody: the
   * policy's country rules share it, and an AMBER_STRICT release of other evidence must not carry it
   * further (the alert, marked AMBER_STRICT, goes in full only to its sole originator then).
   */
  readonly releasableTo: readonly string[] | null;
}

/** What state stored by an earlier release, which kept no origins, stands for. */
export const UNKNOWN_ORIGINS: AlertOrigins = Object.freeze({ agencies: null, releasableTo: null });
/** No evidence. */
export const NO_ORIGINS: AlertOrigins = Object.freeze({ agencies: Object.freeze([]), releasableTo: null });

/**
 * The origins of the incidents given. One pass that allocates nothing per incident: a version of
 * a busy zone counts thousands, mostly from a few agencies and rarely AMBER_STRICT.
 */
export function originsOf(contributors: readonly { readonly event: WindowEvent }[]): AlertOrigins {
  if (contributors.length === 0) return NO_ORIGINS;
  const agencies = new Set<string>();
  let known = true;
  let previous: string | null | undefined;
  let releasableTo: Set<string> | null = null;
  let releasedToNobody = false;
  for (const { event } of contributors) {
    if (event.reportingAgency !== previous) {
      previous = event.reportingAgency;
      if (previous === null) known = false;
      else agencies.add(previous);
    }
    if (releasedToNobody) continue;
    const release = releaseOf(event);
    if (release === NOBODY) releasedToNobody = true;
    else if (release !== null) {
      releasableTo = releasableTo === null ? new Set(release) : intersect(releasableTo, release);
      releasedToNobody = releasableTo.size === 0;
    }
  }
  return {
    agencies: known ? [...agencies].sort() : null,
    releasableTo: releasedToNobody ? NOBODY : releasableTo && [...releasableTo].sort(),
  };
}

/** The origins of two sets of evidence together: agencies joined, releases intersected. */
export function mergeOrigins(a: AlertOrigins, b: AlertOrigins): AlertOrigins {
  if (b === NO_ORIGINS || a === b) return a;
  if (a === NO_ORIGINS) return b;
  return {
    agencies: a.agencies === null || b.agencies === null ? null : [...new Set([...a.agencies, ...b.agencies])].sort(),
    releasableTo: a.releasableTo === null ? b.releasableTo : b.releasableTo === null ? a.releasableTo : [...intersect(new Set(a.releasableTo), b.releasableTo)].sort(),
  };
}

/**
 * The alert's `sourceAgencies` and `releasableTo`. Unknown agencies publish both empty: no agency
 * is then a sole originator or named, so AMBER_STRICT and RED details go to nobody (fail closed).
 */
export function publishedOrigins(origins: AlertOrigins): { sourceAgencies: string[]; releasableTo: string[] } {
  if (origins.agencies === null) return { sourceAgencies: [], releasableTo: [] };
  return { sourceAgencies: [...origins.agencies], releasableTo: [...(origins.releasableTo ?? [])] };
}

/** Whom an incident is released to by name: AMBER_STRICT its list, GREEN and AMBER nobody (the policy shares them), CLEAR and RED no constraint. */
function releaseOf(event: WindowEvent): readonly string[] | null {
  switch (event.tlp) {
    case 'AMBER_STRICT':
      return event.releasableTo;
    case 'GREEN':
    case 'AMBER':
      return NOBODY;
    default:
      return null;
  }
}

const NOBODY: readonly string[] = Object.freeze([]);

function intersect(kept: Set<string>, other: readonly string[]): Set<string> {
  const allowed = new Set(other);
  for (const agency of kept) if (!allowed.has(agency)) kept.delete(agency);
  return kept;
}
