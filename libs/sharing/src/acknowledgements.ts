import { ALERT_LEVELS, type Acknowledgement, type RegionalAlert } from '@vigie/contracts';
import { Problems } from './problems';

export type { Acknowledgement };

/**
 * What an acknowledgement does to a version of its alert:
 * - `none`: it does not apply (no acknowledgement, or a version the operator had already seen);
 * - `hold`: an update that does not raise the level — the operator has it in hand;
 * - `deliver`: a rise in level still goes out;
 * - `rearm`: the alert resolved, was retracted or fired anew: delivered, and the acknowledgement
 *   is deleted so that the next episode alerts again.
 */
export type AcknowledgementEffect = 'none' | 'hold' | 'deliver' | 'rearm';

const rank = (level: RegionalAlert['level']): number => ALERT_LEVELS.indexOf(level);

export function acknowledgementEffect(alert: RegionalAlert, ack: Acknowledgement | undefined): AcknowledgementEffect {
  if (!ack || alert.version <= ack.version) return 'none';
  if (alert.status !== 'UPDATED') return 'rearm';
  const raised = alert.previousLevel !== null && rank(alert.level) > rank(alert.previousLevel);
  return raised ? 'deliver' : 'hold';
}

/** Validates `{version, comment}` for `alertId`; throws `ACKNOWLEDGEMENT_INVALID`. */
export function parseAcknowledgement(alertId: string, value: unknown): Acknowledgement {
  const p = new Problems();
  const a = p.record(value, '', ['version', 'comment']);
  if (!/^\S{1,300}$/.test(alertId)) p.add('alertId', 'must be an alert id');
  const version = a?.version;
  if (!Number.isSafeInteger(version) || (version as number) < 1) p.add('version', 'must be the alert version you acknowledge (a whole number ≥ 1)');
  return p.result('ACKNOWLEDGEMENT_INVALID', { alertId, version: version as number, comment: p.optionalText(a?.comment, 'comment', 1000) });
}
