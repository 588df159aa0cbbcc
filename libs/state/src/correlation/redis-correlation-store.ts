import { VigieError, createCodecs, errorMessage, type RegionalAlert, type ValueCodec } from '@vigie/contracts';
import { changedAlerts, withAlerts, withoutAlerts, type AlertState, type CorrelationStore, type PartitionCommit, type PartitionSnapshot, type StoredSealed, type StoredZone, type WindowEvent, type ZoneRecord } from '@vigie/correlation';
import { execPipeline, type RedisClient } from '../redis-connection';
import { decodeCompactEvent, encodeCompactEvent } from './compact-event';
import { decodeCompactOutbox, encodeCompactOutbox } from './compact-outbox';
import { decodeCompactSealed, encodeCompactSealed } from './compact-sealed';
import { COMMIT_SCRIPT, LOAD_SCRIPT } from './correlation-scripts';

type Args = (string | number | Buffer)[];

/** ioredis adds defineCommand'ed scripts as methods of the client and its pipelines (EVALSHA, loaded on demand). */
interface CorrelationPipeline extends ReturnType<RedisClient['pipeline']> {
  vigieCorrelationLoadBuffer(...keysThenArgs: Args): this;
  vigieCorrelationCommit(...keysThenArgs: Args): this;
}

const FIELD_SEPARATOR = '|';

/** A hash's HGETALL, read as Buffers (the outbox is binary): its fields as text, its values as `value` reads them. */
function pairs<V = string>(flat: readonly Buffer[], value: (raw: Buffer) => V = (raw) => raw.toString() as V): [string, V][] {
  const out: [string, V][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([(flat[i] as Buffer).toString(), value(flat[i + 1] as Buffer)]);
  return out;
}

const orNull = (raw: string | undefined): number | null => (raw === undefined || raw === '' ? null : Number(raw));

function toSnapshot(reply: unknown, alertBytes: ValueCodec<RegionalAlert>): PartitionSnapshot | null {
  const [metaFlat, zonesFlat, eventsFlat, sealedFlat, alertsFlat] = reply as [Buffer[], Buffer[], Buffer[], Buffer[], Buffer[]];
  if (metaFlat.length === 0) return null;
  const meta = new Map(pairs(metaFlat, (raw) => raw));
  const metaText = (field: string): string | undefined => meta.get(field)?.toString();
  const zones = new Map<string, { record: ZoneRecord | null; events: WindowEvent[]; sealed: StoredSealed[]; alerts?: Map<string, AlertState | null> }>();
  const zone = (key: string) => {
    let z = zones.get(key);
    if (!z) zones.set(key, (z = { record: null, events: [], sealed: [] }));
    return z;
  };
  for (const [field, json] of pairs(alertsFlat)) {
    const at = field.indexOf(FIELD_SEPARATOR);
    const z = zone(field.slice(0, at));
    (z.alerts ??= new Map()).set(field.slice(at + 1), JSON.parse(json) as AlertState | null);
  }
  for (const [key, json] of pairs(zonesFlat)) zone(key).record = JSON.parse(json) as ZoneRecord;
  for (const [field, payload] of pairs(eventsFlat)) {
    const at = field.indexOf(FIELD_SEPARATOR);
    zone(field.slice(0, at)).events.push(decodeCompactEvent(field.slice(at + 1), payload));
  }
  for (const [field, payload] of pairs(sealedFlat)) {
    // <zoneKey>|<ruleId>|<bucket>: neither a zone key nor a rule id holds the separator.
    const [zoneKey, ruleId, bucket] = field.split(FIELD_SEPARATOR) as [string, string, string];
    zone(zoneKey).sealed.push({ ruleId, bucket: Number(bucket), sealed: decodeCompactSealed(payload) });
  }
  // An older correlator that committed after this one wrote `outbox` (JSON) and left `outboxBinary`
  // as it was: present, `outbox` is the latest (this one's commits delete it).
  const outbox = meta.get('outbox') ?? meta.get('outboxBinary');
  return {
    seq: Number(metaText('seq') ?? 0),
    through: Number(metaText('through') ?? -1),
    watermark: orNull(metaText('wm')),
    arrival: orNull(metaText('arrival')),
    outbox: outbox?.length ? decodeCompactOutbox(outbox, alertBytes) : null,
    // A record written before alerts were kept apart still holds them inline: used when the alerts hash has none.
    zones: [...zones].map(([zoneKey, z]): StoredZone => ({ zoneKey, record: withAlerts(z.record ?? { clock: null, rules: {}, feeds: {} }, z.alerts), events: z.events, sealed: z.sealed })),
  };
}

/**
 * CorrelationStore in Redis. A partition's state is five hashes under one hash tag
 * (`vigie:corr:{p3}:meta|zones|events|sealed|alerts`), so that it lives in one Redis Cluster slot and one Lua
 * script commits a whole batch atomically. Each call is one round trip: `load` once per
 * assignment (the correlator keeps the partition in memory), `commit` once per batch, with only
 * what the batch changed (its incidents, the records of the zones it touched). No TTL: eviction
 * by event time and each zone's detail limit bound the state, and an alert's version must
 * outlive quiet spells.
 */
export class RedisCorrelationStore implements CorrelationStore {
  /** Round trips made (each call is one), for the benchmark and metrics. */
  roundTrips = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'vigie:corr:',
    /** The outbox's alerts are stored as their Avro message: share the stage's encoder to encode each once. */
    private readonly alertBytes: ValueCodec<RegionalAlert> = createCodecs().regionalAlert,
  ) {
    redis.defineCommand('vigieCorrelationLoad', { numberOfKeys: 5, lua: LOAD_SCRIPT });
    redis.defineCommand('vigieCorrelationCommit', { numberOfKeys: 5, lua: COMMIT_SCRIPT });
  }

  /** The partition's keys: meta, zones, events, sealed, alerts. */
  keysOf(partition: number): [string, string, string, string, string] {
    const base = `${this.prefix}{p${partition}}:`;
    return [`${base}meta`, `${base}zones`, `${base}events`, `${base}sealed`, `${base}alerts`];
  }

  async load(partition: number): Promise<PartitionSnapshot | null> {
    const pipeline = this.redis.pipeline() as CorrelationPipeline;
    pipeline.vigieCorrelationLoadBuffer(...this.keysOf(partition));
    this.roundTrips++;
    const [reply] = await execPipeline(pipeline);
    try {
      return toSnapshot(reply, this.alertBytes);
    } catch (error) {
      // Any part of the state unreadable: retriable, so that the partition waits for it to be mended
      // (deploy/README.md, "Corrupt correlation state") rather than dead-letter input not at fault.
      const keys = this.keysOf(partition).join(', ');
      throw new VigieError('CORRUPT_STATE', `correlation state of partition ${partition} unreadable (${keys}): ${errorMessage(error)}`, true, { partition, keys });
    }
  }

  async commit(commit: PartitionCommit): Promise<boolean> {
    const { meta } = commit;
    const args: Args = [...this.keysOf(commit.partition), commit.expectedSeq, meta.seq, meta.through, meta.watermark ?? '', meta.arrival ?? '', meta.outbox ? encodeCompactOutbox(meta.outbox, this.alertBytes) : ''];
    args.push(commit.zones.length);
    for (const { zoneKey, record } of commit.zones) args.push(this.checkedKey(zoneKey), JSON.stringify(withoutAlerts(record)));
    const written: string[] = [];
    const deleted: string[] = [];
    for (const entry of commit.zones) {
      for (const { ruleId, alert, deleted: gone } of changedAlerts(entry)) {
        const field = `${entry.zoneKey}${FIELD_SEPARATOR}${ruleId}`;
        if (gone) deleted.push(field);
        else written.push(field, JSON.stringify(alert));
      }
    }
    args.push(written.length / 2, ...written, deleted.length, ...deleted);
    args.push(commit.setEvents.length);
    for (const { zoneKey, event } of commit.setEvents) args.push(`${zoneKey}${FIELD_SEPARATOR}${event.eventId}`, encodeCompactEvent(event));
    args.push(commit.deleteEvents.length);
    for (const { zoneKey, eventId } of commit.deleteEvents) args.push(`${zoneKey}${FIELD_SEPARATOR}${eventId}`);
    const sealedField = (zoneKey: string, ruleId: string, bucket: number) => [zoneKey, ruleId, bucket].join(FIELD_SEPARATOR);
    args.push(commit.setSealed.length);
    for (const { zoneKey, ruleId, bucket, sealed } of commit.setSealed) args.push(sealedField(zoneKey, ruleId, bucket), encodeCompactSealed(sealed));
    args.push(commit.deleteSealed.length);
    for (const { zoneKey, ruleId, bucket } of commit.deleteSealed) args.push(sealedField(zoneKey, ruleId, bucket));
    const pipeline = this.redis.pipeline() as CorrelationPipeline;
    pipeline.vigieCorrelationCommit(...args);
    this.roundTrips++;
    const [reply] = await execPipeline(pipeline);
    return reply === 1;
  }

  private checkedKey(zoneKey: string): string {
    if (zoneKey.includes(FIELD_SEPARATOR)) throw new VigieError('INVALID_ZONE_KEY', `zone key ${zoneKey} must not contain "${FIELD_SEPARATOR}"`, false);
    return zoneKey;
  }
}
