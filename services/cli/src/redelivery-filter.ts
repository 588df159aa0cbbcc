/**
 * Recognises a redelivery: after a crash the pipeline may deliver a version again, with the same
 * delivery id and the same content fingerprint. The same id with another fingerprint is newer
 * content for that version (a changed sharing policy, a rebuild), and is not a repeat. Remembers the
 * most recently seen deliveries only, so that a tail left running for months stays bounded.
 */
export class RedeliveryFilter {
  /** Delivery id → the fingerprint it was last seen with; a Map iterates in insertion order, oldest first. */
  private readonly lastSeen = new Map<string, string>();

  constructor(private readonly capacity = 100_000) {}

  /** Whether this delivery is a repeat of the last one seen with its id; records it either way. */
  isRepeat(deliveryId: string, fingerprint: string): boolean {
    const previous = this.lastSeen.get(deliveryId);
    // Deleted and set again, so that it becomes the most recent: the least recently seen goes first.
    this.lastSeen.delete(deliveryId);
    this.lastSeen.set(deliveryId, fingerprint);
    if (this.lastSeen.size > this.capacity) this.lastSeen.delete(this.lastSeen.keys().next().value as string);
    return previous === fingerprint;
  }
}
