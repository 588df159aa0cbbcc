/** One delivery about to be produced, the source record (topic/partition/offset) it comes from, and what it carries. */
export interface DeliveryClaim {
  /** `${agencyId}:${alertId}:${version}` (deriveDeliveryId). */
  readonly deliveryId: string;
  readonly position: string;
  /** deliveryFingerprint of the alert as the agency receives it. */
  readonly fingerprint: string;
}

/** What the ledger holds of a delivery made: where it was claimed from, and what it carried (absent in records older than fingerprints). */
export interface DeliveryRecord {
  readonly position: string;
  readonly fingerprint?: string;
}

/** The position of a delivery the ledger learnt from an agency topic (restored after losing Redis): no source record claims it. */
export const RESTORED_POSITION = 'restored';

/**
 * The ledger's rule. A claim succeeds for a new delivery id, and for a known one claimed by the very
 * same source position: that is a replay after a crash or rebalance whose produce may not have
 * reached Kafka, so it is sent again (the agency recognises the id). The same delivery id from
 * another position with the same content is a re-published alert version: a duplicate, dropped.
 * With other content it is delivered: the correlator numbered another version the same (its state
 * was rebuilt from a history retention had cut), and withholding it would lose an alert.
 */
export function claimGranted(held: DeliveryRecord | undefined, claim: DeliveryClaim): boolean {
  if (held === undefined || held.position === claim.position) return true;
  return held.fingerprint !== undefined && held.fingerprint !== claim.fingerprint;
}

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
      const granted = claimGranted(this.records.get(claim.deliveryId), claim);
      if (granted) this.records.set(claim.deliveryId, { position: claim.position, fingerprint: claim.fingerprint });
      return granted;
    });
  }
}
