import { describe, expect, it } from 'vitest';
import { createCodecs } from './codecs';
import { encodeOncePerValue } from './encode-once';
import type { RegionalAlert } from './regional-alert';
import { sampleRegionalAlert } from './sample-messages';

describe('encodeOncePerValue', () => {
  const codecs = createCodecs();

  it('encodes each value object once, to the bytes the codec writes, and decodes as the codec does', () => {
    let encodes = 0;
    const counted = { encode: (v: RegionalAlert) => (encodes++, codecs.regionalAlert.encode(v)), decode: (m: Buffer) => codecs.regionalAlert.decode(m) };
    const once = encodeOncePerValue(counted);
    const alert = sampleRegionalAlert();
    const bytes = once.encode(alert);
    expect(once.encode(alert)).toBe(bytes);
    expect(encodes).toBe(1);
    expect(bytes).toEqual(codecs.regionalAlert.encode(alert));
    expect(once.decode(bytes)).toEqual(codecs.regionalAlert.decode(bytes));
    // An equal but distinct object is another value.
    expect(once.encode({ ...alert })).toEqual(bytes);
    expect(encodes).toBe(2);
  });
});
