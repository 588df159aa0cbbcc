import type { AlertDelivery } from '@vigie/contracts';

const iso = (millis: number): string => new Date(millis).toISOString().replace('.000Z', 'Z');

/** A delivered alert as a short block an analyst can read in a terminal. */
export function renderDelivery(delivery: AlertDelivery, lang: 'fr' | 'en'): string {
  const a = delivery.alert;
  const counts = Object.entries(a.countsByCategory).map(([category, n]) => `${category}=${n}`).join(' ');
  const lines = [
    `[${a.level}] ${a.status} ${a.zone.name} (${a.zone.kind} ${a.zone.id}) — alert ${a.alertId} v${a.version}${a.previousLevel ? `, was ${a.previousLevel}` : ''}`,
    `  ${lang === 'fr' ? a.summary.fr : a.summary.en}`,
    `  rule ${a.rule.id} (${a.rule.kind}), window ${iso(a.window.startAt)} → ${iso(a.window.endAt)}, score ${a.score}`,
  ];
  if (delivery.redacted) {
    lines.push(`  details withheld by the sharing policy: ${delivery.redactedFields.join(', ')}`);
  } else {
    lines.push(`  countries ${a.distinctSourceCountries.join(', ') || '-'}; ${counts || 'no counts'}; TLP:${a.tlp}`);
    lines.push(`  events ${a.contributingEventIds.join(', ')}`);
  }
  lines.push(`  delivered to ${delivery.agencyId} by subscription ${delivery.subscriptionId} at ${iso(delivery.deliveredAt)}`);
  return lines.join('\n');
}
