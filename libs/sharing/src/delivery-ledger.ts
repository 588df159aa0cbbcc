/** One delivery about to be produced, the source record (topic/partition/offset) it comes from, and what it carries. */
export interface DeliveryClaim {
  /** `${agencyId}:${alertId}:${version}` (deriveDeliveryId). */
  readonly deliveryId: string;
  readonly position: string;
  /** deliveryFingerprint of the alert as the agency receives it. */
  readonly fingerprint: string;
}

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

/** Remembers which deliveries were produced, by the rule of claimGranted. */
export interface DeliveryLedger {
  /** `true` per claim = produce it. Throws a retriable VigieError when the store is unreachable. */
  claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]>;
}

/** The ledger's semantics without Redis, for tests and single-process tools; it never forgets. */
export class InMemoryDeliveryLedger implements DeliveryLedger {
  private readonly records = new Map<string, DeliveryRecord>();

  async claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]> {
    return deliveries.map((claim) => {
      const held = this.records.get(claim.deliveryId);
      const granted = claimGranted(held, claim);
      if (granted) this.records.set(claim.deliveryId, claimedRecord(held, claim));
      return granted;
    });
  }

  /** Records a delivery found on an agency topic with this content. */
  restore(deliveryId: string, fingerprint: string): void {
    this.records.set(deliveryId, restoredRecord(this.records.get(deliveryId), fingerprint));
  }
}
