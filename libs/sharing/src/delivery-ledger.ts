/** One delivery about to be produced, the source record (topic/partition/offset) it comes from, and what it carries. */
export interface DeliveryClaim {
  /** `${agencyId}:${alertId}:${version}` (deriveDeliveryId). */
  readonly deliveryId: string;
  readonly position: string;
  /** deliveryFingerprint of the alert as the agency receives it. */
  readonly fingerprint: string;
  /** What the delivery is to the agency's notice of the alert (see claimAnswer); news when absent. */
  readonly notice?: DeliveryNotice;
}

/**
 * News is delivered whether or not the agency was told of the alert, and tells it; a follow-up (an
 * end, a fall from its level) only to an agency told of an earlier version of the alert. A notice
 * is the first version the agency was told of, and is never closed: an end corrected after it (late
 * evidence), an end released late by a silence, or the end of a later episode still reach whoever
 * was told of the alert before; missing an end is worse than one too many. "Earlier" keeps the
 * answer a function of the versions alone: a rebuild re-publishing an old follow-up answers it as
 * the first time, though the agency was told of later versions since.
 */
export type DeliveryNotice = 'news' | 'follow-up';

/** Granted: produce it; duplicate: delivered already; untold: a follow-up for an agency never told of the alert. */
export type DeliveryAnswer = 'granted' | 'duplicate' | 'untold';

/** The id of an agency's notice of an alert: its delivery ids without the version (`${agencyId}:${alertId}`). */
export const noticeIdOf = (deliveryId: string): string => deliveryId.slice(0, deliveryId.lastIndexOf(':'));

/** The alert version a delivery id names (its last part). */
export const versionOf = (deliveryId: string): number => Number(deliveryId.slice(deliveryId.lastIndexOf(':') + 1));

/**
 * What the ledger holds of a delivery made: the position that last claimed it, and the contents
 * (fingerprints) it was delivered with; none in records written before fingerprints (content unknown).
 */
export interface DeliveryRecord {
  readonly position: string;
  readonly fingerprints: readonly string[];
}

/** The position of a delivery the ledger learnt from an agency topic (restored after losing Redis): no source record claims it. */
export const RESTORED_POSITION = 'restored';

/**
 * The ledger's rule. A claim succeeds for a new delivery id, and for a known one claimed by the very
 * same source position: that is a replay after a crash or rebalance whose produce may not have
 * reached Kafka, so it is sent again (the agency recognises the id and content). The same delivery
 * id from another position with content already delivered is a re-published alert version: a
 * duplicate, dropped. With other content it is delivered: the correlator numbered another version
 * the same (its state was rebuilt from a history retention had cut), and withholding it would lose
 * an alert. A record of unknown content refuses every other position, as before fingerprints.
 */
export function claimGranted(held: DeliveryRecord | undefined, claim: DeliveryClaim): boolean {
  if (held === undefined || held.position === claim.position) return true;
  return held.fingerprints.length > 0 && !held.fingerprints.includes(claim.fingerprint);
}

/**
 * claimGranted, and who is owed what: a follow-up goes only to an agency told of an earlier version
 * of the alert (`toldSince`: the first version it was told of, see DeliveryNotice). A version
 * delivered before under its id (held) was told to the agency: its replay, or other content
 * numbered the same, goes as claimGranted says.
 */
export function claimAnswer(held: DeliveryRecord | undefined, claim: DeliveryClaim, toldSince: number | undefined): DeliveryAnswer {
  if (held !== undefined) return claimGranted(held, claim) ? 'granted' : 'duplicate';
  if ((claim.notice ?? 'news') === 'news') return 'granted';
  return toldSince !== undefined && toldSince < versionOf(claim.deliveryId) ? 'granted' : 'untold';
}

/** The notice once a delivery of `version` was made: the first version the agency was told of. */
export const toldSinceAfter = (toldSince: number | undefined, version: number): number => (toldSince === undefined ? version : Math.min(toldSince, version));

/** The record after a granted claim: its position, and its content among those delivered. */
export function claimedRecord(held: DeliveryRecord | undefined, claim: DeliveryClaim): DeliveryRecord {
  return { position: claim.position, fingerprints: withFingerprint(held?.fingerprints ?? [], claim.fingerprint) };
}

/** The record after a delivery with this content was found on an agency topic (a restore). */
export function restoredRecord(held: DeliveryRecord | undefined, fingerprint: string): DeliveryRecord {
  return { position: held?.position ?? RESTORED_POSITION, fingerprints: withFingerprint(held?.fingerprints ?? [], fingerprint) };
}

const withFingerprint = (fingerprints: readonly string[], fingerprint: string): readonly string[] =>
  fingerprints.includes(fingerprint) ? fingerprints : [...fingerprints, fingerprint];

/**
 * The watermark is on ingest's clock, a record's expiry on Redis's: the reach is shortened by this
 * much, so that a clock ahead of another cannot let through a version whose record just expired.
 */
export const CLOCK_SKEW_MARGIN_MS = 3_600_000;

/**
 * Whether the ledger can tell if a version was delivered. It remembers each delivery `reachMs` (a
 * restore reads the agency topics back as far), and a version's first delivery came after the
 * arrival watermark at which the correlator evaluated it (ingest's time for the latest report it
 * had read on its partition): so a version evaluated at a watermark within the reach was, if ever
 * delivered, delivered within it. A rebuild from the same incidents.enriched evaluates it again at
 * the same watermark (or a lower one, once retention has cut the topic's start; re-deriving the
 * topic itself would change them). One evaluated at an older watermark comes from a replay older
 * than the ledger's memory (a rebuild of a year of history after losing Redis) or from a backlog
 * older than the reach (ingest ran on while a later stage stood still that long): it is held
 * back, not delivered as news a second time.
 */
export const withinLedgerReach = (arrivalWatermark: number, now: number, reachMs: number): boolean => arrivalWatermark >= now - reachMs + CLOCK_SKEW_MARGIN_MS;

/**
 * Remembers which deliveries were produced, by the rule of claimGranted, and which agencies were
 * told of which alert (their notices, see claimAnswer): bounded by agencies × zones × rules, they
 * do not expire.
 */
export interface DeliveryLedger {
  /** How long a delivery is remembered, in ms (see withinLedgerReach). */
  readonly reachMs: number;
  /**
   * One answer per claim, in order; `granted` = produce it. Throws a retriable VigieError when the
   * store is unreachable. `keepAlive` (the consumer's heartbeat) is called while the claim waits
   * long, for a restore.
   */
  claim(deliveries: readonly DeliveryClaim[], keepAlive?: () => Promise<void>): Promise<DeliveryAnswer[]>;
}

/** A delivery found on an agency topic: what it carried, and when it was made. */
export interface RestoredDelivery {
  readonly deliveryId: string;
  readonly fingerprint: string;
  readonly deliveredAt: number;
}

/** A ledger that can learn, after its store was lost, what the agency topics say was delivered. */
export interface RestorableDeliveryLedger extends DeliveryLedger {
  /** True once restored on this store: the marker goes with the store. */
  isRestored(): Promise<boolean>;
  /** Starts a restore: the token it returns stands until the store is emptied. */
  beginRestore(): Promise<string>;
  /**
   * Records deliveries found (in the order found) by the rule of restoredRecord, and the notices
   * they gave; returns how many delivery records it added or changed.
   */
  restore(deliveries: readonly RestoredDelivery[], now?: number): Promise<number>;
  /** Marks the ledger restored if the restore's token still stands; false when the store was emptied since (restore again). */
  markRestored(token: string): Promise<boolean>;
}

/** The ledger's semantics without Redis, for tests and single-process tools; it never forgets, whatever reach it announces. */
export class InMemoryDeliveryLedger implements RestorableDeliveryLedger {
  private readonly records = new Map<string, DeliveryRecord>();
  /** The notices held (noticeIdOf → the first version told). */
  private readonly told = new Map<string, number>();
  private restored = false;
  private readonly restoring = new Set<string>();

  constructor(readonly reachMs = Infinity) {}

  async claim(deliveries: readonly DeliveryClaim[]): Promise<DeliveryAnswer[]> {
    return deliveries.map((claim) => {
      const held = this.records.get(claim.deliveryId);
      const notice = noticeIdOf(claim.deliveryId);
      const answer = claimAnswer(held, claim, this.told.get(notice));
      if (answer === 'granted') {
        this.records.set(claim.deliveryId, claimedRecord(held, claim));
        this.told.set(notice, toldSinceAfter(this.told.get(notice), versionOf(claim.deliveryId)));
      }
      return answer;
    });
  }

  async isRestored(): Promise<boolean> {
    return this.restored;
  }

  async restore(deliveries: readonly RestoredDelivery[]): Promise<number> {
    let changed = 0;
    for (const { deliveryId, fingerprint } of deliveries) {
      const notice = noticeIdOf(deliveryId);
      this.told.set(notice, toldSinceAfter(this.told.get(notice), versionOf(deliveryId)));
      const held = this.records.get(deliveryId);
      const record = restoredRecord(held, fingerprint);
      if (record.position !== held?.position || record.fingerprints.length !== held.fingerprints.length) changed++;
      this.records.set(deliveryId, record);
    }
    return changed;
  }

  async beginRestore(): Promise<string> {
    const token = String(this.restoring.size + 1);
    this.restoring.add(token);
    return token;
  }

  async markRestored(token: string): Promise<boolean> {
    if (!this.restoring.delete(token)) return false;
    this.restored = true;
    return true;
  }
}
