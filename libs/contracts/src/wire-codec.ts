import { Type } from 'avsc';
import { compileAvroBodyCheck, type AvroBodyCheck } from './avro-body-check';
import { errorMessage, VigieError } from './errors';
import { AVRO_TYPE_OPTIONS, type CatalogueEntry, type SchemaCatalogue } from './schema-catalogue';
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
  /** decode, also telling whether the message is canonical (see DecodedMessage). */
  decodeMessage(message: Buffer): DecodedMessage<T>;
  /**
   * A reader of some top-level fields only: the message is checked whole as by decode, the other
   * fields are skipped without being materialised.
   */
  projection<K extends keyof T & string>(fields: readonly K[]): WireProjection<Pick<T, K>>;
  /**
   * A reader of some fields at any depth (`{ report: { eventId: true }, ingestedAt: true }`): the
   * message is checked whole as by decode, then read with a reader schema of just those fields, so
   * avsc skips the others without materialising them. P is the shape selected, which the caller states.
   */
  select<P>(selection: FieldSelection): WireSelection<P>;
  /**
   * An encoder of values one of whose fields arrives already encoded, as a canonical message of
   * schema `fieldSchemaId`: a record's body is its fields' bodies end to end, so the bytes are those
   * encode() writes, without decoding and re-encoding that field. Undefined when the field's type is
   * not that schema.
   */
  withEncodedField<K extends keyof T & string>(field: K, fieldSchemaId: number): EncodedFieldEncoder<T, K> | undefined;
}

export interface DecodedMessage<T> {
  readonly value: T;
  /**
   * Written with the reader schema in the form encode writes (see AvroBodyCheck.canonical):
   * encode(value) returns these very bytes, so a value forwarded unchanged may forward them.
   */
  readonly canonical: boolean;
}

/** Fields of a record to read: `true` reads a field whole, a nested selection some fields of a record field. */
export type FieldSelection = { readonly [field: string]: true | FieldSelection };

/** Reads a selection of a message's fields (see WireCodec.select). */
export interface WireSelection<P> {
  decode(message: Buffer): P;
}

export interface WireProjection<P> {
  decode(message: Buffer): DecodedMessage<P>;
}

/** Encodes a value from its field K, already encoded as a framed message, and the other fields. */
export type EncodedFieldEncoder<T, K extends keyof T> = (field: Buffer, rest: Omit<T, K>) => Buffer;

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

/** The parts of an avsc record type read here. */
interface RecordType {
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly type: Type }[];
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
  /** Whether the message the last body check passed is canonical and in the reader schema. */
  private lastCanonical = false;

  constructor(
    private readonly catalogue: SchemaCatalogue,
    private readonly reader: CatalogueEntry,
    private readonly maxMessageBytes: number,
  ) {
    this.subject = reader.subject;
    this.schemaId = reader.id;
    this.type = reader.type;
    this.scratch = this.newScratch(Math.min(INITIAL_SCRATCH_BYTES, maxMessageBytes));
    this.readings.set(reader.id, { check: compileAvroBodyCheck(reader.type), resolver: undefined });
  }

  encode(value: T): Buffer {
    const end = this.writeScratch(this.type, value);
    const message = Buffer.allocUnsafe(end);
    this.scratch.copy(message, 0, 0, end);
    return message;
  }

  decode(message: Buffer): T {
    const reading = this.checkBody(message, false);
    return this.readBody<T>(message, this.type, reading.resolver);
  }

  decodeMessage(message: Buffer): DecodedMessage<T> {
    const reading = this.checkBody(message, true);
    return { value: this.readBody<T>(message, this.type, reading.resolver), canonical: this.lastCanonical };
  }

  projection<K extends keyof T & string>(fields: readonly K[]): WireProjection<Pick<T, K>> {
    const projected = this.recordOf(fields.map((name) => this.field(name)));
    const inReader = this.readerWalk(fields);
    // Other writer schemas are resolved: the projection is a record with fewer fields.
    const resolverFrom = this.resolversTo(projected);
    return {
      decode: (message) => {
        this.checkBody(message, true);
        const writerId = readWireSchemaId(message);
        if (writerId === this.schemaId) return { value: inReader(message) as Pick<T, K>, canonical: this.lastCanonical };
        return { value: this.readBody<Pick<T, K>>(message, projected, resolverFrom(writerId)), canonical: this.lastCanonical };
      },
    };
  }

  select<P>(selection: FieldSelection): WireSelection<P> {
    const selected = Type.forSchema(selectedSchema(this.type, selection, this.subject) as unknown as Parameters<typeof Type.forSchema>[0], { ...AVRO_TYPE_OPTIONS, registry: {} });
    // A resolver for every writer schema, the reader's own included: resolving skips what is not selected.
    const resolverFrom = this.resolversTo(selected);
    return {
      decode: (message) => {
        this.checkBody(message, false);
        return this.readBody<P>(message, selected, resolverFrom(readWireSchemaId(message)));
      },
    };
  }

  /** Resolvers from each writer schema (a checked message's, so in the catalogue) to `reader`, made once each. */
  private resolversTo(reader: Type): (writerId: number) => ReturnType<Type['createResolver']> {
    const resolvers = new Map<number, ReturnType<Type['createResolver']>>();
    return (writerId) => {
      let resolver = resolvers.get(writerId);
      if (resolver === undefined) {
        resolver = reader.createResolver((this.catalogue.byId(writerId) as CatalogueEntry).type);
        resolvers.set(writerId, resolver);
      }
      return resolver;
    };
  }

  /**
   * Reads some fields of a checked message in the reader schema: the fields before them skipped by
   * their compiled body checks, each wanted one decoded by its own type (avsc's resolver, which
   * skips field by field, costs as much as decoding everything).
   */
  private readerWalk(names: readonly string[]): (message: Buffer) => Record<string, unknown> {
    const fields = (this.type as unknown as RecordType).fields;
    const last = Math.max(...names.map((name) => fields.indexOf(this.field(name))));
    type Step = { readonly name: string; readonly type: Type; readonly skip?: undefined } | { readonly skip: AvroBodyCheck };
    const steps = fields.slice(0, last + 1).map((f): Step => (names.includes(f.name) ? { name: f.name, type: f.type } : { skip: compileAvroBodyCheck(f.type) }));
    return (message) => {
      const value: Record<string, unknown> = {};
      let pos = WIRE_HEADER_BYTES;
      for (const step of steps) {
        if (step.skip) {
          pos = step.skip(message, pos);
        } else {
          const decoded = step.type.decode(message, pos);
          if (decoded.offset < 0) throw this.decodeFailed(this.schemaId, `field ${step.name} runs past the end`);
          value[step.name] = decoded.value;
          pos = decoded.offset;
        }
      }
      return value;
    };
  }

  withEncodedField<K extends keyof T & string>(field: K, fieldSchemaId: number): EncodedFieldEncoder<T, K> | undefined {
    const embedded = this.catalogue.byId(fieldSchemaId);
    const fields = (this.type as unknown as RecordType).fields ?? [];
    const at = fields.findIndex((f) => f.name === field);
    if (!embedded || at < 0 || !(fields[at] as RecordType['fields'][number]).type.equals(embedded.type)) return undefined;
    // The fields before it and after it, each written as a record of its own (none: nothing written).
    const before = at > 0 ? this.recordOf(fields.slice(0, at)) : undefined;
    const after = at < fields.length - 1 ? this.recordOf(fields.slice(at + 1)) : undefined;
    return (fieldMessage, value) => {
      if (readWireSchemaId(fieldMessage) !== fieldSchemaId) {
        throw new VigieError('WIRE_FORMAT', `${field} of ${this.subject} must be written with schema id ${fieldSchemaId}, not ${readWireSchemaId(fieldMessage)}`, false);
      }
      const split = before ? this.writeScratch(before, value) : WIRE_HEADER_BYTES;
      const end = after ? this.writeScratch(after, value, split) : split;
      const size = end + fieldMessage.length - WIRE_HEADER_BYTES;
      if (size > this.maxMessageBytes) throw this.tooLarge(size);
      const message = Buffer.allocUnsafe(size);
      this.scratch.copy(message, 0, 0, split);
      const fieldEnd = split + fieldMessage.copy(message, split, WIRE_HEADER_BYTES);
      this.scratch.copy(message, fieldEnd, split, end);
      return message;
    };
  }

  /** Size, framing, writer schema and a bounds-checked walk of the body: what avsc may then read safely. */
  private checkBody(message: Buffer, canonical: boolean): WriterReading {
    if (message.length > this.maxMessageBytes) throw this.tooLarge(message.length);
    const writerId = readWireSchemaId(message);
    const reading = this.readingFor(writerId);
    let end: number;
    try {
      end = reading.check(message, WIRE_HEADER_BYTES, canonical);
    } catch (error) {
      throw this.decodeFailed(writerId, errorMessage(error));
    }
    if (end !== message.length) throw this.decodeFailed(writerId, `${message.length - end} trailing bytes after the body`);
    this.lastCanonical = canonical && writerId === this.schemaId && reading.check.canonical();
    return reading;
  }

  private readBody<V>(message: Buffer, type: Type, resolver: WriterReading['resolver']): V {
    let decoded: { value: unknown; offset: number };
    try {
      decoded = type.decode(message, WIRE_HEADER_BYTES, resolver);
    } catch (error) {
      throw this.decodeFailed(readWireSchemaId(message), errorMessage(error));
    }
    if (decoded.offset !== message.length) throw this.decodeFailed(readWireSchemaId(message), 'body length does not match the schema');
    return decoded.value as V;
  }

  /**
   * Encodes into the scratch buffer from `from` (growing it up to the cap, what lies before `from`
   * kept); returns the end of the message.
   */
  private writeScratch(type: Type, value: unknown, from = WIRE_HEADER_BYTES): number {
    let end = this.write(type, value, from);
    if (end < 0) {
      // avsc returns minus the missing byte count when the buffer was too small.
      const needed = this.scratch.length - end;
      if (needed > this.maxMessageBytes) throw this.tooLarge(needed);
      const grown = this.newScratch(Math.min(Math.max(needed, this.scratch.length * 2), this.maxMessageBytes));
      this.scratch.copy(grown, 0, 0, from);
      this.scratch = grown;
      end = this.write(type, value, from);
    }
    if (end > this.maxMessageBytes) throw this.tooLarge(end);
    return end;
  }

  private write(type: Type, value: unknown, from: number): number {
    try {
      return type.encode(value, this.scratch, from);
    } catch (error) {
      throw this.encodeFailed(type, value, error);
    }
  }

  private field(name: string): RecordType['fields'][number] {
    const field = (this.type as unknown as RecordType).fields?.find((f) => f.name === name);
    if (!field) throw new VigieError('UNKNOWN_FIELD', `${this.subject} has no field ${name}`, false);
    return field;
  }

  /** A record of the subject's name with some of its fields (their compiled types and defaults reused). */
  private recordOf(fields: RecordType['fields']): Type {
    const declared = (this.reader.schema as { fields?: { name: string; default?: unknown }[] }).fields ?? [];
    const withDefault = (name: string): object => {
      const json = declared.find((f) => f.name === name);
      return json && 'default' in json ? { default: json.default } : {};
    };
    const schema = { type: 'record', name: (this.type as unknown as RecordType).name, fields: fields.map((f) => ({ name: f.name, type: f.type, ...withDefault(f.name) })) };
    return Type.forSchema(schema as unknown as Parameters<typeof Type.forSchema>[0], { ...AVRO_TYPE_OPTIONS, registry: {} });
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

  private encodeFailed(type: Type, value: unknown, cause: unknown): VigieError {
    const paths: string[] = [];
    type.isValid(value, { errorHook: (path) => paths.push(formatPath(path)) });
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

/**
 * The schema of a record reduced to the selected fields, under the record's own name (so that it
 * resolves against the full writer schema). Fields read whole keep their compiled types.
 */
function selectedSchema(type: Type, selection: FieldSelection, path: string): object {
  const record = type as unknown as RecordType;
  if (type.typeName !== 'record') throw new VigieError('UNKNOWN_FIELD', `${path} is not a record: select it whole (true)`, false);
  // Defaults as declared, so that an older writer without a field still resolves.
  const declared = (type.schema({ exportAttrs: true }) as { fields: { name: string; default?: unknown }[] }).fields;
  const fields = Object.entries(selection).map(([name, wanted]) => {
    const field = record.fields.find((f) => f.name === name);
    if (!field) throw new VigieError('UNKNOWN_FIELD', `${path} has no field ${name}`, false);
    const json = declared.find((f) => f.name === name);
    return { name, type: wanted === true ? field.type : selectedSchema(field.type, wanted, `${path}.${name}`), ...(json && 'default' in json ? { default: json.default } : {}) };
  });
  return { type: 'record', name: record.name, fields };
}
