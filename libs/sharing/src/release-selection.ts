import type { RegionalAlert, Silence } from '@vigie/contracts';
import { withinLedgerReach } from './delivery-ledger';
import { SILENCE_CLOCK_SLACK_MS, activeSilencesFor, silenceSelects } from './silences';

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
 * whose watermark is beyond its delivery ledger's reach (withinLedgerReach); undefined: none, so
 * it counts from its release. A version a silence held was never delivered: its first delivery is
 * this release, however long the silence lasted (up to 31 days, longer than the ledger may
 * reach), so it goes without. Only one already beyond the reach when the silence began keeps it: a
 * version a rebuild re-published with a new evaluatedAt, judged as the version itself. Between the
 * two, a version a rebuild re-published may be delivered once more, which is recognisable, where
 * holding back what a silence held would lose it.
 */
export function releasedWatermark(watermark: number | undefined, heldSince: number, ledgerReachMs: number): number | undefined {
  return watermark === undefined || withinLedgerReach(watermark, heldSince, ledgerReachMs) ? undefined : watermark;
}

/**
 * Which alert versions a batch of ended silences releases, fed the alert topic once for all of them.
 * Each silence selects as if read alone (silenceSelects): the latest version of every alert it
 * covers that was evaluated since it began, less `clockSlackMs` (a version evaluated just before the
 * start may be dispatched, and held, just after it; one released that was not held is a duplicate
 * the delivery ledger drops), unless another silence in force holds it now. The union holds each alert once, at
 * the latest version any silence selected.
 */
export class ReleaseSelection<T> {
  private readonly latest: Map<string, Held<T>>[];

  constructor(
    private readonly silences: readonly Silence[],
    private readonly clockSlackMs = SILENCE_CLOCK_SLACK_MS,
  ) {
    // By position, not silenceId: two entries of one silence (its record replaced) can be pending together.
    this.latest = silences.map(() => new Map());
  }

  offer(alert: ReleasedAlertHead, item: T): void {
    this.silences.forEach((silence, i) => {
      if (silenceSelects(silence, alert, this.clockSlackMs)) keepLatest(this.latest[i]!, { alert, item, heldSince: silence.startsAt });
    });
  }

  /** `current`: every silence the control topics hold now; `counts[i]`: how many alerts silence i releases. */
  result(current: readonly Silence[], now: number): { counts: number[]; released: Held<T>[] } {
    const union = new Map<string, Held<T>>();
    const counts = this.silences.map((silence, i) => {
      const others = current.filter((s) => s.silenceId !== silence.silenceId);
      let count = 0;
      for (const held of this.latest[i]!.values()) {
        if (activeSilencesFor(held.alert, others, now, this.clockSlackMs).length > 0) continue;
        count++;
        keepLatest(union, held);
      }
      return count;
    });
    return { counts, released: [...union.values()] };
  }
}
