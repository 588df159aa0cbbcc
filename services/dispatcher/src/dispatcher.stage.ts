import {
  HEADERS,
  TOPICS,
  VigieError,
  agencyAlertTopic,
  controlKey,
  controlRecord,
  deriveDeliveryId,
  type Acknowledgement,
  type AlertDelivery,
  type Codecs,
  type EncodedFieldEncoder,
  type RegionalAlert,
} from '@vigie/contracts';
import { attemptEach, headerMillis, type BatchContext, type InboundMessage, type MessageOutcome, type OutboundMessage, type StageHandler } from '@vigie/kafka';
import {
  acknowledgementEffect,
  decideDispatch,
  deliveryFingerprint,
  withinLedgerReach,
  type ControlState,
  type DeliveryLedger,
  type DeliveryNotice,
  type DispatchContext,
  type HeldBy,
  type PlannedDelivery,
} from '@vigie/sharing';

/** What the stage tells its metrics. */
export interface DispatchObserver {
  held(by: 'silence' | 'acknowledgement'): void;
  rearmed(): void;
  /** A version evaluated before the ledger's reach was held back (withinLedgerReach). */
  beyondLedgerReach(): void;
  /** Follow-ups (an end, a fall below an agency's level) not delivered: the agency was never told of the alert. */
  untold(count: number): void;
}

const NO_OBSERVER: DispatchObserver = { held: () => {}, rearmed: () => {}, beyondLedgerReach: () => {}, untold: () => {} };

/**
 * One message's deliveries, encoded and addressed, waiting for the ledger claim of its batch.
 * Encoded before the claim on purpose: a delivery whose encoding failed after it was claimed would
 * stay claimed, and that version could never reach its agencies.
 */
interface Plan {
  readonly deliveries: readonly { readonly deliveryId: string; readonly fingerprint: string; readonly notice: DeliveryNotice; readonly output: OutboundMessage }[];
  /** Written whatever the ledger says: re-arming twice is harmless. */
  readonly control: readonly OutboundMessage[];
  /** Evaluated before the ledger's reach (withinLedgerReach): not delivered, a version decided long ago. */
  readonly beyondReach?: true;
  readonly heldBy?: HeldBy;
}

/** What a batch decides with: the dispatch context, and the re-arms it planned so far. */
interface BatchDispatchContext extends DispatchContext {
  readonly rearms: Map<string, number>;
}

const BEYOND_REACH: Plan = Object.freeze({ deliveries: Object.freeze([]), control: Object.freeze([]), beyondReach: true });

/** An alert as some agencies receive it (in full, or the one redacted view): its bytes and its fingerprint. */
interface AlertView {
  readonly bytes: Buffer;
  readonly fingerprint: string;
}

const positionOf = (m: InboundMessage): string => `${m.topic}/${m.partition}/${m.offset}`;

/**
 * Dispatcher: alerts.regional (and alerts.released, the versions a silence held) →
 * alerts.agency.<agencyId>. Decides with the control topics as materialised in this instance
 * (subscriptions, sharing policy, silences, acknowledgements); each delivery says which
 * subscription matched. A version re-published upstream is recognised by the delivery ledger and
 * not delivered twice; a follow-up (an end, a fall from an agency's level) goes only to agencies
 * the ledger says were told of the alert. When an acknowledged alert resolves or fires anew, the acknowledgement is
 * re-armed by a tombstone on control.lifecycle, produced with the deliveries.
 */
export class DispatcherStage implements StageHandler {
  /** Alert id → version that re-armed its acknowledgement here, until the tombstone comes back through the view. */
  private readonly rearmedAt = new Map<string, number>();
  /** Writes a delivery around its alert already encoded (undefined if the schemas ever part). */
  private readonly withAlert: EncodedFieldEncoder<AlertDelivery, 'alert'> | undefined;

  constructor(
    private readonly codecs: Codecs,
    private readonly control: ControlState,
    private readonly ledger: DeliveryLedger,
    private readonly now: () => number = Date.now,
    private readonly observer: DispatchObserver = NO_OBSERVER,
  ) {
    this.withAlert = codecs.alertDelivery.withEncodedField('alert', codecs.regionalAlert.schemaId);
  }

  async handleBatch(messages: readonly InboundMessage[], batch?: BatchContext): Promise<readonly MessageOutcome[]> {
    // Re-arms planned by this batch: they count for its later versions at once, and for the next
    // batches only once its claim succeeded (a batch retried after a ledger failure re-arms again).
    const rearms = new Map<string, number>();
    const context = this.context(this.now(), rearms);
    const plans: Plan[] = new Array(messages.length);
    const outcomes = attemptEach(messages, (message, i) => {
      plans[i] = this.plan(message, context);
      return { kind: 'emit', messages: [] };
    });

    const pending = messages.flatMap((_, i) => (plans[i] && outcomes[i]?.kind === 'emit' ? [i] : []));
    const claims = pending.flatMap((i) => plans[i]!.deliveries.map((d) => ({ deliveryId: d.deliveryId, position: positionOf(messages[i]!), fingerprint: d.fingerprint, notice: d.notice })));
    const answers = claims.length > 0 ? await this.ledger.claim(claims, batch?.heartbeat) : [];

    let next = 0;
    for (const i of pending) {
      const { deliveries, control, beyondReach, heldBy } = plans[i]!;
      const mine = answers.slice(next, (next += deliveries.length));
      const sent = deliveries.filter((_, k) => mine[k] === 'granted').map((d) => d.output);
      // A version delivered already to everyone it matched; one owed only to agencies never told of it is processed, to nobody.
      const duplicate = (mine.includes('duplicate') && sent.length === 0) || beyondReach === true;
      outcomes[i] = { kind: 'emit', disposition: duplicate ? 'deduplicated' : 'processed', messages: [...sent, ...control] };
      // Counted once the batch holds, not when planned: a batch retried after a ledger failure is planned again.
      if (beyondReach) this.observer.beyondLedgerReach();
      if (heldBy) this.observer.held(heldReason(heldBy));
      if (control.length > 0) this.observer.rearmed();
    }
    const untold = answers.filter((answer) => answer === 'untold').length;
    if (untold > 0) this.observer.untold(untold);
    for (const [alertId, version] of rearms) this.rearmedAt.set(alertId, version);
    return outcomes;
  }

  private context(now: number, rearms: Map<string, number>): BatchDispatchContext {
    return {
      directory: this.control.directory(),
      policy: this.control.policy(),
      silences: this.control.silences(),
      acknowledgement: (alertId) => this.acknowledgement(alertId, rearms),
      now,
      rearms,
    };
  }

  /** The view's acknowledgement, unless this stage re-armed it and the tombstone has not come back yet. */
  private acknowledgement(alertId: string, rearms: ReadonlyMap<string, number>): Acknowledgement | undefined {
    const ack = this.control.acknowledgement(alertId);
    const rearmed = rearms.get(alertId) ?? this.rearmedAt.get(alertId);
    if (rearmed === undefined) return ack;
    if (ack !== undefined && ack.version < rearmed) return undefined;
    this.rearmedAt.delete(alertId); // the tombstone arrived, or an operator acknowledged the new episode
    return ack;
  }

  /** Decodes one alert and prepares its outputs; throws (→ dead letter) when it cannot be read. */
  private plan(message: InboundMessage, context: BatchDispatchContext): Plan {
    if (!withinLedgerReach(headerMillis(message, HEADERS.arrivalWatermark), context.now, this.ledger.reachMs)) return this.beyondReach(message, context);
    if (!message.value) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
    const received = message.value;
    const { value: alert, canonical } = this.codecs.regionalAlert.decodeMessage(received);
    const decision = decideDispatch(alert, context);
    const deliveredAt = context.now;
    // Deliveries carry the version as received or its one redacted view (decideDispatch redacts
    // once per version): each is encoded and fingerprinted once, the version as received not
    // encoded at all when its bytes are those encode would write.
    let full: AlertView | undefined;
    let redacted: AlertView | undefined;
    const viewOf = (planned: PlannedDelivery): AlertView =>
      planned.redacted
        ? (redacted ??= { bytes: this.codecs.regionalAlert.encode(planned.alert), fingerprint: deliveryFingerprint(planned.alert) })
        : (full ??= { bytes: canonical ? received : this.codecs.regionalAlert.encode(alert), fingerprint: deliveryFingerprint(alert) });
    const deliveries = decision.deliveries.map((planned) => {
      const delivery = toDelivery(alert, planned, deliveredAt);
      const view = viewOf(planned);
      const value = this.withAlert ? this.withAlert(view.bytes, delivery) : this.codecs.alertDelivery.encode(delivery);
      const headers = { [HEADERS.deliveryId]: delivery.deliveryId, [HEADERS.contentFingerprint]: view.fingerprint };
      const notice: DeliveryNotice = planned.match;
      return { deliveryId: delivery.deliveryId, fingerprint: view.fingerprint, notice, output: { topic: agencyAlertTopic(delivery.agencyId), key: alert.alertId, value, headers, decoded: delivery } };
    });
    // Re-armed last: a version whose encoding failed is dead-lettered, and must not re-arm unwritten.
    const control = decision.rearm ? this.rearm(alert, decision.rearm, context) : [];
    return { heldBy: decision.heldBy, deliveries, control };
  }

  /**
   * A version evaluated before the ledger's reach is not delivered, and not decoded (a rebuild of a
   * year of history re-publishes mostly such versions) — unless its alert is acknowledged: one that
   * resolved or fired anew while a dispatcher was stopped that long still re-arms, or the next
   * episode would be held by the old acknowledgement.
   */
  private beyondReach(message: InboundMessage, context: BatchDispatchContext): Plan {
    const alertId = message.key?.toString(); // alerts.regional and alerts.released are keyed by alert id
    const ack = alertId === undefined ? undefined : context.acknowledgement(alertId);
    if (ack === undefined || !message.value) return BEYOND_REACH;
    let alert: RegionalAlert;
    try {
      alert = this.codecs.regionalAlert.decode(message.value);
    } catch {
      return BEYOND_REACH; // dead-lettered when it was first read
    }
    return acknowledgementEffect(alert, ack) === 'rearm' ? { ...BEYOND_REACH, control: this.rearm(alert, ack, context) } : BEYOND_REACH;
  }

  private rearm(alert: RegionalAlert, ack: Acknowledgement, { now, rearms }: BatchDispatchContext): OutboundMessage[] {
    rearms.set(alert.alertId, alert.version);
    const key = controlKey('acknowledgement', alert.alertId);
    const reason = `re-armed: the alert was ${alert.status} at version ${alert.version}`;
    const audit = controlRecord('acknowledgement', ack, { action: 'DELETE', changedAt: now, changedBy: 'dispatcher', reason });
    return [
      { topic: TOPICS.lifecycle, key, value: Buffer.alloc(0), tombstone: true },
      { topic: TOPICS.controlAudit, key, value: this.codecs.controlRecord.encode(audit) },
    ];
  }
}

const heldReason = (heldBy: HeldBy): 'silence' | 'acknowledgement' => ('silenceIds' in heldBy ? 'silence' : 'acknowledgement');

function toDelivery(alert: RegionalAlert, planned: PlannedDelivery, deliveredAt: number): AlertDelivery {
  return {
    deliveryId: deriveDeliveryId(planned.agency.agencyId, alert.alertId, alert.version),
    agencyId: planned.agency.agencyId,
    subscriptionId: planned.subscription.subscriptionId,
    redacted: planned.redacted,
    redactedFields: [...planned.redactedFields],
    alert: planned.alert,
    deliveredAt,
  };
}
