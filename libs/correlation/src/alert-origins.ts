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

/**
 * The origins of two sets of evidence together: agencies joined, releases intersected. Returns `a`
 * itself when `b` adds nothing to it, as it mostly does (a sealed bucket taking one more incident
 * of an agency it has), so that merging allocates only when the origins change.
 */
export function mergeOrigins(a: AlertOrigins, b: AlertOrigins): AlertOrigins {
  if (b === NO_ORIGINS || a === b) return a;
  if (a === NO_ORIGINS) return b;
  const agencies = a.agencies === null || b.agencies === null ? null : joined(a.agencies, b.agencies);
  const releasableTo = b.releasableTo === null ? a.releasableTo : a.releasableTo === null ? b.releasableTo : common(a.releasableTo, b.releasableTo);
  return agencies === a.agencies && releasableTo === a.releasableTo ? a : { agencies, releasableTo };
}

/** `a` and the incident's origins: what sealing one incident into a bucket adds (see mergeOrigins). */
export function withIncident(a: AlertOrigins, event: WindowEvent): AlertOrigins {
  const agency = event.reportingAgency;
  const release = releaseOf(event);
  // Most often nothing new: an agency the bucket has, releasing what it releases already.
  const adds = agency === null || a.agencies === null || !a.agencies.includes(agency) || (release !== null && (a.releasableTo === null || common(a.releasableTo, release) !== a.releasableTo));
  return adds ? mergeOrigins(a, { agencies: agency === null ? null : [agency], releasableTo: release }) : a;
}

/** The sorted union of two sorted lists; `a` itself when it holds `b` already. */
function joined(a: readonly string[], b: readonly string[]): readonly string[] {
  return b.every((x) => a.includes(x)) ? a : [...new Set([...a, ...b])].sort();
}

/** The sorted intersection of two sorted lists; `a` itself when `b` holds it all. */
function common(a: readonly string[], b: readonly string[]): readonly string[] {
  return a.every((x) => b.includes(x)) ? a : a.filter((x) => b.includes(x));
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
