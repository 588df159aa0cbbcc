import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import { createMetricsRegistry, PipelineMetrics } from '@vigie/observability';
import { describe, expect, it } from 'vitest';
import { metricsObserver } from './metrics-observer';

function setup(service: string) {
  const metrics = PipelineMetrics.of(createMetricsRegistry(service, { nodeMetrics: false }));
  const lines = async (name: string): Promise<string[]> => (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith(`${name}{`));
  return { metrics, observer: metricsObserver(metrics), lines };
}

describe('metricsObserver', () => {
  it("starts the consumption and dead letters of the group's topics at zero when it joins, before their first batch", async () => {
    const { observer, lines } = setup('enricher');
    observer.groupJoined({ 'incidents.validated': [0, 1] });
    expect(await lines('vigie_messages_consumed_total')).toEqual(['vigie_messages_consumed_total{topic="incidents.validated",service="enricher"} 0']);
    expect(await lines('vigie_dead_letters_total')).toContain('vigie_dead_letters_total{topic="incidents.validated",reason="UNEXPECTED",service="enricher"} 0');
  });

  it('counts the reports of a completed feed chunk by outcome, dead letters the runner gave up on included, and not as they are dead-lettered', async () => {
    const { observer, lines } = setup('ingest');
    const feed = (offset: string): InboundMessage => ({ topic: 'feeds.ml.incidents', partition: 0, offset, key: null, value: null, headers: {}, timestamp: 0 });
    const rejected: MessageOutcome = { kind: 'dead-letter', failure: { code: 'INVALID_REPORT', message: 'bad', attempts: 1 } };
    const givenUp: MessageOutcome = { kind: 'dead-letter', failure: { code: 'UNEXPECTED', message: 'bug', attempts: 3 } };
    // What the runner reports before the broker acknowledged the chunk (and again for a chunk it redoes) counts no report.
    observer.deadLettered('feeds.ml.incidents', 'INVALID_REPORT');
    observer.deadLettered('feeds.ml.incidents', 'UNEXPECTED');
    observer.completed?.(
      [feed('0'), feed('1'), feed('2'), feed('3')],
      [{ kind: 'emit', disposition: 'processed', messages: [] }, { kind: 'emit', disposition: 'deduplicated', messages: [] }, rejected, givenUp],
    );
    expect(await lines('vigie_feed_reports_total')).toEqual([
      'vigie_feed_reports_total{country="ML",outcome="accepted",service="ingest"} 1',
      'vigie_feed_reports_total{country="ML",outcome="duplicate",service="ingest"} 1',
      'vigie_feed_reports_total{country="ML",outcome="rejected",service="ingest"} 2',
    ]);
    expect(await lines('vigie_dead_letters_total')).toEqual([
      'vigie_dead_letters_total{topic="feeds.ml.incidents",reason="INVALID_REPORT",service="ingest"} 1',
      'vigie_dead_letters_total{topic="feeds.ml.incidents",reason="UNEXPECTED",service="ingest"} 1',
    ]);
  });

  it('leaves feed metrics out of the stages that read no feed', async () => {
    const { observer, metrics } = setup('enricher');
    observer.deadLettered('incidents.validated', 'DECODE_FAILED');
    observer.completed?.([{ topic: 'incidents.validated', partition: 0, offset: '0', key: null, value: null, headers: {}, timestamp: 0 }], [{ kind: 'emit', disposition: 'processed', messages: [] }]);
    expect(await metrics.registry.metrics()).not.toContain('vigie_feed_reports_total');
  });
});
