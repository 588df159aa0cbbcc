import { VigieError } from './errors';
import { feedCountryOf } from './event-id';

export interface FeedDefinition {
  readonly feedId: string;
  /** ISO 3166-1 alpha-2, upper-case: the only country this feed reports for. */
  readonly country: string;
  readonly agency: string;
}

/** The national feeds allowed to publish; a feed writes only to its country's topic and only as itself. */
export class FeedRegistry {
  private readonly byId: ReadonlyMap<string, FeedDefinition>;

  constructor(feeds: readonly FeedDefinition[]) {
    this.byId = new Map(feeds.map((f) => [f.feedId, f]));
  }

  static fromJson(json: unknown): FeedRegistry {
    const feeds = (json as { feeds?: unknown })?.feeds;
    if (!Array.isArray(feeds)) throw new VigieError('FEED_REGISTRY_INVALID', 'feed registry must be {"feeds": [...]}', false);
    return new FeedRegistry(
      feeds.map((f: Partial<FeedDefinition>, i) => {
        const feedCountry = feedCountryOf(String(f.feedId ?? ''));
        if (!feedCountry || typeof f.country !== 'string' || feedCountry.toLowerCase() !== f.country.toLowerCase()) {
          throw new VigieError('FEED_REGISTRY_INVALID', `feeds[${i}]: feedId must look like "<cc>-<name>" with cc = country (got ${JSON.stringify(f)})`, false);
        }
        return { feedId: f.feedId as string, country: f.country.toUpperCase(), agency: String(f.agency ?? f.feedId) };
      }),
    );
  }

  get(feedId: string): FeedDefinition | undefined {
    return this.byId.get(feedId);
  }

  all(): FeedDefinition[] {
    return [...this.byId.values()];
  }

  /** Why a report claiming `feedId` may not arrive on a topic of `topicCountry`, or null when it may. */
  authorise(feedId: string, reportCountry: string, topicCountry: string): string | null {
    const feed = this.byId.get(feedId);
    if (!feed) return `feed "${feedId}" is not registered`;
    if (feed.country !== reportCountry.toUpperCase()) return `feed "${feedId}" reports for ${feed.country}, not ${reportCountry}`;
    if (feed.country !== topicCountry.toUpperCase()) return `feed "${feedId}" may only publish to feeds.${feed.country.toLowerCase()}.incidents`;
    return null;
  }
}
