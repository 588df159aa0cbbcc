import { VigieError, agencyAlertTopic, deriveDeliveryId, type AlertDelivery, type Codecs, type RegionalAlert } from '@vigie/contracts';
import { attemptEach, type InboundMessage, type MessageOutcome, type OutboundMessage, type StageHandler } from '@vigie/kafka';
import {
  entitlement,
  matchSubscriptions,
  mostSpecificPerAgency,
  redact,
  sharingPolicyFromDirectory,
  type Agency,
  type AgencyDirectory,
  type DeliveryLedger,
  type SharingPolicy,
} from '@vigie/sharing';

/** A delivery encoded and addressed, waiting for the ledger claim of its batch. */
interface PlannedDelivery {
  readonly deliveryId: string;
  readonly output: OutboundMessage;
}

const positionOf = (m: InboundMessage): string => `${m.topic}/${m.partition}/${m.offset}`;

/**
 * Dispatcher: alerts.regional → alerts.agency.<agencyId>. Each alert version goes once to every
 * agency with a matching subscription, in full or redacted as the sharing policy entitles it, keyed
 * by alert id so an agency's topic keeps each alert's versions in order. Versions re-published
 * upstream are recognised by the delivery ledger and not delivered twice.
 */
export class DispatcherStage implements StageHandler {
  private readonly agencies: ReadonlyMap<string, Agency>;
  private readonly policy: SharingPolicy;

  constructor(
    private readonly codecs: Codecs,
    private readonly directory: AgencyDirectory,
    private readonly ledger: DeliveryLedger,
    private readonly now: () => number = Date.now,
  ) {
    this.agencies = new Map(directory.agencies.map((a) => [a.agencyId, a]));
    const orphan = directory.subscriptions.find((s) => !this.agencies.has(s.agencyId));
    if (orphan) throw new VigieError('AGENCIES_INVALID', `subscription ${orphan.subscriptionId} names unknown agency ${orphan.agencyId}`, false);
    this.policy = sharingPolicyFromDirectory(directory);
  }

  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    const deliveredAt = this.now();
    const planned: PlannedDelivery[][] = new Array(messages.length);
    const outcomes = attemptEach(messages, (message, i) => {
      planned[i] = this.plan(message, deliveredAt);
      return { kind: 'emit', messages: [] };
    });

    const pending = messages.flatMap((_, i) => (planned[i] && outcomes[i]?.kind === 'emit' ? [i] : []));
    const claims = pending.flatMap((i) => planned[i]!.map((d) => ({ deliveryId: d.deliveryId, position: positionOf(messages[i]!) })));
    const fresh = claims.length > 0 ? await this.ledger.claim(claims) : [];

    let next = 0;
    for (const i of pending) {
      const deliveries = planned[i]!;
      const sent: OutboundMessage[] = [];
      for (const d of deliveries) if (fresh[next++]) sent.push(d.output);
      const duplicate = deliveries.length > 0 && sent.length === 0;
      outcomes[i] = { kind: 'emit', disposition: duplicate ? 'deduplicated' : 'processed', messages: sent };
    }
    return outcomes;
  }

  /** Decodes one alert and prepares its deliveries; throws (→ dead letter) when it cannot be read. */
  private plan(message: InboundMessage, deliveredAt: number): PlannedDelivery[] {
    if (!message.value) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
    const alert = this.codecs.regionalAlert.decode(message.value);
    const recipients = mostSpecificPerAgency(matchSubscriptions(alert, this.directory.subscriptions));
    // Redacted once per alert: every non-entitled agency receives the same withheld view.
    let withheld: ReturnType<typeof redact> | undefined;
    return recipients.flatMap((subscription) => {
      const agency = this.agencies.get(subscription.agencyId) as Agency;
      const right = entitlement(alert, agency, this.policy);
      if (right === 'none') return [];
      const shared = right === 'full' ? { alert, redactedFields: [] } : (withheld ??= redact(alert));
      const delivery: AlertDelivery = {
        deliveryId: deriveDeliveryId(agency.agencyId, alert.alertId, alert.version),
        agencyId: agency.agencyId,
        subscriptionId: subscription.subscriptionId,
        redacted: right === 'redacted',
        redactedFields: shared.redactedFields,
        alert: shared.alert,
        deliveredAt,
      };
      return [{ deliveryId: delivery.deliveryId, output: this.addressed(agency, alert, delivery) }];
    });
  }

  private addressed(agency: Agency, alert: RegionalAlert, delivery: AlertDelivery): OutboundMessage {
    return { topic: agencyAlertTopic(agency.agencyId), key: alert.alertId, value: this.codecs.alertDelivery.encode(delivery) };
  }
}
