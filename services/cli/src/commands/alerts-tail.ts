import { AGENCY_ID_PATTERN, HEADERS, agencyAlertTopic, type AlertDelivery } from '@vigie/contracts';
import { headerText, readTopics, type InboundMessage } from '@vigie/kafka';
import { deliveryFingerprint } from '@vigie/sharing';
import { CliError, explainKafkaError, type CliContext } from '../cli-context';
import { RedeliveryFilter } from '../redelivery-filter';
import { renderDelivery } from '../render-alert';

export interface TailOptions {
  readonly agencyId: string;
  readonly fromBeginning: boolean;
  readonly format: 'text' | 'json';
  /** Stops after printing this many deliveries: a redelivery skipped, or an undecodable message, is not one. */
  readonly maxDeliveries?: number;
  readonly idleTimeoutMs?: number;
  readonly lang: 'fr' | 'en';
}

/** Prints the alerts delivered to one agency, decoded, until interrupted (or the limits are reached). */
export async function alertsTailCommand(ctx: CliContext, options: TailOptions): Promise<number> {
  if (!AGENCY_ID_PATTERN.test(options.agencyId)) throw new CliError(`--agency "${options.agencyId}" is not an agency id (lower-case letters, digits, dashes)`, 2);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  try {
    await readTopics(ctx.kafka, {
      topics: [agencyAlertTopic(options.agencyId)],
      fromBeginning: options.fromBeginning,
      // Not maxMessages (what is read): --max counts what is printed, which the printer knows.
      idleTimeoutMs: options.idleTimeoutMs,
      signal: abort.signal,
      onMessage: deliveryPrinter(ctx, options, () => abort.abort()),
    });
  } catch (error) {
    if (/does not host this topic-partition|UNKNOWN_TOPIC/i.test(String(error))) {
      throw new CliError(`topic ${agencyAlertTopic(options.agencyId)} does not exist: is "${options.agencyId}" a registered agency? (npm run topics:create)`, 2);
    }
    throw explainKafkaError(error, ctx.brokers);
  }
  return 0;
}

/**
 * Prints each delivery read, once: a redelivery after a crash (same id, same content) is skipped.
 * With `maxDeliveries`, calls `stop` once it printed that many, and prints nothing more.
 */
export function deliveryPrinter(
  ctx: CliContext,
  options: Pick<TailOptions, 'format' | 'lang' | 'maxDeliveries'>,
  stop: () => void = () => {},
): (message: InboundMessage) => void {
  const redeliveries = new RedeliveryFilter();
  let printed = 0;
  return (message) => {
    if (!message.value || (options.maxDeliveries !== undefined && printed >= options.maxDeliveries)) return;
    let delivery: AlertDelivery;
    try {
      delivery = ctx.codecs.alertDelivery.decode(message.value);
    } catch (error) {
      ctx.err(`offset ${message.offset}: undecodable message (${(error as Error).message})`);
      return;
    }
    // Deliveries written before they carried the header are fingerprinted as the dispatcher does.
    const fingerprint = headerText(message, HEADERS.contentFingerprint) ?? deliveryFingerprint(delivery.alert);
    if (redeliveries.isRepeat(delivery.deliveryId, fingerprint)) return;
    ctx.out(options.format === 'json' ? JSON.stringify(delivery) : renderDelivery(delivery, options.lang));
    if (++printed === options.maxDeliveries) stop();
  };
}
