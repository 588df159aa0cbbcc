import { describe, expect, it } from 'vitest';
import { FeedRegistry, createCodecs } from '@vigie/contracts';
import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import { createMetricsRegistry, PipelineMetrics, SHARED_DEAD_LETTER_REASONS } from '@vigie/observability';
import { INGEST_DEAD_LETTER_REASONS, ingestMetrics } from './ingest.metrics';
import { IngestStage } from './ingest.stage';

const feeds = FeedRegistry.fromJson({ feeds: [{ feedId: 'ml-police', country: 'ML', agency: 'Police malienne' }] });
const message = (value: Buffer): InboundMessage => ({ topic: 'feeds.ml.incidents', partition: 0, offset: '0', key: null, value, headers: {}, timestamp: 0 });
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('ingest metrics', () => {
  it('know every reason the stage refuses a report with, so that each series starts at zero', async () => {
    const stage = new IngestStage(createCodecs(), feeds, { claim: async (claims) => claims.map(() => 'granted' as const) });
    const refused = [Buffer.alloc(0), Buffer.from('{ not json'), json([{}]), json({ feedId: 'ml-police' }), Buffer.from([0, 0, 0, 0, 99, 1]), Buffer.from('garbage')];
    const outcomes = await stage.handleBatch(refused.map(message));
    const codes = outcomes.map((o: MessageOutcome) => (o.kind === 'dead-letter' ? o.failure.code : 'not refused'));
    expect(new Set(codes).size).toBeGreaterThan(3);
    for (const code of codes) expect([...SHARED_DEAD_LETTER_REASONS, ...INGEST_DEAD_LETTER_REASONS]).toContain(code);
  });

  it("start each feed topic's refusal reasons and each registered country's reports at zero", async () => {
    const registry = createMetricsRegistry('ingest', { nodeMetrics: false });
    ingestMetrics(registry, ['ML']);
    PipelineMetrics.of(registry).expectInputTopics(['feeds.ml.incidents']);
    const text = await registry.metrics();
    for (const reason of INGEST_DEAD_LETTER_REASONS) expect(text).toContain(`vigie_dead_letters_total{topic="feeds.ml.incidents",reason="${reason}",service="ingest"} 0`);
    expect(text).toContain('vigie_feed_reports_total{country="ML",outcome="rejected",service="ingest"} 0');
  });
});
