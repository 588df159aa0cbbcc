import type { RegionalAlert, ValueCodec } from '@vigie/contracts';
import type { AlertOutbox } from '@vigie/correlation';

/** As stored: each alert the Avro message the stage publishes, in base64; the rest as it is. */
interface StoredOutbox extends Omit<AlertOutbox, 'alerts' | 'arrivals'> {
  /** An object: an alert as JSON, written before alerts were stored as their Avro message. */
  readonly alerts: readonly (string | RegionalAlert)[];
  /** Absent in outboxes written before arrivals were kept. */
  readonly arrivals?: readonly (number | null)[];
}

/**
 * The outbox as the meta hash keeps it: JSON, with each alert as its Avro message in base64 (about
 * two thirds of the alert as JSON). The stage publishes those very bytes, so with an encoder
 * shared with it (encodeOncePerValue) each version is serialised once, for both.
 */
export function encodeCompactOutbox(outbox: AlertOutbox, alerts: ValueCodec<RegionalAlert>): string {
  const stored: StoredOutbox = { ...outbox, alerts: outbox.alerts.map((alert) => alerts.encode(alert).toString('base64')) };
  return JSON.stringify(stored);
}

export function decodeCompactOutbox(payload: string, alerts: ValueCodec<RegionalAlert>): AlertOutbox {
  const stored = JSON.parse(payload) as StoredOutbox;
  return {
    ...stored,
    alerts: stored.alerts.map((alert) => (typeof alert === 'string' ? alerts.decode(Buffer.from(alert, 'base64')) : alert)),
    arrivals: stored.alerts.map((_, i) => stored.arrivals?.[i] ?? null),
  };
}
