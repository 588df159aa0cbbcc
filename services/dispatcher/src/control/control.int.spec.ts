import { randomBytes } from 'node:crypto';
import { createCodecs } from '@vigie/contracts';
import { createKafka, type StructuredLogger } from '@vigie/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitUntil } from '@vigie/runtime';
import { readAudit } from './audit-reader';
import { ControlView } from './control-view';
import { ControlWriter } from './control-writer';

const quiet: StructuredLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('control topics on a real broker', () => {
  const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'control-int-spec', ssl: false });
  const codecs = createCodecs();
  const run = randomBytes(3).toString('hex');
  const agency = { agencyId: `xx-${run}`, name: 'Test agency', country: 'GM', languages: ['en'] };
  const views: ControlView[] = [];
  let writer: ControlWriter;

  const newView = async (): Promise<ControlView> => {
    const view = new ControlView(kafka, codecs, quiet);
    views.push(view);
    await view.start();
    return view;
  };

  beforeAll(async () => {
    writer = new ControlWriter(kafka, codecs, await newView(), quiet);
    await writer.connect();
  });
  afterAll(async () => {
    await writer.remove('agency', agency.agencyId, { by: 'test', reason: 'clean-up' });
    await writer.disconnect();
    await Promise.all(views.map((v) => v.stop()));
  });

  it('applies a change in the writing view before answering, and in another view soon after', async () => {
    const [first] = views;
    const other = await newView();
    expect(await writer.put('agency', agency, { by: 'amadou', reason: 'new liaison' })).toEqual({ key: `agency:${agency.agencyId}`, applied: true });
    expect(first!.state.get('agency', agency.agencyId)).toEqual(agency);
    await waitUntil(() => other.state.get('agency', agency.agencyId) !== undefined, 'the change in the other view');
    expect(other.state.entry('agency', agency.agencyId)).toMatchObject({ changedBy: 'amadou', reason: 'new liaison' });
  });

  it('rebuilds the same state from the topics at startup, deletions included', async () => {
    await writer.put('agency', { ...agency, name: 'Renamed' }, { by: 'fatou' });
    const gone = { ...agency, agencyId: `yy-${run}` };
    await writer.put('agency', gone, { by: 'fatou' });
    expect(await writer.remove('agency', gone.agencyId, { by: 'fatou', reason: 'merged' })).toMatchObject({ applied: true });
    expect(await writer.remove('agency', gone.agencyId, { by: 'fatou' })).toBeUndefined();
    const late = await newView();
    expect(late.state.get('agency', agency.agencyId)?.name).toBe('Renamed');
    expect(late.state.get('agency', gone.agencyId)).toBeUndefined();
  });

  it('keeps every change in the audit trail, deletions with what was deleted', async () => {
    const entries = await readAudit(kafka, codecs, `agency:yy-${run}`, 10);
    expect(entries.map((e) => [e.action, e.by, e.reason])).toEqual([
      ['PUT', 'fatou', null],
      ['DELETE', 'fatou', 'merged'],
    ]);
    expect(entries[1]!.entity).toMatchObject({ agencyId: `yy-${run}`, name: 'Test agency' });
  });
});

