import { describe, expect, it } from 'vitest';
import { FeedRegistry } from './feed-registry';

const report = (reportingAgency: string, feedId = 'ml-police') => ({ feedId, sourceCountry: 'ML', reportingAgency });

describe('FeedRegistry', () => {
  it('lets a feed report as its own agency, and as the agencies it relays when the registry lists them', () => {
    const feeds = FeedRegistry.fromJson({
      feeds: [
        { feedId: 'ml-police', country: 'ML', agency: 'Police' },
        { feedId: 'ml-fusion', country: 'ML', agency: 'Fusion centre', reportsFor: ['ml-police', 'ml-gendarmerie'] },
      ],
    });
    expect(feeds.authorise(report('ml-police'), 'ML')).toBeNull();
    expect(feeds.authorise(report('ml-gendarmerie'), 'ML')).toBe('feed "ml-police" reports for ml-police, not agency "ml-gendarmerie" (its reportsFor in the feed registry)');
    expect(feeds.authorise(report('ml-gendarmerie', 'ml-fusion'), 'ML')).toBeNull();
    expect(feeds.authorise(report('ml-fusion', 'ml-fusion'), 'ML')).not.toBeNull();
  });

  it('refuses a reportsFor that is not a list of agency ids', () => {
    for (const reportsFor of [[], 'ml-police', ['ML Police']]) {
      expect(() => FeedRegistry.fromJson({ feeds: [{ feedId: 'ml-police', country: 'ML', agency: 'Police', reportsFor }] })).toThrow(/reportsFor must list the agency ids/);
    }
  });
});
