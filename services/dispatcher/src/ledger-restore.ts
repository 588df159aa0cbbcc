import { HEADERS, VigieError, agencyAlertTopic, errorMessage, type Codecs } from '@vigie/contracts';
import { headerText, readTopicsSince, type StructuredLogger } from '@vigie/kafka';
import { deliveryFingerprint, isDeliveryFingerprint, type RestorableDeliveryLedger, type RestoredDelivery } from '@vigie/sharing';
import type { Kafka } from 'kafkajs';

const CHUNK = 1_000;
/** Passes before giving up (retriably) when Redis keeps being emptied during the restore. */
const MAX_ATTEMPTS = 3;

/** What one restore did. */
export interface LedgerRestoreSummary {
  /** Records read from the agency topics. */
  readonly read: number;
  /** Ledger records it added or changed. */
  readonly recorded: number;
  /** Records that were not readable deliveries. */
  readonly unreadable: number;
  /** Passes over the agency topics: more than one when Redis was emptied during a pass. */
  readonly attempts: number;
  readonly seconds: number;
}

export interface LedgerRestoreOptions {
  /** The agencies of the directory: their topics are where deliveries were made. */
  readonly agencyIds: readonly string[];
  readonly log: StructuredLogger;
  readonly now?: () => number;
}

/**
 * When Redis is lost, the delivery ledger goes with it, and the correlator's rebuild re-publishes
 * every alert version under its old delivery ids. The agency topics are the record of what was
 * delivered. So before it consumes, a dispatcher that finds the ledger not restored on this Redis
 * records every delivery those topics hold from within the ledger's time to live, with the
 * fingerprint of what it carried (from the delivery's headers, without decoding it), and marks the
 * ledger restored, unless Redis was emptied meanwhile (then it reads them again). A re-published
 * version is then recognised by its content; another version numbered the same (a rebuild from a
 * history that retention has cut numbers versions anew) is delivered. Instances restoring at once
 * write the same records. Returns what it did (undefined when the ledger was restored already).
 */
export async function restoreDeliveryLedger(kafka: Kafka, codecs: Codecs, ledger: RestorableDeliveryLedger, options: LedgerRestoreOptions): Promise<LedgerRestoreSummary | undefined> {
  if (await ledger.isRestored()) return undefined;
  const now = options.now ?? Date.now;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    const token = await ledger.beginRestore();
    const pass = await readDeliveriesInto(ledger, kafka, codecs, options, now);
    // Redis emptied during the pass takes its token, and part of what it wrote: start again.
    if (await ledger.markRestored(token)) {
      const { firstUnreadable, ...counts } = pass;
      const summary: LedgerRestoreSummary = { ...counts, attempts: attempt, seconds: (now() - started) / 1000 };
      if (pass.unreadable > 0) options.log.warn('agency topic records that are not readable deliveries: not restored', { unreadable: pass.unreadable, first: firstUnreadable });
      options.log.info('delivery ledger restored from the agency topics', { ...summary, topics: options.agencyIds.length });
      return summary;
    }
    if (attempt >= MAX_ATTEMPTS) throw new VigieError('DELIVERY_LEDGER_RESTORE_INTERRUPTED', `Redis was emptied during each of ${attempt} restores of the delivery ledger`, true);
    options.log.warn('Redis was emptied during the restore of the delivery ledger: restoring again', { attempt });
  }
}

/** One pass over the agency topics, recording every delivery they hold from within the ledger's time to live. */
async function readDeliveriesInto(ledger: RestorableDeliveryLedger, kafka: Kafka, codecs: Codecs, options: LedgerRestoreOptions, now: () => number) {
  const topics = options.agencyIds.map(agencyAlertTopic);
  let pending: RestoredDelivery[] = [];
  let recorded = 0;
  let unreadable = 0;
  let firstUnreadable: string | undefined;
  const flush = async (): Promise<void> => {
    const chunk = pending;
    pending = [];
    try {
      recorded += await ledger.restore(chunk, now());
    } catch (error) {
      // Handed over already, these records are not read again: the retry of the record being
      // handled (which a full chunk flushes before it is added) records them.
      pending = chunk;
      throw error;
    }
  };
  let read = 0;
  if (topics.length > 0) {
    read = await readTopicsSince(kafka, topics, now() - ledger.reachMs, async (message) => {
      if (pending.length >= CHUNK) await flush();
      const deliveryId = headerText(message, HEADERS.deliveryId);
      const fingerprint = headerText(message, HEADERS.contentFingerprint);
      // A fingerprint goes into a ledger record, which a space or a comma would corrupt.
      if (deliveryId && fingerprint && isDeliveryFingerprint(fingerprint)) {
        // The record's timestamp: when it was produced, a moment after the delivery's deliveredAt.
        pending.push({ deliveryId, fingerprint, deliveredAt: message.timestamp });
      } else {
        // Written before deliveries carried these headers (or with headers not of their shape): read the delivery itself.
        try {
          const delivery = codecs.alertDelivery.decode(message.value as Buffer);
          pending.push({ deliveryId: delivery.deliveryId, fingerprint: deliveryFingerprint(delivery.alert), deliveredAt: delivery.deliveredAt });
        } catch (error) {
          // Only the dispatcher writes there: a delivery this build cannot read, which will be delivered again.
          unreadable++;
          firstUnreadable ??= `${message.topic}/${message.partition}/${message.offset}: ${errorMessage(error)}`;
        }
      }
    });
  }
  await flush();
  return { read, recorded, unreadable, firstUnreadable };
}

