import type { RegionalAlert } from './regional-alert';

/** TypeScript view of schemas/alert-delivery/v2.avsc (v1 embedding RegionalAlert v2). */
export interface AlertDelivery {
  deliveryId: string;
  agencyId: string;
  subscriptionId: string;
  redacted: boolean;
  redactedFields: string[];
  alert: RegionalAlert;
  deliveredAt: number;
}

/** Deterministic, so a redelivery after a crash or rebalance is recognised by the agency. */
export function deriveDeliveryId(agencyId: string, alertId: string, version: number): string {
  return `${agencyId}:${alertId}:${version}`;
}
