import { AlertMetrics, perRegistry, PipelineMetrics } from '@vigie/observability';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CorrelatorObserver } from './correlator.stage';

/** The codes CorrelatorStage's own checks dead-letter an enriched incident with, beside SHARED_DEAD_LETTER_REASONS. */
export const CORRELATOR_DEAD_LETTER_REASONS = ['MISSING_KEY', 'UNKNOWN_ZONE', 'INVALID_ZONE_KEY'] as const;

/**
 * The correlator's own metrics: how much detail its zones hold, and how much they sealed to stay
 * within their limit. With them, the series it can know of start at 0: its dead-letter reasons and
 * the alert versions it publishes, by level and status.
 */
export const correlatorMetrics = perRegistry((registry: Registry) => {
  PipelineMetrics.of(registry).expectDeadLetterReasons(CORRELATOR_DEAD_LETTER_REASONS);
  AlertMetrics.of(registry).expectAlertVersions();
  let held: () => number = () => 0;
  new Gauge({
    name: 'vigie_correlator_incidents_held',
    help: 'Incident copies the correlator holds in detail (revisable, listed in alerts) across its partitions; at most CORRELATOR_ZONE_DETAIL_LIMIT per zone.',
    registers: [registry],
    collect() {
      this.set(held());
    },
  });
  const sealed = new Counter({
    name: 'vigie_correlator_incidents_sealed_total',
    help: 'Incident copies sealed by zones at their detail limit: still counted in windows, no longer revisable; later reports that occurred before them go to incidents.late.',
    registers: [registry],
  });
  const observer: CorrelatorObserver = { sealed: (count) => sealed.inc(count) };
  return {
    observer,
    /** Where the held gauge reads from (the stage, once built). */
    heldFrom: (source: () => number): void => {
      held = source;
    },
  };
});
