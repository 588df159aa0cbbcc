/**
 * Group commit, for the I/O a consumer's concurrent partition batches each need (a Kafka produce, a
 * Redis round trip): the first caller's items leave at once; while they are in flight, the next
 * callers' items wait and then leave together in one call, so a consumer of many partitions makes
 * a call or two per fetch instead of one per partition batch. A caller arriving just after a call
 * left waits for it as well as its own: at most one round trip more. A failed call fails each of
 * its callers, whichever item caused it (they retry their batch).
 */
export class GroupCommit<Item, Result> {
  private waiting: { readonly item: Item; readonly resolve: (result: Result) => void; readonly reject: (error: unknown) => void }[] = [];
  private inFlight = false;

  /** `send` gets the items of every waiting caller, in arrival order, and returns one result per item. */
  constructor(private readonly send: (items: readonly Item[]) => Promise<readonly Result[]>) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.inFlight) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    while (this.waiting.length > 0) {
      const callers = this.waiting;
      this.waiting = [];
      try {
        const results = await this.send(callers.map((c) => c.item));
        callers.forEach((caller, i) => caller.resolve(results[i] as Result));
      } catch (error) {
        for (const caller of callers) caller.reject(error);
      }
    }
    this.inFlight = false;
  }
}
