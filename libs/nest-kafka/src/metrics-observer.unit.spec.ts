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

  it("counts a dead letter from a feed topic as a rejected report too, the runner's included, and no other", async () => {
    const { observer, lines } = setup('ingest');
    observer.deadLettered('feeds.ml.incidents', 'INVALID_REPORT');
    observer.deadLettered('feeds.ml.incidents', 'UNEXPECTED');
    expect(await lines('vigie_feed_reports_total')).toEqual(['vigie_feed_reports_total{country="ML",outcome="rejected",service="ingest"} 2']);
    expect(await lines('vigie_dead_letters_total')).toEqual([
      'vigie_dead_letters_total{topic="feeds.ml.incidents",reason="INVALID_REPORT",service="ingest"} 1',
      'vigie_dead_letters_total{topic="feeds.ml.incidents",reason="UNEXPECTED",service="ingest"} 1',
    ]);
  });

  it('leaves feed metrics out of the stages that read no feed', async () => {
    const { observer, metrics } = setup('enricher');
    observer.deadLettered('incidents.validated', 'DECODE_FAILED');
    expect(await metrics.registry.metrics()).not.toContain('vigie_feed_reports_total');
  });
});
