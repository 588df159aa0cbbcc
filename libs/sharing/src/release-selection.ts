import type { RegionalAlert, Silence } from '@vigie/contracts';
import { activeSilencesFor, silenceCovers } from './silences';

/** What a release needs of an alert version: which alert, which version, and what silences match on. */
export type ReleasedAlertHead = Pick<RegionalAlert, 'alertId' | 'version' | 'zone' | 'rule' | 'evaluatedAt'>;

/** A version a silence selected; `heldSince`: when that silence began (the earliest, when several selected it). */
type Held<T> = { readonly alert: ReleasedAlertHead; readonly item: T; readonly heldSince: number };

/** Keeps in `byAlert` the later of the version held and `held` (of one version, the earlier selection). */
function keepLatest<T>(byAlert: Map<string, Held<T>>, held: Held<T>): void {
  const seen = byAlert.get(held.alert.alertId);
  const later = !seen || seen.alert.version < held.alert.version;
  if (later || (seen.alert.version === held.alert.version && held.heldSince < seen.heldSince)) byAlert.set(held.alert.alertId, held);
}

/**
 * The arrival watermark a released version carries to the dispatcher, which holds back versions
 * evaluated before its delivery ledger's reach (withinLedgerReach); undefined: none, so it counts
 * from its release. One evaluated since the silence that selected it began was held by it and
 * never delivered: its first delivery is this release, however old (a silence lasts up to 31
 * days, longer than the ledger may reach). One evaluated before is a version a rebuild
 * re-published with a new evaluatedAt: it keeps its watermark, and is judged as the version itself.
 */
export function releasedWatermark(watermark: number | undefined, heldSince: number, clockSlackMs: number): number | undefined {
  return watermark === undefined || watermark >= heldSince - clockSlackMs ? undefined : watermark;
}

/**
 * Which alert versions a batch of ended silences releases, fed the alert topic once for all of them.
 * Each silence selects as if read alone: the latest version of every alert it covers that was
 * evaluated since it began, unless another silence in force holds it now. The union holds each
 * alert once, at the latest version any silence selected.
 */
export class ReleaseSelection<T> {
  private readonly latest: Map<string, Held<T>>[];

  constructor(private readonly silences: readonly Silence[]) {
    // By position, not silenceId: two entries of one silence (its record replaced) can be pending together.
    this.latest = silences.map(() => new Map());
  }

  offer(alert: ReleasedAlertHead, item: T): void {
    this.silences.forEach((silence, i) => {
      if (silenceCovers(silence, alert) && alert.evaluatedAt >= silence.startsAt) keepLatest(this.latest[i]!, { alert, item, heldSince: silence.startsAt });
    });
  }

  /** `current`: every silence the control topics hold now; `counts[i]`: how many alerts silence i releases. */
  result(current: readonly Silence[], now: number): { counts: number[]; released: Held<T>[] } {
    const union = new Map<string, Held<T>>();
    const counts = this.silences.map((silence, i) => {
      const others = current.filter((s) => s.silenceId !== silence.silenceId);
      let count = 0;
      for (const held of this.latest[i]!.values()) {
        if (activeSilencesFor(held.alert, others, now).length > 0) continue;
        count++;
        keepLatest(union, held);
      }
      return count;
    });
    return { counts, released: [...union.values()] };
  }
}
