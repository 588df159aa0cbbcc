import { TOPICS, VigieError, createCodecs, type AlertDelivery, type RegionalAlert } from '@vigie/contracts';
import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import {
  InMemoryDeliveryLedger,
  SAMPLE_DIRECTORY_JSON,
  parseAgencyDirectory,
  sampleRegionalAlert,
  type DeliveryClaim,
  type DeliveryLedger,
} from '@vigie/sharing';
import { describe, expect, it } from 'vitest';
import { DispatcherStage } from './dispatcher.stage';

const codecs = createCodecs();
const directory = parseAgencyDirectory(SAMPLE_DIRECTORY_JSON);
const NOW = Date.UTC(2025, 2, 14, 10, 0, 5);

const inbound = (value: Buffer | null, offset: string): InboundMessage => ({
  topic: TOPICS.regionalAlerts,
  partition: 0,
  offset,
  key: null,
  value,
  headers: {},
  timestamp: NOW,
});
const alertMessage = (alert: RegionalAlert, offset = '10'): InboundMessage => inbound(codecs.regionalAlert.encode(alert), offset);

/** Records every claim, so tests see how often and with what the stage asks the ledger. */
class RecordingLedger implements DeliveryLedger {
  readonly calls: DeliveryClaim[][] = [];
  private readonly inner = new InMemoryDeliveryLedger();
  claim(deliveries: readonly DeliveryClaim[]): Promise<boolean[]> {
    this.calls.push([...deliveries]);
    return this.inner.claim(deliveries);
  }
}

const stageWith = (ledger: DeliveryLedger = new InMemoryDeliveryLedger()) => new DispatcherStage(codecs, directory, ledger, () => NOW);

function emitted(outcome: MessageOutcome | undefined) {
  if (outcome?.kind !== 'emit') throw new Error(`expected emit, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** Decoded deliveries of one outcome, by agency. */
function deliveriesOf(outcome: MessageOutcome | undefined): Record<string, { topic: string; key: unknown; delivery: AlertDelivery }> {
  return Object.fromEntries(
    emitted(outcome).messages.map((m) => {
      const delivery = codecs.alertDelivery.decode(m.value);
      return [delivery.agencyId, { topic: m.topic, key: m.key, delivery }];
    }),
  );
}

describe('DispatcherStage', () => {
  // AMBER, HIGH, on SECTION:ML-SN-003 (ML, SN), reported from ML, counts SMUGGLING and ARMED_GROUP_MOVEMENT.
  const alert = sampleRegionalAlert();

  it('delivers one version once per subscribed agency, in full or redacted as entitled', async () => {
    const [outcome] = await stageWith().handleBatch([alertMessage(alert)]);
    expect(emitted(outcome).disposition).toBe('processed');
    const byAgency = deliveriesOf(outcome);
    expect(Object.keys(byAgency).sort()).toEqual(['bf-gendarmerie', 'ml-police-frontieres', 'mr-surete', 'sn-douanes']);

    const sn = byAgency['sn-douanes']!;
    expect(sn.topic).toBe('alerts.agency.sn-douanes');
    expect(sn.key).toBe('SECTION:ML-SN-003:smuggling-threshold');
    expect(sn.delivery.deliveryId).toBe('sn-douanes:SECTION:ML-SN-003:smuggling-threshold:3');
    // Two of Senegal's subscriptions match; the zone subscription is the more specific.
    expect(sn.delivery.subscriptionId).toBe('sn-faleme');
    expect(sn.delivery.deliveredAt).toBe(NOW);

    const ml = byAgency['ml-police-frontieres']!.delivery;
    expect(ml.redacted).toBe(false);
    expect(ml.redactedFields).toEqual([]);
    expect(ml.alert).toEqual(alert);

    for (const other of ['bf-gendarmerie', 'sn-douanes', 'mr-surete']) {
      const d = byAgency[other]!.delivery;
      expect(d.redacted, other).toBe(true);
      expect(d.alert.contributingEventIds, other).toEqual([]);
      expect(d.alert.level, other).toBe('HIGH');
    }
  });

  it('puts no event id and no source country on the wire of a redacted delivery', async () => {
    const fromGuinea = sampleRegionalAlert({ distinctSourceCountries: ['GN'], contributingEventIds: ['gn-police:CNK-77'], explanation: '1 report from GN: gn-police:CNK-77' });
    const [outcome] = await stageWith().handleBatch([alertMessage(fromGuinea)]);
    const sn = emitted(outcome).messages.find((m) => m.topic === 'alerts.agency.sn-douanes')!;
    expect(sn.value.includes('CNK-77')).toBe(false);
    const decoded = JSON.stringify(codecs.alertDelivery.decode(sn.value));
    expect(decoded).not.toContain('CNK-77');
    expect(decoded).not.toMatch(/\bGN\b/);
  });

  it('shares CLEAR alerts in full with every subscriber', async () => {
    const [outcome] = await stageWith().handleBatch([alertMessage(sampleRegionalAlert({ tlp: 'CLEAR' }))]);
    const deliveries = Object.values(deliveriesOf(outcome)).map((d) => d.delivery);
    expect(deliveries).toHaveLength(4);
    expect(deliveries.every((d) => !d.redacted)).toBe(true);
  });

  it('leaves out agencies whose subscriptions do not match', async () => {
    const medium = sampleRegionalAlert({ level: 'MEDIUM', previousLevel: 'LOW' });
    const [outcome] = await stageWith().handleBatch([alertMessage(medium)]);
    expect(Object.keys(deliveriesOf(outcome)).sort()).toEqual(['bf-gendarmerie', 'ml-police-frontieres', 'sn-douanes']);
  });

  it('accounts for an alert nobody subscribed to without asking the ledger', async () => {
    const ledger = new RecordingLedger();
    const elsewhere = sampleRegionalAlert({ zone: { kind: 'HOTSPOT', id: 'lake-chad', name: 'Lake Chad', countries: ['TD', 'NE'] }, level: 'LOW', previousLevel: null, status: 'FIRING' });
    const [outcome] = await stageWith(ledger).handleBatch([alertMessage(elsewhere)]);
    expect(outcome).toEqual({ kind: 'emit', disposition: 'processed', messages: [] });
    expect(ledger.calls).toEqual([]);
  });

  it('claims the whole batch in one ledger call, with the source position of each delivery', async () => {
    const ledger = new RecordingLedger();
    const next = sampleRegionalAlert({ version: 4, level: 'MEDIUM', previousLevel: 'HIGH' });
    await stageWith(ledger).handleBatch([alertMessage(alert, '10'), alertMessage(next, '11')]);
    expect(ledger.calls).toHaveLength(1);
    const claims = ledger.calls[0]!;
    expect(claims).toContainEqual({ deliveryId: 'bf-gendarmerie:SECTION:ML-SN-003:smuggling-threshold:3', position: 'alerts.regional/0/10' });
    // Version 4 fell to MEDIUM; Mauritania (HIGH and above) received version 3, so it learns of the fall.
    expect(claims).toContainEqual({ deliveryId: 'mr-surete:SECTION:ML-SN-003:smuggling-threshold:4', position: 'alerts.regional/0/11' });
    expect(claims).toHaveLength(8);
  });

  it('drops a version re-published at another offset, but re-sends a replay of the same offset', async () => {
    const stage = stageWith();
    await stage.handleBatch([alertMessage(alert, '10')]);

    const [republished] = await stage.handleBatch([alertMessage(alert, '57')]);
    expect(republished).toEqual({ kind: 'emit', disposition: 'deduplicated', messages: [] });

    const [replayed] = await stage.handleBatch([alertMessage(alert, '10')]);
    expect(emitted(replayed).disposition).toBe('processed');
    expect(emitted(replayed).messages).toHaveLength(4);
  });

  it('dead-letters what it cannot decode and delivers the rest of the batch', async () => {
    const outcomes = await stageWith().handleBatch(
      [inbound(null, '1'), inbound(Buffer.from('not avro'), '2'), alertMessage(alert, '3')],

    );
    expect(outcomes[0]).toMatchObject({ kind: 'dead-letter', failure: { code: 'EMPTY_MESSAGE', attempts: 1 } });
    expect(outcomes[1]).toMatchObject({ kind: 'dead-letter', failure: { code: 'WIRE_FORMAT', attempts: 1 } });
    expect(emitted(outcomes[2]).messages).toHaveLength(4);
  });

  it('lets a ledger failure fail the whole batch, so it is retried and never dead-lettered', async () => {
    const down: DeliveryLedger = { claim: async () => { throw new VigieError('REDIS_UNAVAILABLE', 'connection refused', true); } };
    await expect(stageWith(down).handleBatch([alertMessage(alert)])).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
  });
});
