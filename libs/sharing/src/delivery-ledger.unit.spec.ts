import { describe, expect, it } from 'vitest';
import { InMemoryDeliveryLedger } from './delivery-ledger';

describe('InMemoryDeliveryLedger', () => {
  it('claims new deliveries, re-claims replays of the same position, refuses other positions', async () => {
    const ledger = new InMemoryDeliveryLedger();
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10' },
      { deliveryId: 'bf-gendarmerie:a:1', position: 'alerts.regional/0/10' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/2/99' },
    ])).toEqual([true, true, false]);
    expect(await ledger.claim([
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/10' },
      { deliveryId: 'sn-douanes:a:1', position: 'alerts.regional/0/11' },
      { deliveryId: 'sn-douanes:a:2', position: 'alerts.regional/0/11' },
    ])).toEqual([true, false, true]);
  });
});
