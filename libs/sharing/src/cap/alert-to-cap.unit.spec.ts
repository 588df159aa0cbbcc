import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { redact } from '../redaction';
import { sampleRegionalAlert } from '../sample-data';
import { alertToCap, capTime, latestWithPrevious } from './alert-to-cap';

const XSD = readFileSync(join(__dirname, 'CAP-v1.2.xsd'), 'utf8');

async function problemsOf(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'alert.xml', contents: xml }], schema: [{ fileName: 'CAP-v1.2.xsd', contents: XSD }] });
  return result.errors.map((e) => e.rawMessage);
}

const alert = sampleRegionalAlert({ summary: { fr: 'Contrebande d’or & armes <près> de Kéniéba', en: 'Gold & arms smuggling near Kéniéba' } });
const base = { identifier: `vigie:${alert.alertId}:${alert.version}`, sender: 'vigie@regional-centre', sent: alert.evaluatedAt };

describe('alertToCap', () => {
  it('produces a message valid against the CAP 1.2 schema', async () => {
    expect(await problemsOf(alertToCap({ alert, ...base }))).toEqual([]);
  });

  it.each(['FIRING', 'UPDATED', 'RESOLVED', 'RETRACTED'] as const)('is valid for a %s alert, redacted and addressed too', async (status) => {
    const { alert: withheld, redactedFields } = redact({ ...alert, status, tlp: 'RED' });
    const xml = alertToCap({ alert: withheld, ...base, sent: Date.UTC(2025, 2, 14, 10, 0, 6), redactedFields, addressee: 'sn-douanes', previous: { identifier: 'vigie:x:2', sent: alert.evaluatedAt - 1000 } });
    expect(await problemsOf(xml)).toEqual([]);
  });

  it('can fail: the schema refuses a time in Z form and an unknown severity', async () => {
    const xml = alertToCap({ alert, ...base });
    expect(await problemsOf(xml.replace(capTime(alert.evaluatedAt), new Date(alert.evaluatedAt).toISOString()))).not.toEqual([]);
    expect(await problemsOf(xml.replace('<severity>Severe</severity>', '<severity>High</severity>'))).not.toEqual([]);
  });

  it('maps the alert to CAP values', () => {
    const xml = alertToCap({ alert, ...base });
    expect(xml).toContain('<sent>2025-03-14T10:00:00-00:00</sent>');
    expect(xml).toContain('<msgType>Update</msgType><source>Vigie alert SECTION:ML-SN-003:smuggling-threshold version 3</source><scope>Restricted</scope>');
    expect(xml).toContain('<code>TLP:AMBER</code>');
    expect(xml).toContain('<language>fr</language>');
    expect(xml).toContain('<severity>Severe</severity>');
    expect(xml).toContain('<description>Contrebande d’or &amp; armes &lt;près&gt; de Kéniéba</description>');
    expect(xml).toContain('<geocode><valueName>vigie:zone</valueName><value>SECTION:ML-SN-003</value></geocode>');
    expect(xml).toContain('<parameter><valueName>vigie:count:SMUGGLING</valueName><value>2</value></parameter>');
  });

  it('exports a redacted copy without what was withheld, and says so', () => {
    const { alert: withheld, redactedFields } = redact(alert);
    const xml = alertToCap({ alert: withheld, ...base, redactedFields, addressee: 'sn-douanes' });
    expect(xml).toContain('<scope>Private</scope><addresses>sn-douanes</addresses>');
    expect(xml).toContain('<note>Details withheld under the sharing policy: ');
    expect(xml).not.toContain('KAY-2025');
    expect(xml).not.toContain('vigie:count:');
    expect(xml).not.toContain('vigie:score');
    expect(xml).not.toContain('<onset>');
  });
});

describe('latestWithPrevious', () => {
  const held = (...versions: number[]) => versions.map((version, copy) => ({ alert: { version }, copy }));

  it('references the highest version held below the latest, however many were skipped', () => {
    // An agency's filters, silences and acknowledgements leave gaps: v2, v4 and v5 never reached it.
    const { latest, previous } = latestWithPrevious(held(3, 1, 6));
    expect(latest.alert.version).toBe(6);
    expect(previous?.alert.version).toBe(3);
  });

  it('keeps the later copy of a version held twice, and references nothing when only the latest is held', () => {
    expect(latestWithPrevious(held(4, 2, 4))).toEqual({ latest: { alert: { version: 4 }, copy: 2 }, previous: { alert: { version: 2 }, copy: 1 } });
    expect(latestWithPrevious(held(7, 7))).toEqual({ latest: { alert: { version: 7 }, copy: 1 }, previous: undefined });
  });

  it('gives a Cancel its references when versions were skipped, valid against the schema', async () => {
    const versions = [1, 4].map((version) => ({ alert: { ...alert, version, status: version === 4 ? ('RETRACTED' as const) : ('FIRING' as const) }, identifier: `vigie:sn-douanes:${alert.alertId}:${version}`, sent: Date.UTC(2025, 2, version) }));
    const { latest, previous } = latestWithPrevious(versions);
    const xml = alertToCap({ ...base, alert: latest.alert, identifier: latest.identifier, sent: latest.sent, previous });
    expect(xml).toContain('<msgType>Cancel</msgType>');
    expect(xml).toContain(`<references>vigie@regional-centre,vigie:sn-douanes:${alert.alertId}:1,2025-03-01T00:00:00-00:00</references>`);
    expect(await problemsOf(xml)).toEqual([]);
  });
});
