import { VigieError } from './errors';
import { feedCountryOf } from './event-id';
import { AGENCY_ID_PATTERN } from './topics';

export interface FeedDefinition {
  readonly feedId: string;
  /** ISO 3166-1 alpha-2, upper-case: the only country this feed reports for. */
  readonly country: string;
  readonly agency: string;
  /**
   * The agency ids its reports may name as `reportingAgency` (default: the feed's own id). Alerts
   * name their originators from it, and TLP RED details go back to a sole originator: a feed may
   * not speak for an agency it does not carry.
   */
  readonly reportsFor: readonly string[];
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
        const reportsFor = f.reportsFor ?? [f.feedId as string];
        if (!Array.isArray(reportsFor) || reportsFor.length === 0 || !reportsFor.every((a) => typeof a === 'string' && AGENCY_ID_PATTERN.test(a))) {
          throw new VigieError('FEED_REGISTRY_INVALID', `feeds[${i}]: reportsFor must list the agency ids the feed reports for (got ${JSON.stringify(f.reportsFor)})`, false);
        }
        return { feedId: f.feedId as string, country: f.country.toUpperCase(), agency: String(f.agency ?? f.feedId), reportsFor };
      }),
    );
  }

  get(feedId: string): FeedDefinition | undefined {
    return this.byId.get(feedId);
  }

  all(): FeedDefinition[] {
    return [...this.byId.values()];
  }

  /** Why a report claiming `feedId` and `reportingAgency` may not arrive on a topic of `topicCountry`, or null when it may. */
  authorise(report: { readonly feedId: string; readonly sourceCountry: string; readonly reportingAgency: string }, topicCountry: string): string | null {
    const { feedId, sourceCountry, reportingAgency } = report;
    const feed = this.byId.get(feedId);
    if (!feed) return `feed "${feedId}" is not registered`;
    if (feed.country !== sourceCountry.toUpperCase()) return `feed "${feedId}" reports for ${feed.country}, not ${sourceCountry}`;
    if (feed.country !== topicCountry.toUpperCase()) return `feed "${feedId}" may only publish to feeds.${feed.country.toLowerCase()}.incidents`;
    if (!feed.reportsFor.includes(reportingAgency)) return `feed "${feedId}" reports for ${feed.reportsFor.join(', ')}, not agency "${reportingAgency}" (its reportsFor in the feed registry)`;
    return null;
  }
}
