import { isAlertEnd, type AlertLevel, type AlertStatus, type RegionalAlert, type Tlp } from '@vigie/contracts';
import { zoneKey } from '../subscription-matching';

/**
 * An alert version as an OASIS CAP 1.2 message, for agencies whose systems speak CAP: one <info>
 * per working language (French and English, from the alert's summary), the zone as the area
 * (geocodes: its Vigie zone key and the ISO codes of its countries), the TLP marking as <code>
 * and <restriction>, and Vigie's own fields as parameters. A redacted delivery is exported as it was
 * delivered: what it does not carry is not invented, and <note> says what was withheld.
 */
export interface CapExport {
  readonly alert: RegionalAlert;
  /** Unique per message: e.g. `vigie:<deliveryId>` for an agency's copy. */
  readonly identifier: string;
  readonly sender: string;
  /** When this message was issued (epoch millis). */
  readonly sent: number;
  /** Fields the sharing policy emptied, when the export is an agency's redacted copy. */
  readonly redactedFields?: readonly string[];
  /** The agency the copy was delivered to: the message is then Private, addressed to it. */
  readonly addressee?: string;
  /** The message this one updates or cancels (the previous version's), when known. */
  readonly previous?: { readonly identifier: string; readonly sent: number };
}

const SEVERITY: Record<AlertLevel, string> = { LOW: 'Minor', MEDIUM: 'Moderate', HIGH: 'Severe', CRITICAL: 'Extreme' };
const MSG_TYPE: Record<AlertStatus, string> = { FIRING: 'Alert', UPDATED: 'Update', RESOLVED: 'Update', RETRACTED: 'Cancel' };
const RESPONSE: Record<AlertStatus, string> = { FIRING: 'Monitor', UPDATED: 'Monitor', RESOLVED: 'AllClear', RETRACTED: 'None' };
const LEVEL_FR: Record<AlertLevel, string> = { LOW: 'faible', MEDIUM: 'moyen', HIGH: 'élevé', CRITICAL: 'critique' };
/** The TLP 2.0 marking as written on a document (AMBER_STRICT is TLP:AMBER+STRICT); the CLI prints it too. */
export const TLP_MARKING: Record<Tlp, string> = { CLEAR: 'TLP:CLEAR', GREEN: 'TLP:GREEN', AMBER: 'TLP:AMBER', AMBER_STRICT: 'TLP:AMBER+STRICT', RED: 'TLP:RED' };

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** CAP times: seconds, an explicit offset, and UTC written -00:00 ("Z" is not allowed). */
export const capTime = (millis: number): string => `${new Date(millis).toISOString().slice(0, 19)}-00:00`;

/** CAP forbids spaces, commas and the characters < & in identifiers and sender. */
const capId = (text: string): string => text.replace(/[\s,<&]/g, '_');

const element = (name: string, value: string | number): string => `<${name}>${escape(String(value))}</${name}>`;
const named = (name: string, valueName: string, value: string | number): string => `<${name}>${element('valueName', valueName)}${element('value', value)}</${name}>`;

function parameters(c: CapExport): string[] {
  const a = c.alert;
  const withheld = new Set(c.redactedFields ?? []);
  const has = (field: string): boolean => !withheld.has(field);
  const p = (name: string, value: string | number): string => named('parameter', `vigie:${name}`, value);
  return [
    p('alertId', a.alertId),
    p('version', a.version),
    p('status', a.status),
    p('level', a.level),
    ...(a.previousLevel && has('previousLevel') ? [p('previousLevel', a.previousLevel)] : []),
    ...(has('rule') ? [p('rule', `${a.rule.id} (${a.rule.kind})`)] : []),
    ...(has('window') ? [p('window', `${capTime(a.window.startAt)}/${capTime(a.window.endAt)}`)] : []),
    ...(has('score') ? [p('score', a.score)] : []),
    ...(has('countsByCategory') ? Object.entries(a.countsByCategory).map(([category, n]) => p(`count:${category}`, n)) : []),
    ...(has('distinctSourceCountries') && a.distinctSourceCountries.length > 0 ? [p('sourceCountries', a.distinctSourceCountries.join(' '))] : []),
    p('tlp', a.tlp),
    ...(withheld.size > 0 ? [p('redactedFields', [...withheld].join(' '))] : []),
  ];
}

function info(c: CapExport, lang: 'fr' | 'en'): string {
  const a = c.alert;
  const closed = isAlertEnd(a.status);
  const headline = lang === 'fr' ? `${a.zone.name} : alerte de niveau ${LEVEL_FR[a.level]}` : `${a.zone.name}: ${a.level} alert`;
  const event = lang === 'fr' ? 'Alerte de sécurité transfrontalière' : 'Cross-border security alert';
  const onset = a.firstSeen > 0 && !(c.redactedFields ?? []).includes('firstSeen') ? [element('onset', capTime(a.firstSeen))] : [];
  return [
    '<info>',
    element('language', lang),
    element('category', 'Security'),
    element('event', event),
    element('responseType', RESPONSE[a.status]),
    element('urgency', closed ? 'Past' : a.level === 'CRITICAL' ? 'Immediate' : 'Expected'),
    element('severity', SEVERITY[a.level]),
    element('certainty', 'Likely'),
    element('effective', capTime(c.sent)),
    ...onset,
    element('senderName', 'Vigie — regional early warning'),
    element('headline', headline.slice(0, 160)),
    element('description', a.summary[lang]),
    ...parameters(c),
    '<area>',
    element('areaDesc', a.zone.name),
    named('geocode', 'vigie:zone', zoneKey(a.zone)),
    ...a.zone.countries.map((cc) => named('geocode', 'ISO 3166-1 alpha-2', cc)),
    '</area>',
    '</info>',
  ].join('');
}

/**
 * The latest of the versions of one alert held (of one version held twice, the later copy) and the
 * version its CAP message references: the highest one held below it. An agency rarely holds every
 * version (subscription filters, silences and acknowledgements skip some), and CAP 1.2 requires an
 * Update or a Cancel to reference the message it follows.
 */
export function latestWithPrevious<V extends { readonly alert: { readonly version: number } }>(held: readonly V[]): { latest: V; previous: V | undefined } {
  let latest: V | undefined;
  let previous: V | undefined;
  for (const v of held) {
    if (latest === undefined || v.alert.version >= latest.alert.version) {
      if (latest !== undefined && v.alert.version > latest.alert.version) previous = latest;
      latest = v;
    } else if (previous === undefined || v.alert.version >= previous.alert.version) {
      previous = v;
    }
  }
  if (latest === undefined) throw new Error('latestWithPrevious needs at least one version');
  return { latest, previous };
}

export function alertToCap(c: CapExport): string {
  const a = c.alert;
  const sender = capId(c.sender);
  const restricted = a.tlp !== 'CLEAR';
  const redacted = (c.redactedFields ?? []).length > 0;
  const body = [
    element('identifier', capId(c.identifier)),
    element('sender', sender),
    element('sent', capTime(c.sent)),
    element('status', 'Actual'),
    element('msgType', MSG_TYPE[a.status]),
    element('source', `Vigie alert ${a.alertId} version ${a.version}`),
    element('scope', c.addressee ? 'Private' : restricted ? 'Restricted' : 'Public'),
    ...(!c.addressee && restricted ? [element('restriction', `${TLP_MARKING[a.tlp]}: share only as TLP 2.0 and the Vigie sharing policy allow`)] : []),
    ...(c.addressee ? [element('addresses', capId(c.addressee))] : []),
    element('code', TLP_MARKING[a.tlp]),
    ...(redacted ? [element('note', `Details withheld under the sharing policy: ${(c.redactedFields ?? []).join(', ')}`)] : []),
    ...(c.previous ? [element('references', `${sender},${capId(c.previous.identifier)},${capTime(c.previous.sent)}`)] : []),
    info(c, 'fr'),
    info(c, 'en'),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">${body.join('')}</alert>\n`;
}
