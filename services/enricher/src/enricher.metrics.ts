import { perRegistry, PipelineMetrics } from '@vigie/observability';
import { Counter, type Registry } from 'prom-client';
import { ENRICHER_DEAD_LETTER_REASONS, type EnricherObserver } from './enricher.stage';

/**
 * The enricher's own metric, the withdrawals of incidents from zones they left; with it, its
 * dead-letter series start at 0, so that the first report outside every zone shows in rate().
 */
export const enricherMetrics = perRegistry((registry: Registry): EnricherObserver => {
  PipelineMetrics.of(registry).expectDeadLetterReasons(ENRICHER_DEAD_LETTER_REASONS);
  const withdrawals = new Counter({
    name: 'vigie_enricher_zone_withdrawals_total',
    help: 'Copies the enricher sent to withdraw an incident from a zone it was in: a later revision moved it, or a retraction located nowhere.',
    registers: [registry],
  });
  return { withdrawn: (copies) => withdrawals.inc(copies) };
});
