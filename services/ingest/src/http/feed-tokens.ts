import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * One bearer token per feed. Only digests are kept, and comparison is constant-time, so a token
 * can neither be read back from memory dumps of the map nor guessed byte by byte.
 */
export class FeedTokens {
  private readonly digests: ReadonlyMap<string, Buffer>;

  constructor(tokensByFeed: ReadonlyMap<string, string>) {
    this.digests = new Map([...tokensByFeed].map(([feedId, token]) => [feedId, digest(token)]));
  }

  /** Parses `feedId=token,feedId=token` (the INGEST_FEED_TOKENS variable). */
  static parse(spec: string | undefined): FeedTokens {
    const map = new Map<string, string>();
    for (const entry of (spec ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
      const at = entry.indexOf('=');
      if (at <= 0 || at === entry.length - 1) throw new Error(`INGEST_FEED_TOKENS entry "${entry.slice(0, at > 0 ? at : 20)}…" must be feedId=token`);
      map.set(entry.slice(0, at), entry.slice(at + 1));
    }
    return new FeedTokens(map);
  }

  /** The feed this bearer token belongs to, or undefined. */
  feedOf(token: string): string | undefined {
    const presented = digest(token);
    let found: string | undefined;
    for (const [feedId, expected] of this.digests) {
      if (timingSafeEqual(presented, expected)) found = feedId;
    }
    return found;
  }
}
