import { isUtf8 } from 'node:buffer';
import { Type } from 'avsc';

/**
 * A bounds-checked walk over an Avro binary body, run before avsc decodes it. avsc trusts the
 * block counts it reads: a corrupt or hostile 6-byte message announcing 2^31 array items makes it
 * allocate until the process dies. The walk reads only lengths, counts and indexes, and refuses
 * any count the remaining bytes cannot hold, so avsc only ever sees well-formed bodies.
 */

/** Returns the position just after the body that starts at `pos`; throws AvroBodyError if malformed. */
export interface AvroBodyCheck {
  /** With `canonical`, also finds out whether the body is canonical (it then reads string bytes too). */
  (buf: Buffer, pos: number, canonical?: boolean): number;
  /**
   * Whether the last body checked is in the canonical form avsc writes: shortest varints, each
   * array or map in one block, valid UTF-8 strings, no NaN, map keys that a JavaScript object keeps
   * as they came (distinct, none integer-like, no __proto__). Decoding such a body with its own
   * schema and encoding the value gives the same bytes.
   */
  canonical(): boolean;
}

export class AvroBodyError extends Error {}

/** Items that occupy no bytes (null, empty records) cannot be bounded by size; cap their count instead. */
const MAX_ZERO_SIZE_ITEMS = 65_536;

const EMPTY = Buffer.alloc(0);

interface Cursor {
  buf: Buffer;
  pos: number;
  /** Cleared by the first byte sequence avsc would not write back as it is. */
  canonical: boolean;
  /** Whether the caller asked about canonical form: only then are string bytes read. */
  tracking: boolean;
}
type Step = (c: Cursor) => void;

/** Compiles the check for a (writer) type once; the result is reused for every message. */
export function compileAvroBodyCheck(type: Type): AvroBodyCheck {
  const step = stepFor(type, new Map());
  // One cursor per check, reused: decoding is synchronous, and this keeps the hot path allocation-free.
  const cursor: Cursor = { buf: EMPTY, pos: 0, canonical: true, tracking: false };
  const check = (buf: Buffer, pos: number, canonical = false): number => {
    cursor.buf = buf;
    cursor.pos = pos;
    cursor.canonical = canonical;
    cursor.tracking = canonical;
    try {
      step(cursor);
      return cursor.pos;
    } finally {
      cursor.buf = EMPTY; // do not keep the last message alive
    }
  };
  return Object.assign(check, { canonical: () => cursor.canonical });
}

/** Zig-zag varint of at most 10 bytes. Beyond 2^53 the value is approximate, which only ever fails a bound. */
function readLong(c: Cursor): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.buf.length) throw new AvroBodyError(`truncated: varint runs past byte ${c.buf.length}`);
    const byte = c.buf[c.pos++]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      if (byte === 0 && i > 0) c.canonical = false; // a padded varint: avsc writes the shortest form
      return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    }
    scale *= 128;
  }
  throw new AvroBodyError(`varint longer than 10 bytes at byte ${c.pos}`);
}

function skip(c: Cursor, bytes: number, what: string): void {
  if (bytes < 0 || c.pos + bytes > c.buf.length) throw new AvroBodyError(`truncated: ${what} of ${bytes} bytes at byte ${c.pos}, only ${c.buf.length - c.pos} left`);
  c.pos += bytes;
}

function readIndex(c: Cursor, count: number, what: string): number {
  const index = readLong(c);
  if (index < 0 || index >= count) throw new AvroBodyError(`${what} index ${index} out of range 0..${count - 1}`);
  return index;
}

interface AvscType {
  readonly typeName: string;
  readonly fields?: readonly { readonly type: Type }[];
  readonly itemsType?: Type;
  readonly valuesType?: Type;
  readonly types?: readonly Type[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: Type;
}

function stepFor(type: Type, memo: Map<Type, Step>): Step {
  const known = memo.get(type);
  if (known) return known;
  // Registered before compiling children, so recursive types terminate.
  const cell: { step?: Step } = {};
  memo.set(type, (c) => cell.step!(c));
  const compiled = (cell.step = compileStep(type as unknown as AvscType, memo));
  memo.set(type, compiled);
  return compiled;
}

function compileStep(t: AvscType, memo: Map<Type, Step>): Step {
  if (t.underlyingType) return stepFor(t.underlyingType, memo);
  const kind = t.typeName.startsWith('union') ? 'union' : t.typeName;
  switch (kind) {
    case 'null':
      return () => undefined;
    case 'boolean': // one raw byte, 0 or 1 (not a varint)
      return (c) => {
        skip(c, 1, 'boolean');
        if (c.buf[c.pos - 1]! > 1) throw new AvroBodyError(`boolean byte ${c.buf[c.pos - 1]} at byte ${c.pos - 1}`);
      };
    case 'int':
      return (c) => {
        const n = readLong(c);
        if (n < -(2 ** 31) || n >= 2 ** 31) throw new AvroBodyError(`int ${n} out of 32-bit range`);
      };
    case 'long':
      return (c) => void readLong(c);
    case 'float':
      return (c) => {
        skip(c, 4, 'float');
        if (Number.isNaN(c.buf.readFloatLE(c.pos - 4))) c.canonical = false; // NaN payloads are not kept
      };
    case 'double':
      return (c) => {
        skip(c, 8, 'double');
        if (Number.isNaN(c.buf.readDoubleLE(c.pos - 8))) c.canonical = false;
      };
    case 'bytes':
      return (c) => skip(c, readLong(c), kind);
    case 'string':
      return (c) => {
        const length = readLong(c);
        const start = c.pos;
        skip(c, length, kind);
        if (c.tracking && c.canonical && !isUtf8Text(c.buf, start, c.pos)) c.canonical = false;
      };
    case 'fixed':
      return (c) => skip(c, t.size!, 'fixed');
    case 'enum':
      return (c) => void readIndex(c, t.symbols!.length, 'enum');
    case 'union': {
      const branches = t.types!.map((branch) => stepFor(branch, memo));
      return (c) => branches[readIndex(c, branches.length, 'union')]!(c);
    }
    case 'record':
    case 'error': {
      const fields = t.fields!.map((field) => stepFor(field.type, memo));
      return (c) => {
        for (const field of fields) field(c);
      };
    }
    case 'array': {
      const item = stepFor(t.itemsType!, memo);
      return blocks(minBytes(t.itemsType!, new Set()), item);
    }
    case 'map': {
      const value = stepFor(t.valuesType!, memo);
      const entryMinBytes = 1 + minBytes(t.valuesType!, new Set());
      const mapBlocks = blocks(entryMinBytes, (c) => {
        skip(c, readLong(c), 'map key');
        value(c);
      });
      return (c) => {
        if (!c.tracking) return mapBlocks(c);
        // Canonical only if decoding into an object keeps every key, in order: keys are read.
        const keys = new Set<string>();
        blocks(entryMinBytes, (c) => {
          const length = readLong(c);
          const start = c.pos;
          skip(c, length, 'map key');
          if (c.canonical) {
            const key = isUtf8Text(c.buf, start, c.pos) ? c.buf.toString('utf8', start, c.pos) : null;
            if (key === null || keys.has(key) || !keptInOrder(key)) c.canonical = false;
            else keys.add(key);
          }
          value(c);
        })(c);
      };
    }
    default:
      throw new Error(`no body check for Avro type ${t.typeName}`);
  }
}

/**
 * Whether a JavaScript object keeps this key where it was added: integer-like keys are listed
 * first in ascending order, and assigning __proto__ sets the prototype instead.
 */
function keptInOrder(key: string): boolean {
  if (key === '__proto__') return false;
  return !/^(?:0|[1-9][0-9]{0,9})$/.test(key) || Number(key) >= 2 ** 32 - 1;
}

/** Valid UTF-8 (ASCII checked here, anything else by node): invalid bytes decode to U+FFFD, which would not encode back to them. */
function isUtf8Text(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return isUtf8(buf.subarray(start, end));
  return true;
}

/** Array/map blocks: a count (negative: followed by the block's byte size), items, until a zero count. */
function blocks(itemMinBytes: number, item: Step): Step {
  return (c) => {
    let total = 0;
    let block = 0;
    for (let count = readLong(c); count !== 0; count = readLong(c)) {
      if (++block > 1) c.canonical = false; // avsc writes an array as one block
      if (count < 0) {
        c.canonical = false; // avsc never writes block sizes
        count = -count;
        const size = readLong(c);
        if (size < 0 || size > c.buf.length - c.pos) throw new AvroBodyError(`block size ${size} exceeds the ${c.buf.length - c.pos} bytes left`);
      }
      total += count;
      if (itemMinBytes > 0 ? count * itemMinBytes > c.buf.length - c.pos : total > MAX_ZERO_SIZE_ITEMS) {
        throw new AvroBodyError(`block of ${count} items cannot fit in the ${c.buf.length - c.pos} bytes left`);
      }
      for (let i = 0; i < count; i++) item(c);
    }
  };
}

/** Fewest bytes a value of the type can take (a recursive reference counts as 0). */
function minBytes(type: Type, visiting: Set<Type>): number {
  const t = type as unknown as AvscType;
  if (t.underlyingType) return minBytes(t.underlyingType, visiting);
  switch (t.typeName.startsWith('union') ? 'union' : t.typeName) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return t.size!;
    case 'union':
      return 1 + Math.min(...t.types!.map((branch) => minBytes(branch, visiting)));
    case 'record':
    case 'error': {
      if (visiting.has(type)) return 0;
      visiting.add(type);
      const sum = t.fields!.reduce((bytes, field) => bytes + minBytes(field.type, visiting), 0);
      visiting.delete(type);
      return sum;
    }
    default:
      return 1; // boolean, int, long, bytes, string, enum, array, map
  }
}
