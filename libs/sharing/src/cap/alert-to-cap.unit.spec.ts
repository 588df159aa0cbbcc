import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { redact } from '../redaction';
import { sampleRegionalAlert } from '../sample-data';
import { alertToCap, capTime } from './alert-to-cap';

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
