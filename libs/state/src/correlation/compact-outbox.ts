import { errorMessage, type RegionalAlert, type ValueCodec } from '@vigie/contracts';
import type { AlertOutbox } from '@vigie/correlation';

/**
 * The outbox as the meta hash keeps it, in binary: a format byte, the length of a JSON header
 * (4 bytes, big-endian), the header (partition, throughOffset, arrivals, late, and each alert's
 * size), then each alert's Avro message end to end. The stage publishes those very bytes, so with
 * an encoder shared with it (encodeOncePerValue) each version is serialised once, for both, and
 * stored as it is: no base64, no JSON escaping of a megabyte string, no UTF-8 conversion on its way
 * to Redis (an earlier layout did all three, about 6 µs per version).
 */
const BINARY_FORMAT = 1;
const PREAMBLE_BYTES = 5;

interface OutboxHeader extends Omit<AlertOutbox, 'alerts'> {
  readonly sizes: readonly number[];
}

/** As earlier versions stored it: JSON, each alert its Avro message in base64 (or, earlier still, an object). */
interface JsonOutbox extends Omit<AlertOutbox, 'alerts' | 'arrivals'> {
  readonly alerts: readonly (string | RegionalAlert)[];
  /** Absent in outboxes written before arrivals were kept. */
  readonly arrivals?: readonly (number | null)[];
}

export function encodeCompactOutbox(outbox: AlertOutbox, alerts: ValueCodec<RegionalAlert>): Buffer {
  const { alerts: versions, ...rest } = outbox;
  const messages = versions.map((alert) => alerts.encode(alert));
  const header = Buffer.from(JSON.stringify({ ...rest, sizes: messages.map((m) => m.length) } satisfies OutboxHeader));
  const preamble = Buffer.allocUnsafe(PREAMBLE_BYTES);
  preamble.writeUInt8(BINARY_FORMAT, 0);
  preamble.writeUInt32BE(header.length, 1);
  return Buffer.concat([preamble, header, ...messages]);
}

/**
 * Reads the binary layout, and the JSON one earlier versions wrote (it starts with `{`). Whatever
 * fails says it was the outbox (the store makes any unreadable state a retriable CORRUPT_STATE).
 */
export function decodeCompactOutbox(payload: Buffer, alerts: ValueCodec<RegionalAlert>): AlertOutbox {
  try {
    return checked(payload[0] === 0x7b ? decodeJsonOutbox(payload.toString(), alerts) : decodeBinaryOutbox(payload, alerts));
  } catch (error) {
    throw new Error(`outbox unreadable: ${errorMessage(error)}`);
  }
}

function decodeBinaryOutbox(payload: Buffer, alerts: ValueCodec<RegionalAlert>): AlertOutbox {
  if (payload[0] !== BINARY_FORMAT || payload.length < PREAMBLE_BYTES) throw new Error(`format byte ${payload[0]}, expected ${BINARY_FORMAT}`);
  const headerEnd = PREAMBLE_BYTES + payload.readUInt32BE(1);
  const { sizes, ...rest } = JSON.parse(payload.toString('utf8', PREAMBLE_BYTES, headerEnd)) as OutboxHeader;
  if (!Array.isArray(sizes) || !sizes.every((size) => Number.isInteger(size) && size > 0)) throw new Error('its header lists no valid alert sizes');
  const end = sizes.reduce((at, size) => at + size, headerEnd);
  if (end !== payload.length) throw new Error(`${payload.length} bytes where its header says ${end}`);
  let at = headerEnd;
  return { ...rest, alerts: sizes.map((size) => alerts.decode(payload.subarray(at, (at += size)))) };
}

function decodeJsonOutbox(payload: string, alerts: ValueCodec<RegionalAlert>): AlertOutbox {
  const stored = JSON.parse(payload) as JsonOutbox;
  return {
    ...stored,
    alerts: stored.alerts.map((alert) => (typeof alert === 'string' ? alerts.decode(Buffer.from(alert, 'base64')) : alert)),
    arrivals: stored.alerts.map((_, i) => stored.arrivals?.[i] ?? null),
  };
}

/** The fields the correlator relies on, present and of their type. */
function checked(outbox: AlertOutbox): AlertOutbox {
  const offsets = (values: unknown): boolean => Array.isArray(values) && values.every((v) => Number.isInteger(v));
  if (!Number.isInteger(outbox.partition) || !Number.isInteger(outbox.throughOffset)) throw new Error('its partition or offset is missing');
  if (!Array.isArray(outbox.arrivals) || outbox.arrivals.length !== outbox.alerts.length || !outbox.arrivals.every((a) => a === null || Number.isFinite(a))) {
    throw new Error('its arrivals do not match its alerts');
  }
  if (outbox.late !== undefined && !offsets(outbox.late)) throw new Error('its late offsets are not offsets');
  return outbox;
}
