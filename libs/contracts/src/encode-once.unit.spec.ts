import { describe, expect, it } from 'vitest';
import { createCodecs } from './codecs';
import { encodeOncePerValue } from './encode-once';
import type { ControlRecord } from './control-record';

describe('encodeOncePerValue', () => {
  const codecs = createCodecs();
  const record = (changedAt: number): ControlRecord => ({ kind: 'silence', key: 'silence:s1', action: 'DELETE', changedAt, changedBy: 'ops', reason: null, subscription: null, agency: null, policy: null, silence: null, acknowledgement: null }) as unknown as ControlRecord;

  it('encodes each value object once, to the bytes the codec writes, and decodes as the codec does', () => {
    let encodes = 0;
    const counted = { encode: (v: ControlRecord) => (encodes++, codecs.controlRecord.encode(v)), decode: (m: Buffer) => codecs.controlRecord.decode(m) };
    const once = encodeOncePerValue(counted);
    const a = record(1);
    const bytes = once.encode(a);
    expect(once.encode(a)).toBe(bytes);
    expect(encodes).toBe(1);
    expect(bytes).toEqual(codecs.controlRecord.encode(a));
    expect(once.decode(bytes)).toEqual(codecs.controlRecord.decode(bytes));
    // An equal but distinct object is another value.
    expect(once.encode(record(1))).toEqual(bytes);
    expect(encodes).toBe(2);
  });
});
