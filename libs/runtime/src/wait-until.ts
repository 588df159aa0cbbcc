export interface WaitOptions {
  /** Gives up after this long (ms); default 30 s. */
  readonly timeoutMs?: number;
  /** Checks this often (ms); default 50. */
  readonly intervalMs?: number;
}

/**
 * Checks `condition` until it holds; throws "timed out waiting for <what>" once the time is up.
 * For tests and tools that wait on a live broker or service, where nothing signals the change.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, options: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
