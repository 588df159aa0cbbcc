import { Type } from 'avsc';
import { describe, expect, it } from 'vitest';
import { createPrng } from '@vigie/runtime';

// patches/avsc+5.7.9.patch (applied by `npm ci`'s postinstall) writes short ASCII strings without
// asking their UTF-8 length first. The bytes must stay those of the Avro specification: they are
// fingerprinted, checked for canonical form and compared across versions.

/** Avro's string: the zigzag varint of the UTF-8 length, then the UTF-8 bytes. */
function specified(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const length: number[] = [];
  for (let n = bytes.length * 2; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      length.push(n);
      break;
    }
    length.push((n % 128) | 0x80);
  }
  return Buffer.concat([Buffer.from(length), bytes]);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tap } = require('avsc/lib/utils') as { Tap: { prototype: { writeString: (s: string) => void } } };

const ALPHABETS = ['abcXYZ019-:_|. ', 'éàç–—≥', '😀𝄞']; // ASCII; two- and three-byte; surrogate pairs

function randomStrings(count: number): string[] {
  const random = createPrng(20261207);
  const pick = (max: number): number => random.int(0, max - 1);
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = pick(140);
    const mixed = pick(3) === 0;
    let s = '';
    while (s.length < length) {
      const alphabet = ALPHABETS[mixed && pick(8) === 0 ? 1 + pick(2) : 0] as string;
      s += [...alphabet][pick([...alphabet].length)];
    }
    strings.push(s);
  }
  return strings;
}

describe('avsc string writing (patched)', () => {
  const string = Type.forSchema('string');
  const record = Type.forSchema({ type: 'record', name: 'Pair', fields: [{ name: 'a', type: 'string' }, { name: 'b', type: 'string' }] });

  it('is installed', () => {
    // The bytes are the same either way: only this tells that `npm ci` applied the patch.
    expect(String(Tap.prototype.writeString)).toContain('Vigie: a string of fewer than 64 ASCII characters');
  });

  it('writes every string as the Avro specification does, either side of the 64-character fast path', () => {
    const edges = ['', 'a', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(65), `${'x'.repeat(62)}é`, `é${'x'.repeat(62)}`, `${'x'.repeat(63)}é`, '\u007f', '\u0080'];
    for (const s of [...edges, ...randomStrings(5_000)]) {
      expect(string.toBuffer(s).equals(specified(s)), JSON.stringify(s)).toBe(true);
      expect(string.fromBuffer(string.toBuffer(s))).toBe(s);
    }
  });

  it('writes strings in sequence and reports a buffer too small, as the unpatched writer does', () => {
    const strings = randomStrings(500);
    for (let i = 0; i + 1 < strings.length; i += 2) {
      const value = { a: strings[i] as string, b: strings[i + 1] as string };
      const expected = Buffer.concat([specified(value.a), specified(value.b)]);
      expect(record.toBuffer(value).equals(expected)).toBe(true);
      // Into a buffer one byte short, at an offset: avsc says how much is missing; then into one large enough.
      const target = Buffer.alloc(expected.length + 2);
      expect(record.encode(value, target.subarray(0, expected.length + 1), 2)).toBe(-1);
      expect(record.encode(value, target, 2)).toBe(expected.length + 2);
      expect(target.subarray(2).equals(expected)).toBe(true);
    }
  });
});
