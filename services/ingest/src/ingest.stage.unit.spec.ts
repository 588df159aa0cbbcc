import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedRegistry, HEADERS, TOPICS, createCodecs, parseIncidentJson, type IncidentReport } from '@vigie/contracts';
import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import type { ClaimAnswer, DedupClaim } from '@vigie/state';
import { IngestStage } from './ingest.stage';

const NOW = Date.parse('2025-03-15T00:00:00Z');
const codecs = createCodecs();
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../schemas/incident-report/fixtures/valid.json'), 'utf8')) as Record<string, unknown>;
const feeds = FeedRegistry.fromJson({
  feeds: [
    { feedId: 'ml-douanes', country: 'ML', agency: 'Douanes maliennes' },
    { feedId: 'sn-police', country: 'SN', agency: 'Police sénégalaise' },
  ],
});

/** Same semantics as ReportDedupStore: first claimant position wins, a replay of it is fresh again. */
class MemoryClaims {
  readonly owners = new Map<string, { position: string; content: string }>();
  async claim(claims: readonly DedupClaim[]): Promise<ClaimAnswer[]> {
    return claims.map((c) => {
      const owner = this.owners.get(c.identity);
      if (owner === undefined) this.owners.set(c.identity, { position: c.position, content: c.content });
      if (owner === undefined || owner.position === c.position) return 'granted';
      return owner.content === c.content ? 'duplicate' : 'conflict';
    });
  }
}

/** A report as a feed would encode it; `clock` is the feed's (possibly wrong) idea of now. */
const report = (overrides: Record<string, unknown> = {}, clock = NOW): IncidentReport => {
  const parsed = parseIncidentJson({ ...fixture, ...overrides }, { now: clock });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.report;
};

let offset = 0;
const message = (value: Buffer, topic = 'feeds.ml.incidents'): InboundMessage => ({
  topic, partition: 0, offset: String(offset++), key: null, value, headers: {}, timestamp: NOW,
});

const stage = (claims = new MemoryClaims()) => new IngestStage(codecs, feeds, claims, () => NOW);
const deadLetterCode = (o: MessageOutcome | undefined) => (o?.kind === 'dead-letter' ? o.failure.code : undefined);

describe('IngestStage', () => {
  it('forwards a valid Avro report to incidents.validated, keyed by event id, with the ingestion time', async () => {
    const [outcome] = await stage().handleBatch([message(codecs.incidentReport.encode(report()))]);
    expect(outcome).toMatchObject({ kind: 'emit', disposition: 'processed' });
    const [out] = (outcome as Extract<MessageOutcome, { kind: 'emit' }>).messages;
    expect(out).toMatchObject({ topic: TOPICS.validated, key: 'ml-douanes:DGD-KYS-2025-000417', headers: { [HEADERS.ingestedAt]: String(NOW) } });
    expect(codecs.incidentReport.decode(out!.value)).toEqual(report());
  });

  it('accepts the JSON form with the same checks', async () => {
    const [ok, bad] = await stage().handleBatch([
      message(Buffer.from(JSON.stringify(fixture))),
      message(Buffer.from(JSON.stringify({ ...fixture, location: { lat: 95, lon: 0, geoPrecision: 1 } }))),
    ]);
    expect(ok).toMatchObject({ kind: 'emit', disposition: 'processed' });
    expect(bad).toMatchObject({ kind: 'dead-letter', failure: { code: 'INVALID_REPORT' } });
    expect((bad as Extract<MessageOutcome, { kind: 'dead-letter' }>).failure.message).toContain('location.lat');
  });

  it('reads the JSON form after a UTF-8 byte order mark or whitespace, as JSON writers may put them first', async () => {
    const json = Buffer.from(JSON.stringify(fixture));
    const outcomes = await stage().handleBatch([
      message(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json])),
      message(Buffer.concat([Buffer.from(' \r\n\t'), json])),
      message(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n'), json])),
    ]);
    expect(outcomes.map((o) => o.kind === 'emit' && o.disposition)).toEqual(['processed', 'deduplicated', 'deduplicated']);
  });

  it('refuses a JSON array with a reason that says one report per message, not as a malformed Avro message', async () => {
    const [outcome] = await stage().handleBatch([message(Buffer.from(`\n${JSON.stringify([fixture])}`))]);
    expect(outcome).toMatchObject({ kind: 'dead-letter', failure: { code: 'INVALID_JSON', message: expect.stringContaining('one report per message') } });
  });

  it('keeps the reason short however many issues a message has', async () => {
    const unknownFields = Object.fromEntries(Array.from({ length: 110_000 }, (_, i) => [`k${i}`, 0]));
    const [outcome] = await stage().handleBatch([message(Buffer.from(JSON.stringify(unknownFields)))]);
    const reason = outcome?.kind === 'dead-letter' ? outcome.failure.message : '';
    expect(reason).toMatch(/^k0: unknown field k0; .*; and \d+ more issues$/);
    expect(reason.length).toBeLessThan(10_000);
  });

  it('forwards a canonical Avro message as it came, and publishes any other form of the report as encode writes it', async () => {
    const canonical = codecs.incidentReport.encode(report());
    // The same report with its first length (eventId's) as a padded two-byte varint: valid Avro, not what encode writes.
    const padded = Buffer.concat([canonical.subarray(0, 5), Buffer.from([canonical[5]! | 0x80, 0]), canonical.subarray(6)]);
    expect(codecs.incidentReport.decode(padded)).toEqual(report());
    // Each on its own stage: the three are one report, and copies after the first would be deduplicated.
    const published = async (value: Buffer) => {
      const [outcome] = await stage().handleBatch([message(value)]);
      return outcome?.kind === 'emit' ? outcome.messages[0]?.value : undefined;
    };
    const values = [await published(canonical), await published(padded), await published(Buffer.from(JSON.stringify(fixture)))];
    expect(values[0]).toBe(canonical);
    expect(values[1]).toEqual(canonical);
    expect(values[2]).toEqual(canonical);
  });

  it('checks a canonical message as any other: invalid or unauthorised reports are still refused', async () => {
    const outcomes = await stage().handleBatch([
      message(codecs.incidentReport.encode({ ...report(), location: { ...report().location, lat: 95 } })),
      message(codecs.incidentReport.encode({ ...report(), eventId: 'ml-douanes:OTHER' })),
      message(codecs.incidentReport.encode(report()), 'feeds.sn.incidents'),
    ]);
    expect(outcomes.map(deadLetterCode)).toEqual(['INVALID_REPORT', 'INVALID_REPORT', 'FEED_NOT_AUTHORISED']);
  });

  it('dead-letters what it cannot accept, each with its reason, without stopping the batch', async () => {
    const outcomes = await stage().handleBatch([
      message(Buffer.from('{"not": json')),
      message(Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2, 3])),
      message(Buffer.alloc(0)),
      message(codecs.incidentReport.encode(report({ reportedAt: '2030-01-01T00:00:00Z' }, Date.parse('2030-01-02T00:00:00Z')))),
      message(codecs.incidentReport.encode(report()), 'feeds.sn.incidents'),
      message(codecs.incidentReport.encode(report({ feedId: 'ml-unknown', reportingAgency: 'ml-unknown' }))),
      // A feed speaking for an agency it does not carry: alerts would name that agency as originator.
      message(codecs.incidentReport.encode(report({ reportingAgency: 'ml-gendarmerie' }))),
      message(codecs.incidentReport.encode(report())),
    ]);
    expect(outcomes.map(deadLetterCode)).toEqual(['INVALID_JSON', 'UNKNOWN_SCHEMA_ID', 'EMPTY_MESSAGE', 'INVALID_REPORT', 'FEED_NOT_AUTHORISED', 'FEED_NOT_AUTHORISED', 'FEED_NOT_AUTHORISED', undefined]);
  });

  it('drops a republished copy but processes a replay of the same source position again', async () => {
    const claims = new MemoryClaims();
    const first = message(codecs.incidentReport.encode(report()));
    const republished = message(codecs.incidentReport.encode(report()));
    const revised = message(codecs.incidentReport.encode(report({ revision: 2, status: 'REVISED' })));
    expect((await stage(claims).handleBatch([first, republished, revised])).map((o) => o.kind === 'emit' && o.disposition)).toEqual([
      'processed',
      'deduplicated',
      'processed',
    ]);
    // After a crash the consumer re-reads from its committed offset: the same position is processed again.
    expect((await stage(claims).handleBatch([first])).map((o) => o.kind === 'emit' && o.disposition)).toEqual(['processed']);
  });

  it('refuses a report that says something else under a revision already accepted, and takes a copy sent again later, or written otherwise, as a duplicate', async () => {
    const claims = new MemoryClaims();
    const base = { ...report(), releasableTo: ['ml-police', 'sn-police'], location: { ...report().location, lon: 0 } };
    const first = message(codecs.incidentReport.encode(base));
    const sentAgainLater = message(codecs.incidentReport.encode({ ...base, reportedAt: base.reportedAt + 60_000 }));
    // Its releasability listed in another order and once twice, a coordinate written -0.
    const rewritten = message(codecs.incidentReport.encode({ ...base, releasableTo: ['sn-police', 'ml-police', 'sn-police'], location: { ...base.location, lon: -0 } }));
    const corrected = message(codecs.incidentReport.encode({ ...base, notes: 'another account of it' }));
    const [processed, again, otherwise, conflict] = await stage(claims).handleBatch([first, sentAgainLater, rewritten, corrected]);
    expect(processed).toMatchObject({ kind: 'emit', disposition: 'processed' });
    expect(again).toMatchObject({ kind: 'emit', disposition: 'deduplicated' });
    expect(otherwise).toMatchObject({ kind: 'emit', disposition: 'deduplicated' });
    expect(conflict).toMatchObject({ kind: 'dead-letter', failure: { code: 'REVISION_CONFLICT', message: expect.stringContaining('send a correction as revision 2') } });
  });
});
