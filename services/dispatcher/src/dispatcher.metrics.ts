import { perRegistry } from '@vigie/observability';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DispatchObserver } from './dispatcher.stage';
import type { LedgerRestoreSummary } from './ledger-restore';

/** The dispatcher's own counters, beside the pipeline's and the alert metrics. */
export const dispatcherMetrics = perRegistry((registry: Registry): DispatchObserver => {
  const held = new Counter({
    name: 'vigie_dispatcher_held_total',
    help: 'Alert versions held back instead of delivered, by what held them (silence or acknowledgement).',
    labelNames: ['by'],
    registers: [registry],
  });
  const rearmed = new Counter({ name: 'vigie_dispatcher_acknowledgements_rearmed_total', help: 'Acknowledgements re-armed because their alert resolved or fired again.', registers: [registry] });
  const beyondReach = new Counter({
    name: 'vigie_dispatcher_beyond_ledger_reach_total',
    help: 'Alert versions held back because their arrival watermark (ingest\'s time for the latest report the correlator had read) is older than the delivery ledger\'s reach (DELIVERY_TTL_DAYS): a rebuild replaying older history, or a backlog that old.',
    registers: [registry],
  });
  const untold = new Counter({
    name: 'vigie_dispatcher_follow_ups_untold_total',
    help: 'Follow-ups (an end, or a fall below an agency\'s level) not delivered to an agency because it was never told of the alert.',
    registers: [registry],
  });
  for (const by of ['silence', 'acknowledgement'] satisfies Parameters<DispatchObserver['held']>[0][]) held.inc({ by }, 0);
  return { held: (by) => held.inc({ by }), rearmed: () => rearmed.inc(), beyondLedgerReach: () => beyondReach.inc(), untold: (count) => untold.inc(count) };
});

/** Why the delivery ledger was restored: at start (no marker on this Redis, or one for a shorter time to live), or found gone while running. */
export type LedgerRestoreTrigger = 'start' | 'lost';

/** Restores of the delivery ledger from the agency topics (see restoreDeliveryLedger): rare, and each worth seeing. */
export const ledgerRestoreMetrics = perRegistry((registry: Registry) => {
  const restores = new Counter({
    name: 'vigie_dispatcher_ledger_restores_total',
    help: 'Restores of the delivery ledger from the agency topics, by trigger: start (no ledger on this Redis, or one restored for a shorter DELIVERY_TTL_DAYS) or lost (Redis emptied while running, or restored for a shorter DELIVERY_TTL_DAYS by another dispatcher).',
    labelNames: ['trigger'],
    registers: [registry],
  });
  const failures = new Counter({ name: 'vigie_dispatcher_ledger_restore_failures_total', help: 'Restores of the delivery ledger that failed (retried).', labelNames: ['trigger'], registers: [registry] });
  const records = new Counter({ name: 'vigie_dispatcher_ledger_restored_records_total', help: 'Delivery ledger records the restores added or changed.', registers: [registry] });
  const seconds = new Gauge({ name: 'vigie_dispatcher_ledger_last_restore_duration_seconds', help: 'How long the last restore of the delivery ledger took.', registers: [registry] });
  for (const trigger of ['start', 'lost'] satisfies LedgerRestoreTrigger[]) {
    restores.inc({ trigger }, 0);
    failures.inc({ trigger }, 0);
  }
  return {
    restored(trigger: LedgerRestoreTrigger, summary: LedgerRestoreSummary): void {
      restores.inc({ trigger });
      records.inc(summary.recorded);
      seconds.set(summary.seconds);
    },
    failed(trigger: LedgerRestoreTrigger): void {
      failures.inc({ trigger });
    },
  };
});
