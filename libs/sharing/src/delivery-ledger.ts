/** One delivery about to be produced, and the source record (topic/partition/offset) it comes from. */
export interface DeliveryClaim {
  /** `${agencyId}:${alertId}:${version}` (deriveDeliveryId). */
  readonly deliveryId: string;
  readonly position: string;
}

/**
 * Remembers which deliveries were produced. A claim succeeds for a new delivery id, and for a known
 * one claimed by the very same source position: that is a replay after a crash or rebalance whose
 * produce may not have reached Kafka, so it is sent again (the agency recognises the id). The same
 * delivery id from another position is a re-published alert version: a duplicate, dropped.
 */
export interface DeliveryLedger {
  /** `true` per claim = produce it. Throws a retriable VigieError when the store is unreachable. */
  claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]>;
}

/** The ledger's semantics without Redis, for tests and single-process tools; it never forgets. */
export class InMemoryDeliveryLedger implements DeliveryLedger {
  private readonly positions = new Map<string, string>();

  async claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]> {
    return deliveries.map(({ deliveryId, position }) => {
      const previous = this.positions.get(deliveryId);
      if (previous === undefined) this.positions.set(deliveryId, position);
      return previous === undefined || previous === position;
    });
  }
}
