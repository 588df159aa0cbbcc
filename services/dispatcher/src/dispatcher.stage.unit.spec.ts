import { HEADERS, TLP_LEVELS, TOPICS, VigieError, controlKeyOf, controlRecord, createCodecs, type AlertDelivery, type RegionalAlert, type Tlp } from '@vigie/contracts';
import { PUBLISHED_AT_HEADER, type InboundMessage, type MessageOutcome } from '@vigie/kafka';
import {
  CLOCK_SKEW_MARGIN_MS,
  InMemoryDeliveryLedger,
  KEEPABLE_FIELDS,
  NEVER_KEPT_FIELDS,
  SAMPLE_DIRECTORY_JSON,
  SAMPLE_POLICY_JSON,
  controlStateOf,
  deliveryFingerprint,
  parseAgencyDirectory,
  parseSharingPolicy,
  redact,
  sampleRegionalAlert,
  type ControlState,
  type DeliveryAnswer,
  type DeliveryClaim,
  type DeliveryLedger,
} from '@vigie/sharing';
import { describe, expect, it } from 'vitest';
import { DispatcherStage } from './dispatcher.stage';

const codecs = createCodecs();
const NOW = Date.UTC(2025, 2, 14, 10, 0, 5);
const sampleState = (): ControlState => controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), parseSharingPolicy(SAMPLE_POLICY_JSON));

const inbound = (value: Buffer | null, offset: string): InboundMessage => ({ topic: TOPICS.regionalAlerts, partition: 0, offset, key: null, value, headers: {}, timestamp: NOW });
const alertMessage = (alert: RegionalAlert, offset = '10'): InboundMessage => inbound(codecs.regionalAlert.encode(alert), offset);

/** Records every claim, so tests see how often and with what the stage asks the ledger. */
class RecordingLedger implements DeliveryLedger {
  constructor(readonly reachMs = Infinity) {}
  readonly calls: DeliveryClaim[][] = [];
  readonly keepAlives: (() => Promise<void>)[] = [];
  private readonly inner = new InMemoryDeliveryLedger();
  claim(deliveries: readonly DeliveryClaim[], keepAlive?: () => Promise<void>): Promise<DeliveryAnswer[]> {
    this.calls.push([...deliveries]);
    if (keepAlive) this.keepAlives.push(keepAlive);
    return this.inner.claim(deliveries);
  }
}

/** A ledger whose first claim fails as an unreachable Redis does, and which grants every claim after. */
function failingOnce(reachMs = Infinity): DeliveryLedger {
  let failures = 1;
  return {
    reachMs,
    claim: async (claims) => {
      if (failures-- > 0) throw new VigieError('REDIS_UNAVAILABLE', 'connection refused', true);
      return claims.map(() => 'granted' as const);
    },
  };
}

const stageWith = (ledger: DeliveryLedger = new InMemoryDeliveryLedger(), state = sampleState(), now = () => NOW) => new DispatcherStage(codecs, state, ledger, now);

function emitted(outcome: MessageOutcome | undefined) {
  if (outcome?.kind !== 'emit') throw new Error(`expected emit, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** Decoded deliveries of one outcome, by agency (control messages left out). */
function deliveriesOf(outcome: MessageOutcome | undefined): Record<string, { topic: string; key: unknown; delivery: AlertDelivery }> {
  return Object.fromEntries(
    emitted(outcome)
      .messages.filter((m) => m.topic.startsWith('alerts.agency.'))
      .map((m) => {
        const delivery = codecs.alertDelivery.decode(m.value);
        return [delivery.agencyId, { topic: m.topic, key: m.key, delivery }];
      }),
  );
}

describe('DispatcherStage', () => {
  // AMBER, HIGH, on SECTION:ML-SN-003 (ML, SN), from Mali's border police alone, counts SMUGGLING and ARMED_GROUP_MOVEMENT.
  const alert = sampleRegionalAlert();

  it('writes every delivery as the codec encodes it, whether the alert arrived in the current schema or an older one', async () => {
    const v1 = createCodecs(undefined, { readerSchemaIds: { regionalAlert: 3 } }).regionalAlert;
    for (const value of [codecs.regionalAlert.encode(alert), v1.encode(alert)]) {
      const [outcome] = await stageWith().handleBatch([inbound(value, '10')]);
      const deliveries = emitted(outcome).messages.filter((m) => m.topic.startsWith('alerts.agency.'));
      expect(deliveries.map((m) => (m.decoded as AlertDelivery).redacted).sort()).toEqual([false, false, false, false, true, true]);
      for (const m of deliveries) {
        expect(codecs.alertDelivery.decode(m.value)).toEqual(m.decoded);
        expect(m.value).toEqual(codecs.alertDelivery.encode(m.decoded as AlertDelivery));
      }
    }
  });

  it('delivers one version once per subscribed agency, saying which subscription matched', async () => {
    const [outcome] = await stageWith().handleBatch([alertMessage(alert)]);
    expect(emitted(outcome).disposition).toBe('processed');
    const byAgency = deliveriesOf(outcome);
    expect(Object.fromEntries(Object.entries(byAgency).map(([id, d]) => [id, `${d.delivery.subscriptionId}${d.delivery.redacted ? ' (redacted)' : ''}`]))).toEqual({
      'ml-police-frontieres': 'ml-all',
      'ml-douanes': 'ml-douanes-smuggling',
      'bf-gendarmerie': 'bf-region',
      'mr-surete': 'mr-high',
      'sn-douanes': 'sn-faleme (redacted)',
      'gh-immigration': 'gh-all (redacted)',
    });
    const sn = byAgency['sn-douanes']!;
    expect(sn.topic).toBe('alerts.agency.sn-douanes');
    expect(sn.key).toBe('SECTION:ML-SN-003:smuggling-threshold');
    expect(sn.delivery.deliveryId).toBe('sn-douanes:SECTION:ML-SN-003:smuggling-threshold:3');
    expect(sn.delivery.deliveredAt).toBe(NOW);
    expect(byAgency['bf-gendarmerie']!.delivery.alert).toEqual(alert);
  });

  it('carries the bilingual summary to the agencies entitled to it', async () => {
    const [outcome] = await stageWith().handleBatch([alertMessage(alert)]);
    expect(deliveriesOf(outcome)['mr-surete']!.delivery.alert.summary).toEqual(alert.summary);
    expect(deliveriesOf(outcome)['gh-immigration']!.delivery.alert.summary).toEqual(redact(alert).alert.summary);
  });

  describe('no delivered message contains a field its recipient was not entitled to', () => {
    // Evidence from Algeria and Mali, so that neither the kept zone (ML, SN) nor an agency id masks a leak.
    const secret = {
      contributingEventIds: ['dz-dgsn:TMR-77', 'ml-dgpc:KAY-2025-0311'],
      distinctSourceCountries: ['DZ', 'ML'],
      sourceAgencies: ['dz-dgsn'],
      releasableTo: ['sn-douanes', 'mr-surete'],
      explanation: '2 reports from DZ, ML: dz-dgsn:TMR-77, ml-dgpc:KAY-2025-0311',
      summary: { en: 'Gold smuggling reported by DZ and ML', fr: 'Contrebande d’or signalée par DZ et ML' },
    };
    const policies = { 'the default policy': SAMPLE_POLICY_JSON.redaction, 'a policy keeping every keepable field': { keep: [...KEEPABLE_FIELDS], withholdFactFor: [] } };
    const cases = TLP_LEVELS.flatMap((tlp) => Object.entries(policies).map(([name, redaction]) => [tlp, name, redaction] as const));

    it.each(cases)('%s alert under %s', async (tlp: Tlp, _name, redaction) => {
      const policy = parseSharingPolicy({ ...SAMPLE_POLICY_JSON, redaction });
      const state = controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), policy);
      const leaky = sampleRegionalAlert({ tlp, ...secret });
      const [outcome] = await stageWith(new InMemoryDeliveryLedger(), state).handleBatch([alertMessage(leaky)]);
      const messages = emitted(outcome).messages;
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) {
        const delivery = codecs.alertDelivery.decode(message.value);
        expect(message.topic).toBe(`alerts.agency.${delivery.agencyId}`);
        if (!delivery.redacted) {
          // Algeria shares nothing but CLEAR with anyone here; the originator named two agencies for AMBER_STRICT.
          const named = tlp === 'AMBER_STRICT' && secret.releasableTo.includes(delivery.agencyId);
          expect(tlp === 'CLEAR' || named, `${tlp} in full to ${delivery.agencyId}`).toBe(true);
          expect(delivery.alert).toEqual(leaky);
          continue;
        }
        const wire = message.value.toString('latin1');
        const text = JSON.stringify(delivery);
        for (const forbidden of ['TMR-77', 'KAY-2025', 'dz-dgsn', 'DZ', 'Gold', 'Contrebande']) {
          expect(wire.includes(forbidden) || text.includes(forbidden), `${forbidden} in ${delivery.agencyId}'s copy`).toBe(false);
        }
        expect(JSON.stringify(delivery.alert), 'the alert names no recipient').not.toMatch(/sn-douanes|mr-surete/);
        const emptied = [...NEVER_KEPT_FIELDS, ...KEEPABLE_FIELDS.filter((f) => !redaction.keep.includes(f))];
        expect([...delivery.redactedFields].sort()).toEqual([...emptied].sort());
        for (const field of KEEPABLE_FIELDS.filter((f) => redaction.keep.includes(f))) expect(delivery.alert[field], field).toEqual(leaky[field]);
        for (const field of ['alertId', 'version', 'status', 'zone', 'level', 'tlp'] as const) expect(delivery.alert[field], field).toEqual(leaky[field]);
      }
    });
  });

  it('leaves out agencies whose subscriptions do not match', async () => {
    const medium = sampleRegionalAlert({ level: 'MEDIUM', previousLevel: 'LOW', countsByCategory: { KIDNAPPING: 1 } });
    const [outcome] = await stageWith().handleBatch([alertMessage(medium)]);
    expect(Object.keys(deliveriesOf(outcome)).sort()).toEqual(['bf-gendarmerie', 'gh-immigration', 'ml-police-frontieres', 'sn-douanes']);
  });

  it('applies a subscription added to the control state to the very next batch', async () => {
    const state = sampleState();
    const stage = stageWith(new InMemoryDeliveryLedger(), state);
    const low = sampleRegionalAlert({ level: 'LOW', previousLevel: null, status: 'FIRING', version: 1, countsByCategory: { KIDNAPPING: 1 } });
    expect(Object.keys(deliveriesOf((await stage.handleBatch([alertMessage(low, '1')]))[0]))).not.toContain('mr-surete');
    const sub = { subscriptionId: 'mr-faleme', agencyId: 'mr-surete', countries: [], zones: ['SECTION:ML-SN-003'], categories: [], minLevel: 'LOW' as const };
    state.apply(controlKeyOf('subscription', sub), controlRecord('subscription', sub, { changedAt: NOW, changedBy: 'op' }));
    const [next] = await stage.handleBatch([alertMessage({ ...low, version: 2, status: 'UPDATED', previousLevel: 'LOW' }, '2')]);
    expect(deliveriesOf(next)['mr-surete']!.delivery.subscriptionId).toBe('mr-faleme');
  });

  it('accounts for an alert nobody subscribed to without asking the ledger', async () => {
    const ledger = new RecordingLedger();
    const state = controlStateOf({ agencies: [], subscriptions: [] }, parseSharingPolicy(SAMPLE_POLICY_JSON));
    const [outcome] = await stageWith(ledger, state).handleBatch([alertMessage(alert)]);
    expect(outcome).toEqual({ kind: 'emit', disposition: 'processed', messages: [] });
    expect(ledger.calls).toEqual([]);
  });

  it('claims the whole batch in one ledger call, with the source position of each delivery', async () => {
    const ledger = new RecordingLedger();
    const next = sampleRegionalAlert({ version: 4, level: 'MEDIUM', previousLevel: 'HIGH' });
    await stageWith(ledger).handleBatch([alertMessage(alert, '10'), alertMessage(next, '11')]);
    expect(ledger.calls).toHaveLength(1);
    const claims = ledger.calls[0]!;
    expect(claims).toContainEqual({ deliveryId: 'bf-gendarmerie:SECTION:ML-SN-003:smuggling-threshold:3', position: 'alerts.regional/0/10', fingerprint: expect.any(String), notice: 'news' });
    // Version 4 fell to MEDIUM; Mauritania (HIGH and above) received version 3, so it learns of the fall: a follow-up.
    expect(claims).toContainEqual({ deliveryId: 'mr-surete:SECTION:ML-SN-003:smuggling-threshold:4', position: 'alerts.regional/0/11', fingerprint: expect.any(String), notice: 'follow-up' });
    expect(claims).toHaveLength(12);
  });

  it("gives the ledger the consumer's heartbeat, to keep the partitions while a claim waits for a restore", async () => {
    const ledger = new RecordingLedger();
    const heartbeat = async (): Promise<void> => {};
    await stageWith(ledger).handleBatch([alertMessage(alert, '10')], { generation: 1, heartbeat });
    expect(ledger.keepAlives).toEqual([heartbeat]);
  });

  it('fingerprints each delivery by the alert as its agency receives it', async () => {
    const ledger = new RecordingLedger();
    const [outcome] = await stageWith(ledger).handleBatch([alertMessage(alert, '10')]);
    const delivered = Object.values(deliveriesOf(outcome)).map(({ delivery }) => delivery);
    const claimed = new Map(ledger.calls[0]!.map((c) => [c.deliveryId, c.fingerprint]));
    expect(delivered.map((d) => claimed.get(d.deliveryId))).toEqual(delivered.map((d) => deliveryFingerprint(d.alert)));
    // Each delivery says its id and fingerprint in its headers: what a restore of the ledger reads back.
    const headers = emitted(outcome).messages.filter((m) => m.topic.startsWith('alerts.agency.')).map((m) => m.headers);
    expect(headers).toEqual(delivered.map((d) => ({ [HEADERS.deliveryId]: d.deliveryId, [HEADERS.contentFingerprint]: claimed.get(d.deliveryId) })));
    // Some receive the alert in full, some redacted: two fingerprints.
    expect(new Set(delivered.map((d) => d.redacted))).toEqual(new Set([true, false]));
    expect(new Set(claimed.values()).size).toBe(2);
  });

  it('drops a version re-published with a later evaluation time, and delivers other content numbered the same', async () => {
    const stage = stageWith();
    await stage.handleBatch([alertMessage(alert, '10')]);
    const [reEvaluated] = await stage.handleBatch([alertMessage({ ...alert, evaluatedAt: alert.evaluatedAt + 3_600_000 }, '57')]);
    expect(reEvaluated).toEqual({ kind: 'emit', disposition: 'deduplicated', messages: [] });
    // A correlator whose state was rebuilt from a shorter history numbers its versions anew.
    // Agencies receiving it in full get it; those whose redacted view is the same do not.
    const [first] = await stageWith().handleBatch([alertMessage(alert, '10')]);
    const inFull = Object.values(deliveriesOf(first)).filter(({ delivery }) => !delivery.redacted).map(({ delivery }) => delivery.agencyId);
    const [renumbered] = await stage.handleBatch([alertMessage({ ...alert, score: 3.1, contributingEventIds: ['ml-dgpc:KAY-2025-0399'] }, '58')]);
    expect(Object.keys(deliveriesOf(renumbered)).sort()).toEqual(inFull.sort());
    expect(inFull.length).toBeGreaterThan(0);
  });

  it('drops a version re-published at another offset, but re-sends a replay of the same offset', async () => {
    const stage = stageWith();
    await stage.handleBatch([alertMessage(alert, '10')]);
    const [republished] = await stage.handleBatch([alertMessage(alert, '57')]);
    expect(republished).toEqual({ kind: 'emit', disposition: 'deduplicated', messages: [] });
    const [replayed] = await stage.handleBatch([alertMessage(alert, '10')]);
    expect(emitted(replayed).messages).toHaveLength(6);
  });

  it('holds a silenced version, and delivers it when it comes back through alerts.released after the silence', async () => {
    const silence = { silenceId: 'op', zone: 'SECTION:ML-SN-003', ruleId: null, startsAt: NOW - 1, endsAt: NOW + 60_000, comment: '' };
    const state = controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), parseSharingPolicy(SAMPLE_POLICY_JSON), { silences: [silence] });
    let now = NOW;
    const stage = stageWith(new InMemoryDeliveryLedger(), state, () => now);
    expect(await stage.handleBatch([alertMessage(alert, '10')])).toEqual([{ kind: 'emit', disposition: 'processed', messages: [] }]);
    now = silence.endsAt;
    const released = { ...alertMessage(alert, '0'), topic: TOPICS.releasedAlerts };
    expect(Object.keys(deliveriesOf((await stage.handleBatch([released]))[0]))).toHaveLength(6);
  });

  it('delivers an end, and a fall below an agency\'s level, only to the agencies told of the alert: the others were never told it was on', async () => {
    const ledger = new InMemoryDeliveryLedger();
    let untold = 0;
    const stage = new DispatcherStage(codecs, sampleState(), ledger, () => NOW, { held: () => {}, rearmed: () => {}, beyondLedgerReach: () => {}, untold: (n) => void (untold += n) });
    const low = { ...alert, version: 1, status: 'FIRING' as const, level: 'LOW' as const, previousLevel: null };
    const [fired, ended, refired, fell, endedAgain] = await stage.handleBatch([
      alertMessage(low, '20'),
      alertMessage({ ...low, version: 2, status: 'RESOLVED', previousLevel: 'LOW' }, '21'),
      alertMessage({ ...low, version: 3, level: 'HIGH' }, '22'),
      alertMessage({ ...low, version: 4, status: 'UPDATED', level: 'MEDIUM', previousLevel: 'HIGH' }, '23'),
      alertMessage({ ...low, version: 5, status: 'RESOLVED', level: 'MEDIUM', previousLevel: 'MEDIUM' }, '24'),
    ]);
    const told = Object.keys(deliveriesOf(fired)).sort();
    // Mauritania subscribes from HIGH: the LOW episode was never news to it, so neither is its end.
    expect(told).not.toContain('mr-surete');
    expect(Object.keys(deliveriesOf(ended)).sort()).toEqual(told);
    expect(emitted(ended).disposition).toBe('processed');
    expect(untold).toBeGreaterThan(0);
    // The next episode reaches HIGH: news to Mauritania, which then learns of the fall and of the end.
    expect(Object.keys(deliveriesOf(refired))).toContain('mr-surete');
    expect(Object.keys(deliveriesOf(fell))).toContain('mr-surete');
    expect(Object.keys(deliveriesOf(endedAgain)).sort()).toEqual(Object.keys(deliveriesOf(refired)).sort());
  });

  it('delivers an end corrected after an end (late evidence), and an end a silence released late, to the agencies told of the alert', async () => {
    const ledger = new InMemoryDeliveryLedger();
    const stage = stageWith(ledger);
    const [fired, ended, corrected] = await stage.handleBatch([
      alertMessage({ ...alert, version: 1, status: 'FIRING', previousLevel: null }, '30'),
      alertMessage({ ...alert, version: 2, status: 'RESOLVED', previousLevel: 'HIGH' }, '31'),
      alertMessage({ ...alert, version: 3, status: 'RESOLVED', previousLevel: 'HIGH', score: 1 }, '32'),
    ]);
    const told = Object.keys(deliveriesOf(fired)).sort();
    expect(Object.keys(deliveriesOf(ended)).sort()).toEqual(told);
    expect(Object.keys(deliveriesOf(corrected)).sort()).toEqual(told);
    // Version 4 FIRING went out; the end of the episode before it, held by a silence, is released after it.
    await stage.handleBatch([alertMessage({ ...alert, version: 4, status: 'FIRING', previousLevel: null }, '33')]);
    const [released] = await stage.handleBatch([{ ...alertMessage({ ...alert, version: 5, status: 'RESOLVED', previousLevel: 'HIGH' }, '7'), topic: TOPICS.releasedAlerts }]);
    expect(Object.keys(deliveriesOf(released)).sort()).toEqual(told);
  });

  it('re-arms an acknowledgement when its alert resolves: a tombstone and an audit record, produced with the deliveries', async () => {
    const ack = { alertId: alert.alertId, version: 3, comment: 'patrol sent' };
    const state = controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), parseSharingPolicy(SAMPLE_POLICY_JSON), { acknowledgements: [ack] });
    // The agencies were told of version 3, before the acknowledgement: they are owed the end.
    const ledger = new InMemoryDeliveryLedger();
    expect(Object.keys(deliveriesOf((await stageWith(ledger).handleBatch([alertMessage(alert, '10')]))[0]))).toHaveLength(6);
    const stage = stageWith(ledger, state);
    const [held, resolved, firing, update] = await stage.handleBatch([
      alertMessage({ ...alert, version: 4, previousLevel: 'HIGH' }, '11'),
      alertMessage({ ...alert, version: 5, status: 'RESOLVED', previousLevel: 'HIGH' }, '12'),
      alertMessage({ ...alert, version: 6, status: 'FIRING', previousLevel: null }, '13'),
      alertMessage({ ...alert, version: 7, previousLevel: 'HIGH' }, '14'),
    ]);
    expect(emitted(held).messages).toEqual([]);
    const control = emitted(resolved).messages.filter((m) => m.topic.startsWith('control.'));
    expect(control.map((m) => [m.topic, m.key, m.tombstone ?? false])).toEqual([
      [TOPICS.lifecycle, `ack:${alert.alertId}`, true],
      [TOPICS.controlAudit, `ack:${alert.alertId}`, false],
    ]);
    expect(codecs.controlRecord.decode(control[1]!.value)).toMatchObject({ action: 'DELETE', changedBy: 'dispatcher', reason: 're-armed: the alert was RESOLVED at version 5', acknowledgement: ack });
    expect(Object.keys(deliveriesOf(resolved))).toHaveLength(6);
    // The next episode alerts again, though the tombstone has not come back through the view yet.
    expect(Object.keys(deliveriesOf(firing))).toHaveLength(6);
    expect(Object.keys(deliveriesOf(update))).toHaveLength(6);
  });

  it('dead-letters what it cannot decode and delivers the rest of the batch', async () => {
    const outcomes = await stageWith().handleBatch([inbound(null, '1'), inbound(Buffer.from('not avro'), '2'), alertMessage(alert, '3')]);
    expect(outcomes[0]).toMatchObject({ kind: 'dead-letter', failure: { code: 'EMPTY_MESSAGE', attempts: 1 } });
    expect(outcomes[1]).toMatchObject({ kind: 'dead-letter', failure: { code: 'WIRE_FORMAT', attempts: 1 } });
    expect(emitted(outcomes[2]).messages).toHaveLength(6);
  });

  describe('versions evaluated before the ledger\'s reach', () => {
    const reach = 30 * 86_400_000;
    const withWatermark = (watermark: number, message: InboundMessage, headers: Record<string, string> = {}): InboundMessage => ({
      ...message,
      headers: { ...headers, [HEADERS.arrivalWatermark]: Buffer.from(String(watermark)) },
    });
    const counting = () => {
      const counts = { beyond: 0, held: 0, rearmed: 0 };
      return { counts, observer: { held: () => void counts.held++, rearmed: () => void counts.rearmed++, beyondLedgerReach: () => void counts.beyond++, untold: () => {} } };
    };

    it('holds them back, unclaimed and undecoded, by the arrival-watermark header or else the record\'s time; not by the feed\'s publication time', async () => {
      const ledger = new RecordingLedger(reach);
      const { counts, observer } = counting();
      const stage = new DispatcherStage(codecs, sampleState(), ledger, () => NOW, observer);
      const feedClockWrong = { [PUBLISHED_AT_HEADER]: String(NOW - 2 * reach) };
      const outcomes = await stage.handleBatch([
        withWatermark(NOW - reach + CLOCK_SKEW_MARGIN_MS - 1, alertMessage(alert, '1')),
        withWatermark(NOW - reach + CLOCK_SKEW_MARGIN_MS, alertMessage({ ...alert, version: 4 }, '2'), feedClockWrong),
        { ...alertMessage({ ...alert, version: 5 }, '3'), timestamp: NOW - reach - 1 },
        withWatermark(NOW - reach - 1, inbound(Buffer.from('not avro'), '4')),
      ]);
      expect(outcomes.map((o) => emitted(o).disposition)).toEqual(['deduplicated', 'processed', 'deduplicated', 'deduplicated']);
      expect(outcomes.map((o) => emitted(o).messages.length)).toEqual([0, 6, 0, 0]);
      expect(ledger.calls.flat().map((c) => c.deliveryId.split(':').at(-1))).toEqual(Array(6).fill('4'));
      expect(counts).toEqual({ beyond: 3, held: 0, rearmed: 0 });
    });

    it('still re-arms the acknowledgement of an alert that resolved, so that its next episode alerts', async () => {
      const ack = { alertId: alert.alertId, version: 3, comment: 'patrol sent' };
      const state = controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), parseSharingPolicy(SAMPLE_POLICY_JSON), { acknowledgements: [ack] });
      const { counts, observer } = counting();
      const stage = new DispatcherStage(codecs, state, new RecordingLedger(reach), () => NOW, observer);
      const keyed = (m: InboundMessage): InboundMessage => ({ ...m, key: Buffer.from(alert.alertId) });
      const [resolved, firing] = await stage.handleBatch([
        keyed(withWatermark(NOW - reach - 1, alertMessage({ ...alert, version: 5, status: 'RESOLVED', previousLevel: 'HIGH' }, '12'))),
        keyed(withWatermark(NOW, alertMessage({ ...alert, version: 6, status: 'UPDATED', previousLevel: 'HIGH' }, '13'))),
      ]);
      expect(emitted(resolved).messages.map((m) => [m.topic, m.tombstone ?? false])).toEqual([[TOPICS.lifecycle, true], [TOPICS.controlAudit, false]]);
      expect(emitted(resolved).disposition).toBe('deduplicated');
      expect(Object.keys(deliveriesOf(firing))).toHaveLength(6);
      expect(counts).toEqual({ beyond: 1, held: 0, rearmed: 1 });
    });

    it('counts each version once when its batch is retried after a ledger failure', async () => {
      const { counts, observer } = counting();
      const stage = new DispatcherStage(codecs, sampleState(), failingOnce(reach), () => NOW, observer);
      const batch = [withWatermark(NOW - reach - 1, alertMessage(alert, '1')), alertMessage({ ...alert, version: 4 }, '2')];
      await expect(stage.handleBatch(batch)).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
      await stage.handleBatch(batch);
      expect(counts.beyond).toBe(1);
    });
  });

  it('re-arms again when its batch is retried after a ledger failure: the tombstone is not lost with the failed attempt', async () => {
    const ack = { alertId: alert.alertId, version: 3, comment: 'patrol sent' };
    const state = controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), parseSharingPolicy(SAMPLE_POLICY_JSON), { acknowledgements: [ack] });
    const stage = stageWith(failingOnce(), state);
    const batch = [alertMessage({ ...alert, version: 5, status: 'RESOLVED', previousLevel: 'HIGH' }, '12')];
    await expect(stage.handleBatch(batch)).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    const [resolved] = await stage.handleBatch(batch);
    expect(emitted(resolved).messages.filter((m) => m.topic === TOPICS.lifecycle).map((m) => m.tombstone)).toEqual([true]);
  });

  it('lets a ledger failure fail the whole batch, so it is retried and never dead-lettered', async () => {
    const down: DeliveryLedger = { reachMs: Infinity, claim: async () => { throw new VigieError('REDIS_UNAVAILABLE', 'connection refused', true); } };
    await expect(stageWith(down).handleBatch([alertMessage(alert)])).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
  });
});
