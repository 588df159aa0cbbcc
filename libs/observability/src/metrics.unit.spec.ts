import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, MetricsRegistry, PipelineMetrics, SHARED_DEAD_LETTER_REASONS } from './metrics';

/** The stage metrics the design names, with the labels each may carry (besides `service`). */
const EXPECTED: Record<string, { type: string; labels: string[] }> = {
  vigie_messages_consumed_total: { type: 'counter', labels: ['topic'] },
  vigie_messages_produced_total: { type: 'counter', labels: ['topic'] },
  vigie_batch_processing_duration_seconds: { type: 'histogram', labels: [] },
  vigie_batch_size: { type: 'histogram', labels: [] },
  vigie_dead_letters_total: { type: 'counter', labels: ['topic', 'reason'] },
  vigie_events_deduplicated_total: { type: 'counter', labels: [] },
  vigie_late_events_total: { type: 'counter', labels: [] },
  vigie_consumer_lag_messages: { type: 'gauge', labels: ['topic', 'partition'] },
  vigie_consumer_fetch_busy: { type: 'gauge', labels: [] },
  vigie_consumer_rebalances_total: { type: 'counter', labels: [] },
  vigie_consumer_crashes_total: { type: 'counter', labels: [] },
  vigie_redis_roundtrip_duration_seconds: { type: 'histogram', labels: ['command'] },
  vigie_end_to_end_latency_seconds: { type: 'histogram', labels: [] },
  vigie_retries_total: { type: 'counter', labels: [] },
};
const PER_EVENT_LABELS = /^(event_?id|alert_?id|source_?event_?id|id|key|offset|message|correlation_?key)$/i;

/** Exercises every metric once so the exposition shows labelled series too. */
function exercise(metrics: PipelineMetrics): void {
  metrics.consumed.inc({ topic: 'incidents.validated' }, 5);
  metrics.produced.inc({ topic: 'incidents.enriched' }, 5);
  metrics.batchDuration.observe(0.02);
  metrics.batchSize.observe(5);
  metrics.deadLetters.inc({ topic: 'incidents.validated', reason: 'DECODE_FAILED' });
  metrics.deduplicated.inc();
  metrics.lateEvents.inc();
  metrics.consumerLag.set({ topic: 'incidents.validated', partition: '0' }, 12);
  metrics.fetchBusy.set(1);
  metrics.rebalances.inc();
  metrics.crashes.inc();
  metrics.redisRoundtrip.observe({ command: 'evalsha' }, 0.0004);
  metrics.endToEndLatency.observe(1.2);
  metrics.retries.inc();
}

/** `name{a="x",b="y"} value` → the set of label names; `le` is the histogram's own. */
function labelNamesBySeries(text: string): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? /i.exec(line);
    if (!match) continue;
    const names = byName.get(match[1]!) ?? new Set<string>();
    for (const pair of (match[2] ?? '').matchAll(/([a-z_][a-z0-9_]*)="/gi)) names.add(pair[1]!);
    byName.set(match[1]!, names);
  }
  return byName;
}

describe('createMetricsRegistry', () => {
  it("labels every series with the service and keeps Node's standard names unprefixed", async () => {
    const registry = createMetricsRegistry('correlator');
    const text = await registry.metrics();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).not.toMatch(/^vigie_process_|^vigie_nodejs_/m);
    for (const [name, labels] of labelNamesBySeries(text)) expect(labels.has('service'), name).toBe(true);
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="correlator"\} /m);
  });

  it('can leave Node metrics out', async () => {
    expect(await createMetricsRegistry('x', { nodeMetrics: false }).metrics()).not.toMatch(/process_|nodejs_/);
  });
});

describe('PipelineMetrics', () => {
  const registry = createMetricsRegistry('ingest', { nodeMetrics: false });
  const metrics = PipelineMetrics.of(registry);
  exercise(metrics);

  it('exposes the stage metrics under their Prometheus names and types', async () => {
    const text = await registry.metrics();
    for (const [name, { type }] of Object.entries(EXPECTED)) expect(text).toContain(`# TYPE ${name} ${type}`);
    const declared = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    expect(declared.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('carries only the bounded labels each metric is meant to have', async () => {
    const series = labelNamesBySeries(await registry.metrics());
    for (const [name, { type, labels }] of Object.entries(EXPECTED)) {
      const seriesName = type === 'histogram' ? `${name}_bucket` : name;
      const expected = ['service', ...labels, ...(type === 'histogram' ? ['le'] : [])].sort();
      expect([...(series.get(seriesName) ?? [])].sort(), name).toEqual(expected);
    }
    for (const labels of series.values()) for (const label of labels) expect(label).not.toMatch(PER_EVENT_LABELS);
  });

  it('renders values with their labels', async () => {
    const text = await registry.metrics();
    expect(text).toContain('vigie_dead_letters_total{topic="incidents.validated",reason="DECODE_FAILED",service="ingest"} 1');
    expect(text).toContain('vigie_consumer_lag_messages{topic="incidents.validated",partition="0",service="ingest"} 12');
  });

  it('buckets end-to-end latency from 1 ms to 1 h', async () => {
    const text = await registry.metrics();
    const bounds = [...text.matchAll(/^vigie_end_to_end_latency_seconds_bucket\{le="([^"]+)"/gm)].map((m) => m[1]);
    expect(bounds[0]).toBe('0.001');
    expect(bounds.at(-2)).toBe('3600');
    expect(bounds.at(-1)).toBe('+Inf');
  });

  it('is one instance per registry, so several adapters can ask for it', () => {
    expect(PipelineMetrics.of(registry)).toBe(metrics);
    expect(PipelineMetrics.of(createMetricsRegistry('other', { nodeMetrics: false }))).not.toBe(metrics);
  });

  it('starts consumption and every known dead-letter reason of an input topic at zero, whichever is learnt first', async () => {
    const stage = PipelineMetrics.of(createMetricsRegistry('correlator', { nodeMetrics: false }));
    stage.expectInputTopics(['incidents.enriched']);
    stage.deadLetters.inc({ topic: 'incidents.enriched', reason: 'UNEXPECTED' });
    stage.expectDeadLetterReasons(['UNKNOWN_ZONE']).expectInputTopics(['incidents.enriched', 'alerts.released']);
    const deadLetters = (await stage.registry.metrics()).split('\n').filter((l) => l.startsWith('vigie_dead_letters_total{'));
    const reasons = [...SHARED_DEAD_LETTER_REASONS, 'UNKNOWN_ZONE'];
    expect(deadLetters.sort()).toEqual(
      ['incidents.enriched', 'alerts.released']
        .flatMap((topic) => reasons.map((reason) => `vigie_dead_letters_total{topic="${topic}",reason="${reason}",service="correlator"} ${topic === 'incidents.enriched' && reason === 'UNEXPECTED' ? 1 : 0}`))
        .sort(),
    );
    const text = await stage.registry.metrics();
    expect(text).toContain('vigie_messages_consumed_total{topic="incidents.enriched",service="correlator"} 0');
    expect(text).toContain('vigie_messages_consumed_total{topic="alerts.released",service="correlator"} 0');
  });

  it("takes a service's own metrics on the same registry", async () => {
    const own = PipelineMetrics.of(createMetricsRegistry('correlator', { nodeMetrics: false }));
    const fired = new Counter({ name: 'vigie_correlator_alerts_fired_total', help: 'Alerts fired.', labelNames: ['level'], registers: [own.registry] });
    fired.inc({ level: 'HIGH' });
    const text = await own.registry.metrics();
    expect(text).toContain('vigie_correlator_alerts_fired_total{level="HIGH",service="correlator"} 1');
    expect(text).toContain('# TYPE vigie_messages_consumed_total counter');
    expect(own.registry).toBeInstanceOf(MetricsRegistry);
  });
});
