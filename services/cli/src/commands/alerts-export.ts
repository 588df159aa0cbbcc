import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENCY_ID_PATTERN, TOPICS, agencyAlertTopic, type RegionalAlert } from '@vigie/contracts';
import { readTopicsToEnd } from '@vigie/kafka';
import { alertToCap, latestWithPrevious, type CapExport } from '@vigie/sharing';
import { CliError, explainKafkaError, type CliContext } from '../cli-context';

export interface ExportOptions {
  readonly format: 'cap' | 'json';
  /** Export what this agency received (its redacted copies included); otherwise the regional alerts. */
  readonly agencyId?: string;
  readonly alertId?: string;
  /** A folder, one file per alert; stdout when omitted (then one alert, --alert, is expected). */
  readonly outDir?: string;
  readonly sender: string;
}

interface Version {
  readonly alert: RegionalAlert;
  readonly identifier: string;
  readonly sent: number;
  readonly redacted: boolean;
  readonly redactedFields: readonly string[];
}

/**
 * `vigie alerts export`: the latest version of each alert, from alerts.regional or from an
 * agency's topic, as OASIS CAP 1.2 XML (or JSON). Each CAP message references the highest earlier
 * version the topic still holds (see latestWithPrevious).
 */
export async function alertsExportCommand(ctx: CliContext, options: ExportOptions): Promise<number> {
  if (options.agencyId && !AGENCY_ID_PATTERN.test(options.agencyId)) throw new CliError(`--agency "${options.agencyId}" is not an agency id`, 2);
  if (!options.outDir && !options.alertId) throw new CliError('alerts export writes one alert to standard output: give --alert <alertId>, or --out <folder> for all', 2);
  const versions = new Map<string, Version[]>();
  const topic = options.agencyId ? agencyAlertTopic(options.agencyId) : TOPICS.regionalAlerts;
  try {
    await readTopicsToEnd(ctx.kafka, [topic], (message) => {
      if (!message.value) return;
      let version: Version;
      try {
        version = options.agencyId ? fromDelivery(ctx, message.value) : fromRegional(ctx, message.value);
      } catch (error) {
        ctx.err(`offset ${message.offset}: undecodable message skipped (${(error as Error).message})`);
        return;
      }
      if (options.alertId && version.alert.alertId !== options.alertId) return;
      versions.set(version.alert.alertId, [...(versions.get(version.alert.alertId) ?? []), version]);
    });
  } catch (error) {
    throw explainKafkaError(error, ctx.brokers);
  }
  if (versions.size === 0) throw new CliError(`no alert${options.alertId ? ` ${options.alertId}` : ''} on ${topic}`, 1);

  if (options.outDir) await mkdir(options.outDir, { recursive: true });
  for (const [alertId, all] of versions) {
    const { latest, previous } = latestWithPrevious(all);
    const text = options.format === 'json' ? `${JSON.stringify(jsonExport(latest), null, 2)}\n` : alertToCap(capExport(latest, previous, options));
    if (!options.outDir) ctx.out(text.trimEnd());
    else await writeFile(join(options.outDir, `${alertId.replace(/[^A-Za-z0-9._-]/g, '_')}-v${latest.alert.version}.${options.format === 'cap' ? 'xml' : 'json'}`), text);
  }
  if (options.outDir) ctx.err(`${versions.size} alerts written to ${options.outDir}`);
  return 0;
}

function capExport(latest: Version, previous: Version | undefined, options: ExportOptions): CapExport {
  return {
    alert: latest.alert,
    identifier: latest.identifier,
    sender: options.sender,
    sent: latest.sent,
    redactedFields: latest.redactedFields,
    addressee: options.agencyId,
    previous: previous && { identifier: previous.identifier, sent: previous.sent },
  };
}

/** The alert with what says it is a redacted copy: without it, the emptied fields (a score of 0) would pass for real values. */
function jsonExport(version: Version): RegionalAlert & { redacted: boolean; redactedFields: readonly string[] } {
  return { ...version.alert, redacted: version.redacted, redactedFields: version.redactedFields };
}

function fromRegional(ctx: CliContext, value: Buffer): Version {
  const alert = ctx.codecs.regionalAlert.decode(value);
  return { alert, identifier: `vigie:${alert.alertId}:${alert.version}`, sent: alert.evaluatedAt, redacted: false, redactedFields: [] };
}

function fromDelivery(ctx: CliContext, value: Buffer): Version {
  const delivery = ctx.codecs.alertDelivery.decode(value);
  return { alert: delivery.alert, identifier: `vigie:${delivery.deliveryId}`, sent: delivery.deliveredAt, redacted: delivery.redacted, redactedFields: delivery.redactedFields };
}
