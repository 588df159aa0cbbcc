import type { Type } from 'avsc';
import { compileAvroBodyCheck, type AvroBodyCheck } from './avro-body-check';
import { errorMessage, VigieError } from './errors';
import type { CatalogueEntry, SchemaCatalogue } from './schema-catalogue';
import { ROOT_PATH } from './validation-issue';

/**
 * Confluent wire format: magic byte 0, the writer schema id as a 4-byte big-endian integer, then
 * the Avro binary body. Decoding resolves the writer schema (looked up by id in the catalogue,
 * never fetched) to the codec's pinned reader schema. Every failure is a non-retriable VigieError:
 * the same bytes will fail again, so the message belongs in a dead-letter topic.
 */
export interface WireCodec<T> {
  readonly subject: string;
  /** Id of the reader schema, which is also the writer schema of everything this codec encodes. */
  readonly schemaId: number;
  encode(value: T): Buffer;
  decode(message: Buffer): T;
}

export interface WireCodecOptions {
  /** Larger messages are refused both ways; default 1 MiB. */
  maxMessageBytes?: number;
  /** Reader schema id; default the subject's latest version in the catalogue. */
  readerSchemaId?: number;
}

export const WIRE_MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const INITIAL_SCRATCH_BYTES = 16 * 1024;

/** The schema id of a Confluent-framed message. */
export function readWireSchemaId(message: Buffer): number {
  if (message.length < WIRE_HEADER_BYTES || message[0] !== WIRE_MAGIC_BYTE) {
    const why = message.length < WIRE_HEADER_BYTES ? `${message.length} bytes, shorter than the 5-byte header` : `magic byte ${message[0]}, expected 0`;
    throw new VigieError('WIRE_FORMAT', `not a Confluent-framed Avro message (${why})`, false);
  }
  return message.readUInt32BE(1);
}

export function createWireCodec<T>(catalogue: SchemaCatalogue, subject: string, options: WireCodecOptions = {}): WireCodec<T> {
  const reader = options.readerSchemaId === undefined ? catalogue.latest(subject) : catalogue.byId(options.readerSchemaId);
  if (!reader || reader.subject !== subject) {
    throw new VigieError('UNKNOWN_SCHEMA_ID', `reader schema id ${options.readerSchemaId} is not a version of ${subject}`, false);
  }
  return new AvroWireCodec<T>(catalogue, reader, options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
}

/** How to read bodies written with one writer schema: checked against it, then resolved to the reader. */
interface WriterReading {
  readonly check: AvroBodyCheck;
  /** Absent when writer and reader are the same schema: avsc then reads directly. */
  readonly resolver: ReturnType<Type['createResolver']> | undefined;
}

class AvroWireCodec<T> implements WireCodec<T> {
  readonly subject: string;
  readonly schemaId: number;
  private readonly type: Type;
  /** Per writer id: how to read it, or why it cannot be read. Bounded by the catalogue's size. */
  private readonly readings = new Map<number, WriterReading | string>();
  /** Encoding target with the header pre-written; grows up to the size cap, reused for every message. */
  private scratch: Buffer;

  constructor(
    private readonly catalogue: SchemaCatalogue,
    reader: CatalogueEntry,
    private readonly maxMessageBytes: number,
  ) {
    this.subject = reader.subject;
    this.schemaId = reader.id;
    this.type = reader.type;
    this.scratch = this.newScratch(Math.min(INITIAL_SCRATCH_BYTES, maxMessageBytes));
    this.readings.set(reader.id, { check: compileAvroBodyCheck(reader.type), resolver: undefined });
  }

  encode(value: T): Buffer {
    let end = this.write(value);
    if (end < 0) {
      // avsc returns minus the missing byte count when the buffer was too small.
      const needed = this.scratch.length - end;
      if (needed > this.maxMessageBytes) throw this.tooLarge(needed);
      this.scratch = this.newScratch(Math.min(Math.max(needed, this.scratch.length * 2), this.maxMessageBytes));
      end = this.write(value);
    }
    if (end > this.maxMessageBytes) throw this.tooLarge(end);
    const message = Buffer.allocUnsafe(end);
    this.scratch.copy(message, 0, 0, end);
    return message;
  }

  decode(message: Buffer): T {
    if (message.length > this.maxMessageBytes) throw this.tooLarge(message.length);
    const writerId = readWireSchemaId(message);
    const reading = this.readingFor(writerId);
    let end: number;
    try {
      end = reading.check(message, WIRE_HEADER_BYTES);
    } catch (error) {
      throw this.decodeFailed(writerId, errorMessage(error));
    }
    if (end !== message.length) throw this.decodeFailed(writerId, `${message.length - end} trailing bytes after the body`);
    let decoded: { value: unknown; offset: number };
    try {
      decoded = this.type.decode(message, WIRE_HEADER_BYTES, reading.resolver);
    } catch (error) {
      throw this.decodeFailed(writerId, errorMessage(error));
    }
    if (decoded.offset !== message.length) throw this.decodeFailed(writerId, 'body length does not match the schema');
    return decoded.value as T;
  }

  private write(value: T): number {
    try {
      return this.type.encode(value, this.scratch, WIRE_HEADER_BYTES);
    } catch (error) {
      throw this.encodeFailed(value, error);
    }
  }

  private readingFor(writerId: number): WriterReading {
    let reading = this.readings.get(writerId);
    if (reading === undefined) {
      const writer = this.catalogue.byId(writerId);
      if (!writer) throw new VigieError('UNKNOWN_SCHEMA_ID', `schema id ${writerId} is not in the catalogue (reading ${this.subject})`, false, { schemaId: writerId });
      reading = this.resolve(writer);
      this.readings.set(writerId, reading);
    }
    if (typeof reading === 'string') throw new VigieError('SCHEMA_INCOMPATIBLE', reading, false, { schemaId: writerId });
    return reading;
  }

  private resolve(writer: CatalogueEntry): WriterReading | string {
    const what = `schema id ${writer.id} (${writer.subject} v${writer.version})`;
    if (writer.subject !== this.subject) return `${what} cannot be read as ${this.subject}`;
    try {
      return { check: compileAvroBodyCheck(writer.type), resolver: this.type.createResolver(writer.type) };
    } catch (error) {
      return `${what} cannot be resolved to reader schema id ${this.schemaId}: ${errorMessage(error)}`;
    }
  }

  private newScratch(size: number): Buffer {
    const scratch = Buffer.alloc(size);
    scratch[0] = WIRE_MAGIC_BYTE;
    scratch.writeUInt32BE(this.schemaId, 1);
    return scratch;
  }

  private encodeFailed(value: T, cause: unknown): VigieError {
    const paths: string[] = [];
    this.type.isValid(value, { errorHook: (path) => paths.push(formatPath(path)) });
    const where = paths.length > 0 ? `invalid value at ${paths.join(', ')}` : errorMessage(cause);
    return new VigieError('ENCODE_FAILED', `cannot encode ${this.subject}: ${where}`, false, { paths });
  }

  private decodeFailed(writerId: number, why: string): VigieError {
    return new VigieError('DECODE_FAILED', `cannot decode ${this.subject} written with schema id ${writerId}: ${why}`, false, { schemaId: writerId });
  }

  private tooLarge(bytes: number): VigieError {
    return new VigieError('MESSAGE_TOO_LARGE', `${this.subject} message of ${bytes} bytes exceeds the ${this.maxMessageBytes}-byte limit`, false, { bytes });
  }
}

/** avsc paths are segment lists; show array indexes the way validation issues do: actors[0].kind. */
function formatPath(segments: readonly string[]): string {
  if (segments.length === 0) return ROOT_PATH;
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}
