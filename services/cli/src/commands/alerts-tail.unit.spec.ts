import { HEADERS, createCodecs, type AlertDelivery } from '@vigie/contracts';
import type { InboundMessage } from '@vigie/kafka';
import { deliveryFingerprint, sampleRegionalAlert } from '@vigie/sharing';
import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../cli-context';
import { deliveryPrinter } from './alerts-tail';

const codecs = createCodecs();
const alert = sampleRegionalAlert();
const delivery: AlertDelivery = {
  deliveryId: `sn-douanes:${alert.alertId}:${alert.version}`, agencyId: 'sn-douanes', subscriptionId: 'sn-faleme',
  redacted: false, redactedFields: [], alert, deliveredAt: Date.UTC(2025, 2, 14, 10, 1),
};

let offset = 0;
/** A delivery as read from its agency topic, with the headers the dispatcher sets (or none, as older deliveries). */
function record(d: AlertDelivery, headers: 'headers' | 'no headers' = 'headers'): InboundMessage {
  return {
    topic: 'alerts.agency.sn-douanes', partition: 0, offset: String(offset++), key: Buffer.from(d.alert.alertId), value: codecs.alertDelivery.encode(d),
    headers: headers === 'headers' ? { [HEADERS.deliveryId]: Buffer.from(d.deliveryId), [HEADERS.contentFingerprint]: Buffer.from(deliveryFingerprint(d.alert)) } : {},
    timestamp: d.deliveredAt,
  };
}

function tail(maxDeliveries?: number) {
  const printed: string[] = [];
  let stops = 0;
  const ctx: CliContext = { kafka: {} as Kafka, codecs, brokers: [], out: (line) => void printed.push(line), err: () => {} };
  return {
    print: deliveryPrinter(ctx, { format: 'json', lang: 'en', maxDeliveries }, () => void stops++),
    printed: () => printed.map((line) => JSON.parse(line) as AlertDelivery),
    stops: () => stops,
  };
}

describe('alerts tail', () => {
  it('prints a redelivery (same id, same content) once', () => {
    const { print, printed } = tail();
    print(record(delivery));
    print(record({ ...delivery, deliveredAt: delivery.deliveredAt + 500 }));
    print(record(delivery, 'no headers'));
    expect(printed().map((d) => d.deliveredAt)).toEqual([delivery.deliveredAt]);
  });

  it('prints the same id again when it carries other content, and other versions', () => {
    const { print, printed } = tail();
    const next = { ...delivery, deliveryId: `sn-douanes:${alert.alertId}:4`, alert: { ...alert, version: 4 } };
    const rebuilt = { ...delivery, alert: { ...alert, score: 3.1 } };
    for (const d of [delivery, next, rebuilt, rebuilt]) print(record(d));
    expect(printed().map((d) => [d.deliveryId, d.alert.score])).toEqual([[delivery.deliveryId, 2.4], [next.deliveryId, 2.4], [delivery.deliveryId, 3.1]]);
  });

  it('stops after --max deliveries printed: a redelivery skipped is not one', () => {
    const { print, printed, stops } = tail(2);
    const next = { ...delivery, deliveryId: `sn-douanes:${alert.alertId}:4`, alert: { ...alert, version: 4 } };
    const after = { ...delivery, deliveryId: `sn-douanes:${alert.alertId}:5`, alert: { ...alert, version: 5 } };
    print(record(delivery));
    print(record(delivery));
    expect(stops()).toBe(0);
    print(record(next));
    expect(stops()).toBe(1);
    // A message the reader hands over before it stops is not printed.
    print(record(after));
    expect(printed().map((d) => d.alert.version)).toEqual([alert.version, 4]);
    expect(stops()).toBe(1);
  });
});
