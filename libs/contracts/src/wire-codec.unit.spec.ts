import { describe, expect, it } from 'vitest';
import { createCodecs } from './codecs';
import { VigieError } from './errors';
import { sampleAlertDelivery, sampleControlRecords, sampleEnrichedIncident, sampleIncidentReport, sampleRegionalAlert } from './sample-messages';
import { createSchemaCatalogue, loadSchemaCatalogue } from './schema-catalogue';
import { createWireCodec, readWireSchemaId } from './wire-codec';

const catalogue = loadSchemaCatalogue();
const codecs = createCodecs(catalogue);

/** The error a call throws (fails the test if it does not throw). */
function thrown(fn: () => unknown): VigieError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VigieError);
    expect((error as VigieError).retriable).toBe(false);
    return error as VigieError;
  }
  throw new Error('expected an error');
}

const header = (schemaId: number): Buffer => {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(schemaId, 1);
  return h;
};

describe('wire codecs: round trips', () => {
  // Ids from schemas/catalogue.json, where they are fixed forever.
  const cases = [
    ['incidentReport', 1, sampleIncidentReport()],
    ['enrichedIncident', 2, sampleEnrichedIncident()],
    ['regionalAlert', 7, sampleRegionalAlert()],
    ['alertDelivery', 8, sampleAlertDelivery()],
    ...sampleControlRecords().map((record) => ['controlRecord', 6, record] as const),
  ] as const;

  it.each(cases)('%s decodes to the value it encoded, framed with schema id %i', (name, schemaId, value) => {
    const codec = codecs[name] as { encode(v: unknown): Buffer; decode(b: Buffer): unknown; schemaId: number };
    const message = codec.encode(value);
    expect(message[0]).toBe(0);
    expect(message.readUInt32BE(1)).toBe(schemaId);
    expect(codec.schemaId).toBe(schemaId);
    expect(codec.decode(message)).toEqual(value);
  });

  it('keeps nulls, empty arrays and empty maps', () => {
    const report = sampleIncidentReport({ commodity: null, notes: null, actors: [], releasableTo: [], relatedEventIds: [] });
    report.location = { ...report.location, placeName: null, admin1: null, admin2: null };
    expect(codecs.incidentReport.decode(codecs.incidentReport.encode(report))).toEqual(report);
    const alert = { ...sampleRegionalAlert(), previousLevel: null, countsByCategory: {} };
    expect(codecs.regionalAlert.decode(codecs.regionalAlert.encode(alert))).toEqual(alert);
  });

  it('returns independent buffers although it encodes into a reused scratch buffer', () => {
    const first = codecs.incidentReport.encode(sampleIncidentReport({ sourceEventId: 'A-1' }));
    const copy = Buffer.from(first);
    codecs.incidentReport.encode(sampleIncidentReport({ sourceEventId: 'B-2', notes: 'x'.repeat(500) }));
    expect(first.equals(copy)).toBe(true);
  });

  it('encodes messages larger than its initial scratch buffer', () => {
    const report = sampleIncidentReport({ notes: 'é'.repeat(40_000) });
    const message = codecs.incidentReport.encode(report);
    expect(message.length).toBeGreaterThan(80_000);
    expect(codecs.incidentReport.decode(message)).toEqual(report);
    // and still encodes small ones afterwards
    const small = sampleIncidentReport();
    expect(codecs.incidentReport.decode(codecs.incidentReport.encode(small))).toEqual(small);
  });

  it('reads the schema id of a framed message', () => {
    expect(readWireSchemaId(codecs.regionalAlert.encode(sampleRegionalAlert()))).toBe(7);
  });
});

describe('wire codecs: rejected messages', () => {
  const valid = codecs.incidentReport.encode(sampleIncidentReport());

  it('rejects an unknown schema id', () => {
    const message = Buffer.concat([header(999), valid.subarray(5)]);
    expect(thrown(() => codecs.incidentReport.decode(message)).code).toBe('UNKNOWN_SCHEMA_ID');
  });

  it('rejects a wrong magic byte and messages shorter than the header', () => {
    const wrongMagic = Buffer.from(valid);
    wrongMagic[0] = 1;
    expect(thrown(() => codecs.incidentReport.decode(wrongMagic)).code).toBe('WIRE_FORMAT');
    expect(thrown(() => codecs.incidentReport.decode(Buffer.from([0, 0, 0]))).code).toBe('WIRE_FORMAT');
    expect(thrown(() => codecs.incidentReport.decode(Buffer.alloc(0))).code).toBe('WIRE_FORMAT');
  });

  it('rejects JSON sent where Avro is expected', () => {
    expect(thrown(() => codecs.incidentReport.decode(Buffer.from('{"eventId":"x"}'))).code).toBe('WIRE_FORMAT');
  });

  it('rejects a message of another subject, and a shared type that is not a message', () => {
    const alert = codecs.regionalAlert.encode(sampleRegionalAlert());
    expect(thrown(() => codecs.incidentReport.decode(alert)).code).toBe('SCHEMA_INCOMPATIBLE');
    const tlpOnly = Buffer.concat([header(5), Buffer.from([0])]);
    expect(thrown(() => codecs.incidentReport.decode(tlpOnly)).code).toBe('SCHEMA_INCOMPATIBLE');
  });

  it('rejects truncated bodies, header-only messages and trailing bytes', () => {
    for (const cut of [1, 7, valid.length - 6]) {
      expect(thrown(() => codecs.incidentReport.decode(valid.subarray(0, valid.length - cut))).code).toBe('DECODE_FAILED');
    }
    expect(thrown(() => codecs.incidentReport.decode(valid.subarray(0, 5))).code).toBe('DECODE_FAILED');
    expect(thrown(() => codecs.incidentReport.decode(Buffer.concat([valid, Buffer.from([0])]))).code).toBe('DECODE_FAILED');
  });

  it('turns every single-byte corruption into a decoded value or DECODE_FAILED, nothing else', () => {
    for (let pos = 5; pos < valid.length; pos++) {
      for (const byte of [0x00, 0x7f, 0xff]) {
        const corrupt = Buffer.from(valid);
        corrupt[pos] = byte;
        try {
          codecs.incidentReport.decode(corrupt);
        } catch (error) {
          expect((error as VigieError).code, `byte ${pos} = ${byte}: ${(error as Error).message}`).toBe('DECODE_FAILED');
        }
      }
    }
  });

  it('refuses messages over the size limit, both ways', () => {
    const small = createCodecs(catalogue, { maxMessageBytes: 256 });
    expect(valid.length).toBeGreaterThan(256);
    expect(thrown(() => small.incidentReport.encode(sampleIncidentReport())).code).toBe('MESSAGE_TOO_LARGE');
    expect(thrown(() => small.incidentReport.decode(valid)).code).toBe('MESSAGE_TOO_LARGE');
    const huge = sampleIncidentReport({ notes: 'x'.repeat(1024 * 1024) });
    expect(thrown(() => codecs.incidentReport.encode(huge)).code).toBe('MESSAGE_TOO_LARGE');
  });

  it('names the invalid paths of a value it cannot encode', () => {
    const report = sampleIncidentReport({ tlp: 'PURPLE' as never });
    (report.location as { lat: unknown }).lat = '14.4';
    (report.actors[1] as { kind: unknown }).kind = 3;
    const error = thrown(() => codecs.incidentReport.encode(report));
    expect(error.code).toBe('ENCODE_FAILED');
    expect(error.details?.['paths']).toEqual(expect.arrayContaining(['location.lat', 'actors[1].kind', 'tlp']));
    expect(error.message).toContain('location.lat');
  });

  it('rejects a value with a missing required field', () => {
    const { reportedAt: _omitted, ...withoutReportedAt } = sampleIncidentReport();
    const error = thrown(() => codecs.incidentReport.encode(withoutReportedAt as never));
    expect(error.code).toBe('ENCODE_FAILED');
    expect(error.details?.['paths']).toEqual(['reportedAt']);
  });
});

describe('wire codecs: hostile bodies', () => {
  // A minimal catalogue, so the bytes of each attack can be written by hand.
  const bags = createSchemaCatalogue([
    {
      id: 7,
      subject: 'test.Bag',
      schema: {
        type: 'record',
        name: 'Bag',
        namespace: 'test',
        fields: [
          { name: 'items', type: { type: 'array', items: 'string' } },
          { name: 'nothings', type: { type: 'array', items: 'null' } },
          { name: 'colour', type: { type: 'enum', name: 'Colour', symbols: ['RED', 'BLUE'] } },
          { name: 'label', type: ['null', 'string'] },
        ],
      },
    },
  ]);
  const bag = createWireCodec<{ items: string[]; nothings: null[]; colour: string; label: string | null }>(bags, 'test.Bag');
  const frame = (...body: number[]): Buffer => Buffer.concat([header(7), Buffer.from(body)]);

  it('decodes the hand-written valid body', () => {
    // items: 1 item "a"; nothings: 2 nulls; colour BLUE (1); label branch 1 "z"
    expect(bag.decode(frame(0x02, 0x02, 0x61, 0x00, 0x04, 0x00, 0x02, 0x02, 0x02, 0x7a))).toEqual({
      items: ['a'],
      nothings: [null, null],
      colour: 'BLUE',
      label: 'z',
    });
  });

  it('rejects an array count the message cannot hold, at once and without allocating it', () => {
    const started = Date.now();
    // zig-zag varint of 2^31 - 1 items, then nothing
    expect(thrown(() => bag.decode(frame(0xfe, 0xff, 0xff, 0xff, 0x0f))).code).toBe('DECODE_FAILED');
    // a negative count (block with byte size) announcing a size beyond the message
    expect(thrown(() => bag.decode(frame(0x01, 0xfe, 0xff, 0x03))).code).toBe('DECODE_FAILED');
    // a billion zero-byte items
    expect(thrown(() => bag.decode(frame(0x00, 0x80, 0xa8, 0xd6, 0xb9, 0x07, 0x00, 0x00, 0x00))).code).toBe('DECODE_FAILED');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects string lengths past the end, bad enum and union indexes, and overlong varints', () => {
    expect(thrown(() => bag.decode(frame(0x02, 0x7e, 0x61, 0x00))).code).toBe('DECODE_FAILED');
    expect(thrown(() => bag.decode(frame(0x00, 0x00, 0x04, 0x00))).code).toBe('DECODE_FAILED');
    expect(thrown(() => bag.decode(frame(0x00, 0x00, 0x00, 0x04))).code).toBe('DECODE_FAILED');
    expect(thrown(() => bag.decode(frame(0x00, 0x00, 0x00, 0x01))).code).toBe('DECODE_FAILED');
    expect(thrown(() => bag.decode(frame(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))).code).toBe('DECODE_FAILED');
  });
});
