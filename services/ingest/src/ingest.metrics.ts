import { FeedMetrics, PipelineMetrics } from '@vigie/observability';
import type { Registry } from 'prom-client';

/**
 * The codes IngestStage's own checks refuse a report with, beside SHARED_DEAD_LETTER_REASONS: the
 * feed's faults. Their series start at 0 on every feed topic; the alert on reports ingest loses
 * (VigieIngestLosingReports) names them too, as what is not ingest's fault.
 */
export const INGEST_DEAD_LETTER_REASONS = ['INVALID_JSON', 'INVALID_REPORT', 'FEED_NOT_AUTHORISED', 'REVISION_CONFLICT'] as const;

/** Ingest's metrics, their known series at zero: every registered country's reports, every refusal reason. */
export function ingestMetrics(registry: Registry, feedCountries: readonly string[]): FeedMetrics {
  PipelineMetrics.of(registry).expectDeadLetterReasons(INGEST_DEAD_LETTER_REASONS);
  return FeedMetrics.of(registry).expectCountries(feedCountries);
}
