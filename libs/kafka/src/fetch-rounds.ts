/**
 * Gathers the partition batches of one fetch into a round. kafkajs hands a fetch's batches to its
 * workers one per eachBatch call, all in the same turn of the event loop (when there are workers
 * enough), and fetches again only once every call has returned. So the calls of one turn are
 * one round: it is processed once, and each call resolves (or fails) with it.
 */
export class FetchRounds<T> {
  private gathering: { item: T; resolve: () => void; reject: (error: unknown) => void }[] | undefined;

  constructor(private readonly processRound: (items: readonly T[]) => Promise<void>) {}

  join(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (!this.gathering) {
        this.gathering = [];
        setImmediate(() => this.close());
      }
      this.gathering.push({ item, resolve, reject });
    });
  }

  private close(): void {
    const round = this.gathering ?? [];
    this.gathering = undefined;
    this.processRound(round.map((r) => r.item)).then(
      () => round.forEach((r) => r.resolve()),
      (error: unknown) => round.forEach((r) => r.reject(error)),
    );
  }
}
