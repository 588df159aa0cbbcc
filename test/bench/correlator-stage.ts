/**
 * Benchmark of the correlator stage alone on a real Redis: enriched incident copies (what the
 * enricher publishes, one per zone) are handed to CorrelatorStage in batches per partition, as
 * the stage runner would, with the shipped rules and a RedisCorrelationStore. Prints the copies
 * and incidents correlated per second, the CPU the stage spent per incident, the Redis round
 * trips per copy and per incident, and what reloading the partitions costs a new owner after a
 * rebalance. No Kafka: this is the stage's own cost; `npm run bench` measures the whole pipeline.
 * Also prints the heap the stage holds per incident copy in memory (after a full garbage collection).
 *
 *   REDIS_URL=redis://127.0.0.1:16579 npx node -r ./tools/register.js test/bench/correlator-stage.ts
 *
 *   BENCH_EVENTS=20000     incidents (each becomes ~3–4 zone copies)
 *   BENCH_BATCH=1000       copies per batch (the runner's largest chunk)
 *   BENCH_PARTITIONS=6     partitions of incidents.enriched
 *   BENCH_CONCURRENCY=3    partitions handled at once (the runner handles the correlator's side by side)
 *   BENCH_MODE=live        live: incidents of the last BENCH_SPAN_HOURS (default 6), in random order,
 *                          concentrated in a few dozen zones (the worst case: every zone alerting);
 *                          history: a year of history replayed in order
 *                          replay: the same year out of order, as a replay not published in time
 *                          order reaches it: shuffled within spans of BENCH_SKEW_DAYS (30)
 *   BENCH_LATENESS_DAYS=7  the correlator's allowed lateness (a replay is applied, out of order,
 *                          when it covers the skew)
 *   BENCH_DIGEST=1         pins the clock to a fixed instant and prints a digest of every version
 *                          published (headers and bytes), partition by partition: two builds that print the same digest
 *                          published the same versions (to check that an optimisation changes nothing)
 */
import { createHash, type Hash } from 'node:crypto';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TOPICS, createCodecs, encodeOncePerValue, parseIncidentJson } from '@vigie/contracts';
import { MemoryIncidentZones } from '@vigie/correlation';
import { loadGeoReference } from '@vigie/geo';
import type { InboundMessage } from '@vigie/kafka';
import { RedisCorrelationStore, createRedis } from '@vigie/state';
import { createPrng } from '@vigie/runtime';
import { createIncidentFactory, deleteKeysWithPrefix } from '@vigie/testing';
import { CorrelatorStage } from '../../services/correlator/src/correlator.stage';
import { readRulesFile } from '../../services/correlator/src/rules-file';
import { enrichedCopies, partitionOf } from '../../services/correlator/src/testing/enriched-copies';
import { zoneDirectory } from '../../services/correlator/src/zone-directory';

const ROOT = resolve(__dirname, '../..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
const SPAN_HOURS = Number(process.env.BENCH_SPAN_HOURS ?? 6);
const MODE = process.env.BENCH_MODE === 'history' || process.env.BENCH_MODE === 'replay' ? process.env.BENCH_MODE : 'live';
const SKEW_DAYS = Number(process.env.BENCH_SKEW_DAYS ?? 30);
const LATENESS_DAYS = Number(process.env.BENCH_LATENESS_DAYS ?? 7);
const YEAR_MS = 365 * 86_400_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:16379';
const PREFIX = `vigie-bench-corr-${Date.now().toString(36)}:`;
const DIGEST = process.env.BENCH_DIGEST === '1';
/** The bench's clock: fixed under BENCH_DIGEST, so that the input and every version are the same from run to run. */
const clock = (): number => (DIGEST ? Date.parse('2026-06-01T00:00:00Z') : Date.now());
const say = (line = ''): void => void process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** The enricher's output for EVENTS live-looking incidents, as batches per partition. */
function inputBatches(): { batches: InboundMessage[][][]; copies: number } {
  const codecs = createCodecs();
  const geo = loadGeoReference();
  const now = clock();
  const factory = createIncidentFactory(7, { baseTime: now - 60_000, spanMs: SPAN_HOURS * 3_600_000 });
  const byPartition: InboundMessage[][] = Array.from({ length: PARTITIONS }, () => []);
  const remembered = new MemoryIncidentZones();
  for (const i of arrivalOrder()) {
    const parsed = parseIncidentJson(factory.next({ sourceEventId: `BC${i}` }), { now: now + 60_000 });
    if (!parsed.ok) throw new Error(`bench fixture invalid: ${JSON.stringify(parsed.issues)}`);
    const occurredAt = now - YEAR_MS + Math.floor((i * YEAR_MS) / EVENTS);
    const report = MODE === 'live' ? parsed.report : { ...parsed.report, occurredAt, reportedAt: occurredAt + 3_600_000 };
    for (const { key, value } of enrichedCopies(report, geo, codecs, report.reportedAt, remembered)) {
      const partition = partitionOf(key, PARTITIONS);
      const messages = byPartition[partition] as InboundMessage[];
      messages.push({ topic: TOPICS.enriched, partition, offset: String(messages.length), key: Buffer.from(key), value, headers: {}, timestamp: now });
    }
  }
  const batches = byPartition.map((messages) => Array.from({ length: Math.ceil(messages.length / BATCH) }, (_, b) => messages.slice(b * BATCH, (b + 1) * BATCH)));
  return { batches, copies: byPartition.reduce((n, m) => n + m.length, 0) };
}

/** Incident indexes (i-th of the year) in the order they reach the correlator: shuffled within spans of SKEW_DAYS for a replay. */
function arrivalOrder(): number[] {
  const order = Array.from({ length: EVENTS }, (_, i) => i);
  if (MODE !== 'replay') return order;
  const span = Math.max(1, Math.round((EVENTS * SKEW_DAYS) / 365));
  const prng = createPrng(11);
  return Array.from({ length: Math.ceil(EVENTS / span) }, (_, b) => prng.shuffle(order.slice(b * span, (b + 1) * span))).flat();
}

/** The live heap after a full collection, in bytes (gc exposed at run time: no node flag to remember). */
function liveHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const codecs = createCodecs();
  const zones = zoneDirectory(loadGeoReference());
  const rules = readRulesFile(resolve(ROOT, 'deploy/config/rules.json'));
  say(`correlator stage on Redis ${REDIS_URL} — ${fmt(EVENTS)} incidents (${MODE === 'live' ? `live, last ${SPAN_HOURS} h` : MODE === 'history' ? 'a year of history, in order' : `a year of history, shuffled within ${SKEW_DAYS} days`}, lateness ${LATENESS_DAYS} d), batches of ${BATCH}, ${PARTITIONS} partitions (${CONCURRENCY} at once), ${rules.length} rules`);
  const { batches, copies } = inputBatches();
  say(`input: ${fmt(copies)} zone copies (${fmt(copies / EVENTS, 2)} per incident), ${batches.reduce((n, b) => n + b.length, 0)} batches`);

  const redis = createRedis(REDIS_URL);
  await redis.connect();
  // As the correlator module wires them: each alert version encoded once, for publication and the outbox.
  const alertCodec = encodeOncePerValue(codecs.regionalAlert);
  const store = new RedisCorrelationStore(redis, PREFIX, alertCodec);
  const stage = new CorrelatorStage(codecs, store, rules, zones, { allowedLatenessMs: LATENESS_DAYS * 86_400_000, alertCodec }, clock);
  const digests: Hash[] = batches.map(() => createHash('sha256'));
  let versions = 0;
  let lateCopies = 0;
  const debug = new Map<string, number>();
  const batchMs: number[] = [];
  const queue = batches.map((partitionBatches, partition) => ({ partition, partitionBatches }));
  const heapBefore = liveHeap();
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  // As the runner: a partition's batches one after another, several partitions at once.
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      for (const batch of item.partitionBatches) {
        const began = process.hrtime.bigint();
        const outcomes = await stage.handleBatch(batch);
        batchMs.push(Number(process.hrtime.bigint() - began) / 1e6);
        for (const o of outcomes) {
          if (o.kind !== 'emit') continue;
          for (const m of o.messages) {
            if (m.topic === TOPICS.late) lateCopies++;
            if (m.topic !== TOPICS.regionalAlerts) continue;
            versions++;
            if (DIGEST) (digests[item.partition] as Hash).update(JSON.stringify(m.headers ?? {})).update(m.value as Buffer);
            if (process.env.BENCH_DEBUG) {
              const a = codecs.regionalAlert.decode(m.value);
              const k = `${a.rule.id} ${a.status}`;
              debug.set(k, (debug.get(k) ?? 0) + 1);
            }
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const trips = store.roundTrips;
  const heldCopies = stage.heldIncidents();
  const heldBytes = liveHeap() - heapBefore;
  batchMs.sort((a, b) => a - b);

  // A new owner after a rebalance: one round trip per partition to load it.
  const reloader = new RedisCorrelationStore(redis, PREFIX);
  const loadStarted = process.hrtime.bigint();
  const snapshots = await Promise.all(batches.map((_, p) => reloader.load(p)));
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
  const zonesHeld = snapshots.reduce((n, s) => n + (s?.zones.length ?? 0), 0);
  const eventsHeld = snapshots.reduce((n, s) => n + (s?.zones.reduce((m, z) => m + z.events.length, 0) ?? 0), 0);

  say();
  say(`throughput:        ${fmt(copies / seconds)} copies/s = ${fmt(EVENTS / seconds)} incidents/s (${fmt(seconds, 2)} s)`);
  // CPU time is steadier than wall time on a shared machine: compare builds by it.
  say(`CPU:               ${fmt((cpu.user + cpu.system) / EVENTS, 1)} µs per incident (this process; Redis apart)`);
  say(`Redis round trips: ${trips} = ${fmt(trips / copies, 4)} per copy, ${fmt(trips / EVENTS, 4)} per incident (${PARTITIONS} loads + one commit per batch)`);
  say(`batch latency:     p50 ${fmt(quantile(batchMs, 0.5), 1)} ms, p99 ${fmt(quantile(batchMs, 0.99), 1)} ms, max ${fmt(batchMs.at(-1) ?? 0, 1)} ms`);
  say(`alert versions:    ${fmt(versions)} published; ${fmt(lateCopies)} copies later than the allowed lateness (incidents.late)`);
  if (DIGEST) say(`versions digest:   ${createHash('sha256').update(digests.map((d) => d.digest('hex')).join()).digest('hex').slice(0, 16)} (the clock pinned)`);
  if (debug.size) say([...debug].sort().map(([k, n]) => `  ${k}: ${n}`).join('\n'));
  say(`state:             ${fmt(zonesHeld)} zones, ${fmt(eventsHeld)} incident copies; reloading all partitions took ${fmt(loadMs)} ms`);
  say(`memory held:       ${fmt(heldBytes / 1048576, 1)} MB of heap for ${fmt(heldCopies)} incident copies in memory, ${fmt(heldBytes / heldCopies)} bytes per copy (its zones' windows and aggregates included)`);
  say(`peak RSS:          ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);

  await deleteKeysWithPrefix(redis, PREFIX);
  await redis.quit();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
