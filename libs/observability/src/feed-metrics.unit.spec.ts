import type { MessageOutcome } from '@vigie/kafka';
import { describe, expect, it } from 'vitest';
import { FeedMetrics, feedCountryOfTopic } from './feed-metrics';
import { createMetricsRegistry } from './metrics';

const accepted: MessageOutcome = { kind: 'emit', disposition: 'processed', messages: [] };
const duplicate: MessageOutcome = { kind: 'emit', disposition: 'deduplicated', messages: [] };
const rejected: MessageOutcome = { kind: 'dead-letter', failure: { code: 'INVALID_REPORT', message: 'bad', attempts: 1 } };

async function series(registry: ReturnType<typeof createMetricsRegistry>): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l.startsWith('vigie_feed_reports_total{'));
}

describe('FeedMetrics', () => {
  it('starts every expected country at zero, so a silent feed is a series at 0 and not a missing one', async () => {
    const registry = createMetricsRegistry('ingest', { nodeMetrics: false });
    FeedMetrics.of(registry).expectCountries(['ml', 'SN']);
    expect(await series(registry)).toEqual([
      'vigie_feed_reports_total{country="ML",outcome="accepted",service="ingest"} 0',
      'vigie_feed_reports_total{country="ML",outcome="rejected",service="ingest"} 0',
      'vigie_feed_reports_total{country="ML",outcome="duplicate",service="ingest"} 0',
      'vigie_feed_reports_total{country="SN",outcome="accepted",service="ingest"} 0',
      'vigie_feed_reports_total{country="SN",outcome="rejected",service="ingest"} 0',
      'vigie_feed_reports_total{country="SN",outcome="duplicate",service="ingest"} 0',
    ]);
  });

  it('counts completed messages by outcome under their topic country, dead letters as rejected reports, and skips other topics', async () => {
    const registry = createMetricsRegistry('ingest', { nodeMetrics: false });
    const metrics = FeedMetrics.of(registry);
    const messages = [{ topic: 'feeds.ml.incidents' }, { topic: 'feeds.ml.incidents' }, { topic: 'feeds.sn.incidents' }, { topic: 'feeds.sn.incidents' }, { topic: 'feeds.sn.incidents' }, { topic: 'incidents.validated' }];
    metrics.recordCompleted(messages, [accepted, accepted, duplicate, rejected, rejected, accepted]);
    expect(await series(registry)).toEqual([
      'vigie_feed_reports_total{country="ML",outcome="accepted",service="ingest"} 2',
      'vigie_feed_reports_total{country="SN",outcome="duplicate",service="ingest"} 1',
      'vigie_feed_reports_total{country="SN",outcome="rejected",service="ingest"} 2',
    ]);
  });

  it("counts reports refused over HTTP as rejected under the feed id's country", async () => {
    const registry = createMetricsRegistry('ingest', { nodeMetrics: false });
    const metrics = FeedMetrics.of(registry).expectCountries(['ML']);
    metrics.recordRejectedOverHttp('ml-police', 3);
    metrics.recordRejectedOverHttp('ml-police', 0);
    metrics.recordRejectedOverHttp('not a feed id', 2);
    expect(await series(registry)).toContain('vigie_feed_reports_total{country="ML",outcome="rejected",service="ingest"} 3');
    expect((await series(registry)).filter((l) => !l.endsWith(' 0'))).toHaveLength(1);
  });

  it('reads the country of feed topics only', () => {
    expect(feedCountryOfTopic('feeds.ne.incidents')).toBe('NE');
    expect(feedCountryOfTopic('feeds.nga.incidents')).toBeUndefined();
    expect(feedCountryOfTopic('alerts.regional')).toBeUndefined();
  });
});
