import { describe, expect, it } from 'vitest';
import { VigieError } from './errors';
import { createSchemaCatalogue } from './schema-catalogue';
import { createWireCodec } from './wire-codec';

interface Kit {
  names: string[];
  weight: number;
  count: number;
  label: string | null;
}

const KIT_V1 = {
  type: 'record',
  name: 'Kit',
  namespace: 'test',
  fields: [
    { name: 'names', type: { type: 'array', items: 'string' } },
    { name: 'weight', type: 'double' },
    { name: 'count', type: 'long' },
    { name: 'label', type: ['null', 'string'] },
  ],
};
const catalogue = createSchemaCatalogue([
  { id: 1, subject: 'test.Kit', schema: KIT_V1 },
  { id: 2, subject: 'test.Tags', schema: { type: 'record', name: 'Tags', namespace: 'test', fields: [{ name: 'tags', type: { type: 'map', values: 'string' } }] } },
  { id: 3, subject: 'test.Kit', schema: { ...KIT_V1, fields: [...KIT_V1.fields, { name: 'colour', type: 'string', default: 'grey' }] } },
  {
    id: 4,
    subject: 'test.Box',
    references: [1],
    schema: { type: 'record', name: 'Box', namespace: 'test', fields: [{ name: 'kit', type: 'test.Kit' }, { name: 'note', type: 'string' }] },
  },
  {
    id: 5,
    subject: 'test.Crate',
    references: [1],
    schema: { type: 'record', name: 'Crate', namespace: 'test', fields: [{ name: 'tag', type: 'string' }, { name: 'kit', type: 'test.Kit' }, { name: 'note', type: 'string' }] },
  },
  {
    id: 6,
    subject: 'test.Bag',
    references: [1],
    schema: { type: 'record', name: 'Bag', namespace: 'test', fields: [{ name: 'note', type: 'string' }, { name: 'kit', type: 'test.Kit' }] },
  },
]);
const kits = createWireCodec<Kit>(catalogue, 'test.Kit', { readerSchemaId: 1 });
const kitsV2 = createWireCodec<Kit & { colour: string }>(catalogue, 'test.Kit');
const tags = createWireCodec<{ tags: Record<string, string> }>(catalogue, 'test.Tags');
const boxes = createWireCodec<{ kit: Kit; note: string }>(catalogue, 'test.Box');
type Crate = { tag: string; kit: Kit; note: string };
const crates = createWireCodec<Crate>(catalogue, 'test.Crate');
const bags = createWireCodec<{ note: string; kit: Kit }>(catalogue, 'test.Bag');

const header = (schemaId: number): Buffer => {
  const h = Buffer.alloc(5);
  h.writeUInt32BE(schemaId, 1);
  return h;
};
const frame = (schemaId: number, ...parts: (number[] | Buffer)[]): Buffer => Buffer.concat([header(schemaId), ...parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p)))]);
const double = (x: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return b;
};
const thrownCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as VigieError).code;
  }
  return undefined;
};

describe('wire codecs: canonical messages', () => {
  const kit: Kit = { names: ['a', 'é'], weight: 1.5, count: 3, label: 'z' };

  it('calls what encode wrote canonical, non-ASCII text included', () => {
    const message = kits.encode(kit);
    // Written by hand, the bytes encode is expected to give: one array block, shortest varints.
    expect(message).toEqual(frame(1, [0x04, 0x02, 0x61, 0x04, 0xc3, 0xa9, 0x00], double(1.5), [0x06, 0x02, 0x02, 0x7a]));
    expect(kits.decodeMessage(message)).toEqual({ value: kit, canonical: true });
  });

  // Each decodes to a value whose encoding is other bytes: forwarding them as if encoded would change the message.
  const forms: [string, Buffer, Kit][] = [
    ['a padded varint', frame(1, [0x00], double(1.5), [0x86, 0x00, 0x00]), { names: [], weight: 1.5, count: 3, label: null }],
    ['an array in two blocks', frame(1, [0x02, 0x02, 0x61, 0x02, 0x02, 0x62, 0x00], double(0), [0x00, 0x00]), { names: ['a', 'b'], weight: 0, count: 0, label: null }],
    ['an array block with its byte size', frame(1, [0x01, 0x04, 0x02, 0x61, 0x00], double(0), [0x00, 0x00]), { names: ['a'], weight: 0, count: 0, label: null }],
    ['invalid UTF-8', frame(1, [0x00], double(0), [0x00, 0x02, 0x02, 0xff]), { names: [], weight: 0, count: 0, label: '\ufffd' }],
  ];
  it.each(forms)('does not call %s canonical', (_, message, expected) => {
    const decoded = kits.decodeMessage(message);
    expect(decoded).toEqual({ value: expected, canonical: false });
    expect(kits.encode(decoded.value).equals(message)).toBe(false);
  });

  it('does not call a NaN canonical (whether its payload survives decoding is up to the engine)', () => {
    const nan = Buffer.from([0x01, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    const decoded = kits.decodeMessage(frame(1, [0x00], nan, [0x00, 0x00]));
    expect(Number.isNaN(decoded.value.weight)).toBe(true);
    expect(decoded.canonical).toBe(false);
  });

  it('calls a map canonical when decoding into an object keeps its keys in order', () => {
    const message = tags.encode({ tags: { k: 'a', j: 'b', '4294967295': 'c', '01': 'd', 'é': 'e' } });
    expect(tags.decodeMessage(message).canonical).toBe(true);
    expect(tags.decodeMessage(tags.encode({ tags: {} })).canonical).toBe(true);
  });

  // A key as avsc writes it: its length then its UTF-8 bytes.
  const key = (text: string): number[] => [Buffer.byteLength(text) * 2, ...Buffer.from(text)];
  const maps: [string, number[], Record<string, string>][] = [
    ['duplicate keys (decoding keeps the last)', [0x04, ...key('k'), 0x02, 0x61, ...key('k'), 0x02, 0x62, 0x00], { k: 'b' }],
    ['an integer-like key after another (an object lists it first)', [0x04, ...key('k'), 0x02, 0x61, ...key('7'), 0x02, 0x62, 0x00], { '7': 'b', k: 'a' }],
    ['a map in two blocks', [0x02, ...key('k'), 0x02, 0x61, 0x02, ...key('j'), 0x02, 0x62, 0x00], { k: 'a', j: 'b' }],
  ];
  it.each(maps)('does not call a map with %s canonical', (_, body, expected) => {
    const message = frame(2, body);
    expect(tags.decodeMessage(message)).toEqual({ value: { tags: expected }, canonical: false });
    expect(tags.encode({ tags: expected }).equals(message)).toBe(false);
  });

  it('does not call a map with a __proto__ key canonical (assigning it sets the prototype)', () => {
    expect(tags.decodeMessage(frame(2, [0x02, ...key('__proto__'), 0x02, 0x61, 0x00])).canonical).toBe(false);
  });

  it('does not call a message of another writer schema canonical', () => {
    expect(kitsV2.decodeMessage(kits.encode(kit))).toEqual({ value: { ...kit, colour: 'grey' }, canonical: false });
    expect(kitsV2.decodeMessage(kitsV2.encode({ ...kit, colour: 'red' })).canonical).toBe(true);
  });

  it('still rejects what decode rejects', () => {
    const message = kits.encode(kit);
    expect(thrownCode(() => kits.decodeMessage(message.subarray(0, message.length - 1)))).toBe('DECODE_FAILED');
    expect(thrownCode(() => kits.decodeMessage(Buffer.concat([message, Buffer.from([0])])))).toBe('DECODE_FAILED');
  });
});

describe('wire codecs: projections', () => {
  const kit: Kit = { names: ['a', 'b'], weight: 2.25, count: -7, label: null };

  it('reads only the fields asked for, from the reader or an older writer schema', () => {
    expect(kits.projection(['count', 'label']).decode(kits.encode(kit))).toEqual({ value: { count: -7, label: null }, canonical: true });
    expect(kits.projection(['names', 'count']).decode(kits.encode({ ...kit, label: 'l' }))).toEqual({ value: { names: ['a', 'b'], count: -7 }, canonical: true });
    expect(kitsV2.projection(['weight', 'colour']).decode(kits.encode(kit))).toEqual({ value: { weight: 2.25, colour: 'grey' }, canonical: false });
  });

  it('checks the whole message as decode does', () => {
    const projection = kits.projection(['names']);
    const message = kits.encode(kit);
    expect(thrownCode(() => projection.decode(message.subarray(0, message.length - 1)))).toBe('DECODE_FAILED');
    expect(thrownCode(() => projection.decode(frame(1, [0xfe, 0xff, 0xff, 0xff, 0x0f])))).toBe('DECODE_FAILED');
    expect(thrownCode(() => projection.decode(tags.encode({ tags: {} })))).toBe('SCHEMA_INCOMPATIBLE');
    expect(projection.decode(frame(1, [0x00], double(0), [0x86, 0x00, 0x00])).canonical).toBe(false);
  });

  it('refuses a field the schema does not have', () => {
    expect(thrownCode(() => kits.projection(['colour' as keyof Kit]))).toBe('UNKNOWN_FIELD');
  });
});

describe('wire codecs: selections', () => {
  const kit: Kit = { names: ['a', 'b'], weight: 2.25, count: -7, label: 'l' };

  it('reads the fields selected at any depth, and only those', () => {
    const box = boxes.encode({ kit, note: 'n' });
    expect(boxes.select({ kit: { count: true, label: true }, note: true }).decode(box)).toEqual({ kit: { count: -7, label: 'l' }, note: 'n' });
    expect(boxes.select({ kit: { names: true } }).decode(box)).toEqual({ kit: { names: ['a', 'b'] } });
    expect(boxes.select({ note: true, kit: true }).decode(box)).toEqual({ kit, note: 'n' });
  });

  it('reads another writer schema, with the defaults of fields it lacks', () => {
    expect(kitsV2.select({ weight: true, colour: true }).decode(kits.encode(kit))).toEqual({ weight: 2.25, colour: 'grey' });
  });

  it('checks the whole message as decode does', () => {
    const selection = boxes.select({ kit: { names: true } });
    const box = boxes.encode({ kit, note: 'n' });
    expect(thrownCode(() => selection.decode(box.subarray(0, box.length - 1)))).toBe('DECODE_FAILED');
    expect(thrownCode(() => selection.decode(Buffer.concat([box, Buffer.from([0])])))).toBe('DECODE_FAILED');
  });

  it('refuses fields the schema does not have, and a selection inside what is not a record', () => {
    expect(thrownCode(() => boxes.select({ kit: { colour: true } }))).toBe('UNKNOWN_FIELD');
    expect(thrownCode(() => boxes.select({ note: { length: true } }))).toBe('UNKNOWN_FIELD');
  });
});

describe('wire codecs: encoders with an encoded field', () => {
  const kit: Kit = { names: ['x'], weight: -0.5, count: 1_000_000_000_000, label: 'ok' };

  it('writes around an encoded field, first, in the middle or last, exactly what encode writes', () => {
    const withKit = boxes.withEncodedField('kit', kits.schemaId);
    expect(withKit).toBeDefined();
    const box = withKit!(kits.encode(kit), { note: 'n' });
    expect(box).toEqual(boxes.encode({ kit, note: 'n' }));
    expect(boxes.decode(box)).toEqual({ kit, note: 'n' });

    const crate = crates.withEncodedField('kit', kits.schemaId)!(kits.encode(kit), { tag: 't', note: 'n' });
    expect(crate).toEqual(crates.encode({ tag: 't', kit, note: 'n' }));
    expect(crates.decode(crate)).toEqual({ tag: 't', kit, note: 'n' });

    const bag = bags.withEncodedField('kit', kits.schemaId)!(kits.encode(kit), { note: 'n' });
    expect(bag).toEqual(bags.encode({ note: 'n', kit }));
  });

  it('keeps the fields before the encoded one when the fields after it outgrow the scratch buffer', () => {
    const fresh = createWireCodec<Crate>(catalogue, 'test.Crate');
    const value: Crate = { tag: 'before', kit, note: 'n'.repeat(40_000) };
    expect(fresh.withEncodedField('kit', kits.schemaId)!(kits.encode(kit), { tag: value.tag, note: value.note })).toEqual(crates.encode(value));
  });

  it('exists only for a field of exactly that schema', () => {
    expect(boxes.withEncodedField('note', kits.schemaId)).toBeUndefined();
    expect(boxes.withEncodedField('kit', kitsV2.schemaId)).toBeUndefined();
    expect(boxes.withEncodedField('kit', tags.schemaId)).toBeUndefined();
  });

  it('refuses a field written with another schema, and values the rest of the schema refuses', () => {
    const withKit = crates.withEncodedField('kit', kits.schemaId)!;
    expect(thrownCode(() => withKit(kitsV2.encode({ ...kit, colour: 'red' }), { tag: 't', note: 'n' }))).toBe('WIRE_FORMAT');
    expect(thrownCode(() => withKit(kits.encode(kit), { tag: 't', note: 5 as unknown as string }))).toBe('ENCODE_FAILED');
    expect(thrownCode(() => withKit(kits.encode(kit), { tag: 5 as unknown as string, note: 'n' }))).toBe('ENCODE_FAILED');
  });

  it('refuses a result larger than the size limit', () => {
    const small = createWireCodec<{ kit: Kit; note: string }>(catalogue, 'test.Box', { maxMessageBytes: 64 });
    const withKit = small.withEncodedField('kit', kits.schemaId)!;
    expect(thrownCode(() => withKit(kits.encode(kit), { note: 'n'.repeat(40) }))).toBe('MESSAGE_TOO_LARGE');
  });
});
