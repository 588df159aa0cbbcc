import { VigieError } from '@vigie/contracts';
import type { AlertRecord, CorrelationStore, EntryStatus, ZoneApply, ZoneCommit, ZoneSnapshot } from '@vigie/correlation';
import { execPipeline, type RedisClient } from '../redis-connection';
import { decodeCompactEvent, encodeCompactEvent } from './compact-event';
import { APPLY_SCRIPT, COMMIT_SCRIPT } from './correlation-scripts';

type Args = (string | number)[];

/** ioredis adds defineCommand'ed scripts as methods of the client and its pipelines (EVALSHA, loaded on demand). */
interface CorrelationPipeline extends ReturnType<RedisClient['pipeline']> {
  vigieCorrelationApply(...keysThenArgs: Args): this;
  vigieCorrelationCommit(...keysThenArgs: Args): this;
}

const pairs = (flat: readonly string[]): [string, string][] => {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
};

function toSnapshot(zoneKey: string, reply: unknown): ZoneSnapshot {
  const [statuses, events, meta] = reply as [EntryStatus[], string[], string[]];
  const fields = new Map(pairs(meta));
  const records = new Map<string, AlertRecord>();
  for (const [field, json] of fields) if (field.startsWith('rec:')) records.set(field.slice(4), JSON.parse(json) as AlertRecord);
  const watermark = Number(fields.get('wm'));
  if (!Number.isFinite(watermark)) throw new VigieError('CORRELATION_STATE_INVALID', `zone ${zoneKey} has no watermark after apply`, true);
  return { zoneKey, statuses, watermark, events: pairs(events).map(([id, payload]) => decodeCompactEvent(id, payload)), records };
}

/**
 * CorrelationStore in Redis (semantics: applyEntries of @vigie/correlation). One pipelined round
 * trip per call for all zones of a batch; each zone's update is one Lua script, so it is atomic,
 * and its keys share a hash tag (`vigie:corr:{SECTION:ML-SN-003}:events`) for Redis Cluster.
 * No TTL: a zone's alert version must outlive quiet spells, and eviction already bounds its events.
 */
export class RedisCorrelationStore implements CorrelationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'vigie:corr:',
  ) {
    redis.defineCommand('vigieCorrelationApply', { numberOfKeys: 3, lua: APPLY_SCRIPT });
    redis.defineCommand('vigieCorrelationCommit', { numberOfKeys: 3, lua: COMMIT_SCRIPT });
  }

  /** The zone's keys: events hash, times sorted set, meta hash. */
  keysOf(zoneKey: string): [string, string, string] {
    if (/[{}]/.test(zoneKey)) throw new VigieError('INVALID_ZONE_KEY', `zone key ${zoneKey} must not contain braces`, false);
    const base = `${this.prefix}{${zoneKey}}:`;
    return [`${base}events`, `${base}times`, `${base}meta`];
  }

  async apply(zones: readonly ZoneApply[]): Promise<ZoneSnapshot[]> {
    if (zones.length === 0) return [];
    const pipeline = this.redis.pipeline() as CorrelationPipeline;
    for (const zone of zones) {
      const args: Args = [...this.keysOf(zone.zoneKey), zone.partition, zone.horizonMs];
      for (const { offset, event } of zone.entries) args.push(offset, event.eventId, event.revision, event.occurredAt, encodeCompactEvent(event));
      pipeline.vigieCorrelationApply(...args);
    }
    const replies = await execPipeline(pipeline);
    return replies.map((reply, i) => toSnapshot((zones[i] as ZoneApply).zoneKey, reply));
  }

  async commit(zones: readonly ZoneCommit[]): Promise<boolean[]> {
    if (zones.length === 0) return [];
    const pipeline = this.redis.pipeline() as CorrelationPipeline;
    for (const zone of zones) {
      const args: Args = [...this.keysOf(zone.zoneKey), zone.evictBefore];
      for (const r of zone.rules) args.push(r.ruleId, r.expectedVersion, r.record.state.version, JSON.stringify(r.record));
      pipeline.vigieCorrelationCommit(...args);
    }
    const replies = await execPipeline(pipeline);
    return replies.map((reply) => reply === 1);
  }
}
