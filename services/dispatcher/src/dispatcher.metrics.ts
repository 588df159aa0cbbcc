import { perRegistry } from '@vigie/observability';
import { Counter, type Registry } from 'prom-client';
import type { DispatchObserver } from './dispatcher.stage';

/** The dispatcher's own counters, beside the pipeline's and the alert metrics. */
export const dispatcherMetrics = perRegistry((registry: Registry): DispatchObserver => {
  const held = new Counter({
    name: 'vigie_dispatcher_held_total',
    help: 'Alert versions held back instead of delivered, by what held them (silence or acknowledgement).',
    labelNames: ['by'],
    registers: [registry],
  });
  const rearmed = new Counter({ name: 'vigie_dispatcher_acknowledgements_rearmed_total', help: 'Acknowledgements re-armed because their alert resolved or fired again.', registers: [registry] });
  return { held: (by) => held.inc({ by }), rearmed: () => rearmed.inc() };
});
