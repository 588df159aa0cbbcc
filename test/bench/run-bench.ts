/**
 * `npm run bench`: measures, in one run on this machine, (a) a raw kafkajs consume→produce chain
 * of four hops doing no work and (b) the Vigie pipeline (ingest → enricher → correlator →
 * dispatcher, four processes), and prints throughput and end-to-end latency for both (over the
 * whole phase, in 5 s slices, and after the first slice), each process's peak RSS, and the time
 * the pipeline takes to rebuild its state after losing Redis.
 *
 *   BENCH_EVENTS=100000        events for the throughput phase
 *   BENCH_RATE=2000            events per second for the latency phase
 *   BENCH_LATENCY_SECONDS=20   duration of the latency phase
 *   BENCH_CALM_RATE=20, BENCH_CALM_SECONDS=20   first, the latency when calm (0 s skips it)
 *   BENCH_SOAK_SECONDS=0       then keep the pipeline at that rate this long, sampling RSS and lag
 *   npm run bench -- --long    = BENCH_EVENTS=1000000 BENCH_LATENCY_SECONDS=60 BENCH_SOAK_SECONDS=600
 *   BENCH_ONLY=raw|pipeline    run one side only (while working on it)
 *   BENCH_PROFILE_DIR=dir      write a V8 CPU profile of each service there (open in Chrome DevTools)
 *   BENCH_NODE_FLAGS="…"       Node/V8 flags added to every service's (to compare heap settings)
 *   BENCH_CORRELATORS=1        correlator instances for the throughput and latency phases
 *   BENCH_REPLAY_CORRELATORS=2 correlator instances for the rebuild after losing Redis
 *   BENCH_WARMUP_EVENTS=50000  unmeasured messages through the broker first (see warmBroker; 0 skips)
 *   BENCH_LATENESS=7d          the correlator's CORRELATOR_ALLOWED_LATENESS (see HISTORY_CHUNK)
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { ALERT_LEVELS, FEED_COUNTRIES, TOPICS, deriveEventId, type RegionalAlert, agencyAlertTopic, createCodecs, feedTopic, parseIncidentJson, type Codecs, type IncidentReport, type TopicSpec } from '@vigie/contracts';
import { createKafka, ensureTopics, deploymentTopicCatalogue, readTopics } from '@vigie/kafka';
import { createIncidentFactory, deleteKeysWithPrefix, startPipeline, type Pipeline, type ServiceName } from '@vigie/testing';
import { createRedis } from '@vigie/state';
import { correlatorConfigSpec } from '../../services/correlator/src/correlator.config';
import { accountingMeter, batchMeter, nextOffsets, orderBehind, benchProducer, chunksOf, cpuMeter, cpuMs, groupCatchUpTimes, groupsLag, heapUsedMb, metricSum, peakRssMb, publishAll, publishAtRate, quantile, rssMb, waitForGroups, warmBroker, type GroupInput } from './bench-kafka';

const ROOT = resolve(__dirname, '../..');
const long = process.argv.includes('--long');
const EVENTS = Number(process.env.BENCH_EVENTS ?? (long ? 1_000_000 : 100_000));
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? (long ? 60 : 20));
/** A calm phase first: the latency of a pipeline that is not saturated (a regional pipeline's usual state). */
const CALM_RATE = Number(process.env.BENCH_CALM_RATE ?? 20);
const CALM_SECONDS = Number(process.env.BENCH_CALM_SECONDS ?? 20);
/** Correlator instances for the throughput and latency phases: 1, one process setting the pace. */
const CORRELATORS = Number(process.env.BENCH_CORRELATORS ?? 1);
/**
 * Correlator instances for the rebuild after losing Redis: 2 by default, one per core here. A
 * deployment scales the correlator out on lag (deploy/k8s: KEDA), each instance taking its share
 * of the partitions; one instance alone rebuilds at most what one core correlates.
 */
const REPLAY_CORRELATORS = Number(process.env.BENCH_REPLAY_CORRELATORS ?? 2);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? (long ? 600 : 0));
const ONLY = process.env.BENCH_ONLY;
/** BENCH_REPLAY=0 skips the rebuild after losing Redis (a quicker memory or latency check). */
const REPLAY = process.env.BENCH_REPLAY !== '0';
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : undefined;
/** Flags after production's for every service: Node refuses `--cpu-prof` in NODE_OPTIONS. */
const SERVICE_FLAGS = [
  ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
  ...(process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
];
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:16379';
const RAW_TOPICS = [0, 1, 2, 3, 4].map((i) => `bench.raw.${i}`);
const WARMUP_TOPIC = 'bench.warmup';
const WARMUP_EVENTS = Number(process.env.BENCH_WARMUP_EVENTS ?? 50_000);
const SENT_AT = 'bench-sent-at';
const DAY_MS = 86_400_000;
/**
 * The throughput phase replays a year of history, published in time order, this many reports per
 * produce request (4 in flight: a feed's partitions stay within a few days of order; the reports
 * of one request share a publication time). Ingest and the enricher keep publication order, so
 * the history reaches the correlator within those few days and is correlated. The accounting line
 * says how many copies were later than the allowed lateness all the same (routed to
 * incidents.late); BENCH_LATENESS sets that lateness.
 */
const HISTORY_CHUNK = 250;
const LATENESS = process.env.BENCH_LATENESS;
const run = Date.now().toString(36);
const say = (line = ''): void => void process.stdout.write(`${line}\n`);

interface PhaseResult {
  eventsPerSecond: number;
  latency: { p50: number; p99: number; count: number };
  calmLatency?: { p50: number; p99: number; count: number };
  /** At the fixed rate, without the first slice (the flood's onset): the steady state. */
  steadyLatency?: { p50: number; p99: number; count: number };
  peakRssMb: Record<string, number>;
  replay?: { incidents: number; seconds: number };
}

async function main(): Promise<void> {
  if (!process.env.KAFKA_BROKERS) execFileSync('bash', [join(ROOT, 'deploy/local/stack.sh'), 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const kafka = createKafka({ brokers: BROKERS, clientId: `bench-${run}`, ssl: false });
  const admin = kafka.admin();
  await admin.connect();
  const rawSpecs: TopicSpec[] = [...RAW_TOPICS, WARMUP_TOPIC].map((name) => ({ name, partitions: 6, config: { 'retention.ms': String(3_600_000) }, purpose: 'bench' }));
  await ensureTopics(admin, [...deploymentTopicCatalogue(join(ROOT, 'deploy/config/agencies.json')), ...rawSpecs]);
  const codecs = createCodecs();
  const producer = benchProducer(kafka);
  await producer.connect();

  say(`Vigie bench — ${EVENTS} events for throughput, ${RATE}/s for ${LATENCY_SECONDS} s for latency; ${cpus().length} cores`);
  if (WARMUP_EVENTS > 0) {
    const began = Date.now();
    await warmBroker(kafka, admin, producer, WARMUP_TOPIC, reports(WARMUP_EVENTS, 9, 'history').map((r) => r.message()));
    say(`broker warmed with ${WARMUP_EVENTS} messages in ${fmt((Date.now() - began) / 1000, 1)} s (unmeasured)`);
  }
  const skipped: PhaseResult = { eventsPerSecond: Number.NaN, latency: { p50: Number.NaN, p99: Number.NaN, count: 0 }, peakRssMb: {} };
  const raw = ONLY === 'pipeline' ? skipped : await benchRawChain(kafka, admin, producer);
  const pipeline = ONLY === 'raw' ? skipped : await benchPipeline(kafka, admin, producer, codecs);

  say();
  say('                         raw kafkajs chain    Vigie pipeline');
  say(`throughput (events/s)    ${fmt(raw.eventsPerSecond, 0).padStart(17)}    ${fmt(pipeline.eventsPerSecond, 0).padStart(14)}`);
  say(`latency p50 (ms)         ${fmt(raw.latency.p50, 1).padStart(17)}    ${fmt(pipeline.latency.p50, 1).padStart(14)}`);
  say(`latency p99 (ms)         ${fmt(raw.latency.p99, 1).padStart(17)}    ${fmt(pipeline.latency.p99, 1).padStart(14)}`);
  say(`latency samples          ${String(raw.latency.count).padStart(17)}    ${String(pipeline.latency.count).padStart(14)}`);
  say(`after ${SLICE_SECONDS} s p50 (ms)       ${fmt(raw.steadyLatency?.p50 ?? Number.NaN, 1).padStart(17)}    ${fmt(pipeline.steadyLatency?.p50 ?? Number.NaN, 1).padStart(14)}`);
  say(`after ${SLICE_SECONDS} s p99 (ms)       ${fmt(raw.steadyLatency?.p99 ?? Number.NaN, 1).padStart(17)}    ${fmt(pipeline.steadyLatency?.p99 ?? Number.NaN, 1).padStart(14)}`);
  say(`after ${SLICE_SECONDS} s samples        ${String(raw.steadyLatency?.count ?? 0).padStart(17)}    ${String(pipeline.steadyLatency?.count ?? 0).padStart(14)}`);
  if (raw.calmLatency || pipeline.calmLatency) {
    say(`calm (${CALM_RATE}/s) p50 (ms)     ${fmt(raw.calmLatency?.p50 ?? Number.NaN, 1).padStart(17)}    ${fmt(pipeline.calmLatency?.p50 ?? Number.NaN, 1).padStart(14)}`);
    say(`calm (${CALM_RATE}/s) p99 (ms)     ${fmt(raw.calmLatency?.p99 ?? Number.NaN, 1).padStart(17)}    ${fmt(pipeline.calmLatency?.p99 ?? Number.NaN, 1).padStart(14)}`);
  }
  say(`pipeline / raw throughput: ${fmt(pipeline.eventsPerSecond / raw.eventsPerSecond, 2)}×`);
  say(`pipeline p99 / raw p99:    ${fmt(pipeline.latency.p99 / raw.latency.p99, 2)}×`);
  if (pipeline.replay) say(`replay after losing Redis: ${pipeline.replay.incidents} incidents in ${fmt(pipeline.replay.seconds, 1)} s (${fmt(pipeline.replay.incidents / pipeline.replay.seconds, 0)} incidents/s)`);
  say(`peak RSS (MB): ${Object.entries({ ...raw.peakRssMb, ...pipeline.peakRssMb }).map(([name, mb]) => `${name} ${fmt(mb, 0)}`).join(', ')}`);
  say('Latency: raw = feed publish → publication by the last hop; pipeline = feed publish (reportedAt) → publication on an agency topic of the alert version that report fired or raised.');

  await producer.disconnect();
  await admin.disconnect();
  process.exit(0);
}

/**
 * Realistic report bytes: the same Avro IncidentReports the pipeline gets. Occurrence times advance
 * through the stream like a replay of history (`history`: the last year) or live reporting
 * (occurred a minute before being reported at send time).
 */
interface BenchReport {
  readonly report: IncidentReport;
  /** The Kafka message; `round` sends the same report again under a new source id (the soak cycles through one second's reports). */
  message(round?: number): { key: string; value: Buffer };
}

function reports(count: number, seed: number, mode: 'history' | 'live'): BenchReport[] {
  const factory = createIncidentFactory(seed, { baseTime: Date.now() - 60_000, spanMs: 3_600_000 });
  const codecs = createCodecs();
  const yearAgo = Date.now() - 366 * DAY_MS;
  const out: BenchReport[] = [];
  for (let i = 0; i < count; i++) {
    const parsed = parseIncidentJson(factory.next({ sourceEventId: `B${run}-${seed}-${i}` }), { now: Date.now() + 60_000 });
    if (!parsed.ok) throw new Error(`bench fixture invalid: ${JSON.stringify(parsed.issues)}`);
    const report = parsed.report;
    if (mode === 'history') {
      const occurredAt = yearAgo + Math.floor((i * 365 * DAY_MS) / count);
      const value = codecs.incidentReport.encode({ ...report, occurredAt, reportedAt: occurredAt + 3_600_000 });
      out.push({ report, message: () => ({ key: report.eventId, value }) });
    } else {
      out.push({ report, message: (round = 0) => {
        const reportedAt = Date.now();
        const sourceEventId = round ? `${report.sourceEventId}-r${round}` : report.sourceEventId;
        const eventId = deriveEventId(report.feedId, sourceEventId);
        return { key: eventId, value: codecs.incidentReport.encode({ ...report, sourceEventId, eventId, occurredAt: reportedAt - 60_000, reportedAt }) };
      } });
    }
  }
  return out;
}

async function benchRawChain(kafka: Kafka, admin: Admin, producer: Producer): Promise<PhaseResult> {
  say('\n[raw chain] starting 4 hops');
  const hops = RAW_TOPICS.slice(0, 4).map((from, i) => startHop(from, RAW_TOPICS[i + 1]!, `bench-raw-hop-${i}`));
  await Promise.all(hops.map((h) => h.ready));
  const groups: GroupInput[] = RAW_TOPICS.slice(0, 4).map((topic, i) => ({ groupId: `bench-raw-hop-${i}`, topics: [topic] }));
  // Whatever an interrupted run left behind is drained before measuring.
  await waitForGroups(admin, groups, 900_000);

  const payloads = reports(EVENTS, 1, 'history').map((r) => ({ topic: RAW_TOPICS[0]!, message: r.message() }));
  const cpu = cpuMeter([...hops.map((h, i) => ({ name: `hop ${i}`, pid: h.child.pid })), ...sharedProcesses()]);
  const started = Date.now();
  await publishAll(producer, chunksOf(payloads, HISTORY_CHUNK));
  const caughtUp = await waitForGroups(admin, groups, 600_000);
  const eventsPerSecond = EVENTS / ((caughtUp - started) / 1000);
  say(`[raw chain] throughput ${fmt(eventsPerSecond, 0)} events/s; CPU per event: ${cpu(EVENTS)}`);

  const rawLatency = async (rate: number, seconds: number, seed: number): Promise<LatencySample[]> => {
    // As for the pipeline: the hops' fetch pacing follows the previous phase's rate for a second.
    await new Promise((r) => setTimeout(r, 2_000));
    const latencies: LatencySample[] = [];
    const since = Date.now();
    const sink = readLatencies(kafka, [RAW_TOPICS[4]!], (m) => {
      const sent = Number(m.headers[SENT_AT]?.toString());
      return Number.isFinite(sent) ? sinceReported(m.timestamp, sent, since) : [];
    }, latencies);
    await sink.ready;
    const sample = reports(Math.round(rate * seconds), seed, 'live');
    await publishAtRate(producer, rate, seconds, (i) => ({
      topic: RAW_TOPICS[0]!,
      message: { ...sample[i]!.message(), headers: { [SENT_AT]: String(Date.now()) } },
    }));
    await waitForGroups(admin, groups, 120_000);
    await new Promise((r) => setTimeout(r, 1_500));
    await sink.stop();
    return latencies;
  };
  const calm = CALM_SECONDS > 0 ? await rawLatency(CALM_RATE, CALM_SECONDS, 7) : undefined;
  const latencies = await rawLatency(RATE, LATENCY_SECONDS, 2);
  say(`[raw chain] latency at ${RATE}/s over time, p50 / p99 (ms) of what was sent in each ${SLICE_SECONDS} s: ${overTime(latencies)}`);
  const rss = Object.fromEntries(hops.map((h, i) => [`raw-hop-${i}`, peakRssMb(h.child.pid)]));
  await Promise.all(hops.map((h) => h.stop()));
  return { eventsPerSecond, latency: summarise(latencies), steadyLatency: steady(latencies), calmLatency: calm && summarise(calm), peakRssMb: rss };
}

async function benchPipeline(kafka: Kafka, admin: Admin, producer: Producer, codecs: Codecs): Promise<PhaseResult> {
  say('\n[pipeline] starting ingest, enricher, correlator, dispatcher');
  const prefix = `vigie-bench-${run}:`;
  let pipeline: Pipeline | undefined;
  try {
    pipeline = await startPipeline({ ...pipelineOptions(prefix), services: servicesWith(CORRELATORS) });
    const groups: GroupInput[] = [
      { groupId: 'vigie-ingest', topics: FEED_COUNTRIES.map(feedTopic) },
      { groupId: 'vigie-enricher', topics: [TOPICS.validated] },
      { groupId: 'vigie-correlator', topics: [TOPICS.enriched] },
      { groupId: 'vigie-dispatcher', topics: [TOPICS.regionalAlerts] },
    ];
    await waitForGroups(admin, groups, 300_000);

    const accounting = await accountingMeter(pipeline.services);
    const payloads = reports(EVENTS, 3, 'history').map((r) => ({ topic: feedTopic(r.report.sourceCountry), message: r.message() }));
    // Where this run's history starts in the correlator's input: the replay rebuilds from here.
    const historyStart = await admin.fetchTopicOffsets(TOPICS.enriched);
    const orderFrom = await Promise.all([FEED_COUNTRIES.map(feedTopic), [TOPICS.validated], [TOPICS.enriched]].map((topics) => nextOffsets(admin, topics)));
    const deliveriesAtStart = await agencyMessages(admin);
    const cpu = cpuMeter(processesOf(pipeline));
    const started = Date.now();
    await publishAll(producer, chunksOf(payloads, HISTORY_CHUNK));
    const caughtUp = await groupCatchUpTimes(admin, groups, 1_800_000);
    const cpuPerEvent = cpu(EVENTS);
    const eventsPerSecond = EVENTS / ((Math.max(...caughtUp.values()) - started) / 1000);
    // A stage's rate counts from the start: it includes waiting for the stages before it.
    say(`[pipeline] throughput ${fmt(eventsPerSecond, 0)} events/s; each stage done with the stream at: ${groups.map((g) => `${g.groupId.replace('vigie-', '')} ${fmt(EVENTS / ((caughtUp.get(g.groupId)! - started) / 1000), 0)}/s`).join(', ')}`);
    say(`[pipeline] CPU per event: ${cpuPerEvent}`);
    // Read back after the measurement: where a report fell behind its partition's latest (incidents.late's causes).
    const [feeds, validated, enriched] = orderFrom as [Map<string, bigint>, Map<string, bigint>, Map<string, bigint>];
    const occurred = (value: Buffer): number => codecs.incidentReport.decode(value).occurredAt;
    const order = await orderBehind(kafka, [
      { name: 'feeds', from: feeds, occurredAt: occurred },
      { name: 'incidents.validated', from: validated, occurredAt: occurred },
      { name: 'incidents.enriched', from: enriched, occurredAt: (value) => codecs.enrichedIncident.decode(value).report.occurredAt },
    ], LATENESS ?? (correlatorConfigSpec.CORRELATOR_ALLOWED_LATENESS.defaultValue as string));
    say(`[pipeline] history order, how far a report was behind its partition's latest: ${order}`);

    const calm = CALM_SECONDS > 0 ? await pipelineLatency(kafka, admin, producer, codecs, pipeline, groups, CALM_RATE, CALM_SECONDS, 6) : undefined;
    const atRate = await pipelineLatency(kafka, admin, producer, codecs, pipeline, groups, RATE, LATENCY_SECONDS, 4);
    const latencies = atRate.latencies;
    const soaked = SOAK_SECONDS > 0 ? await soak(admin, producer, pipeline, groups, prefix) : 0;
    const rss = Object.fromEntries(pipeline.services.map((s, i) => [instanceLabel(pipeline!.services, i), peakRssMb(s.child.pid)]));
    say(`[pipeline] ${await accounting(EVENTS + (calm?.incidents ?? 0) + atRate.incidents + soaked)}`);
    await pipeline.stop();
    pipeline = undefined;

    const measured = { eventsPerSecond, latency: summarise(latencies), steadyLatency: steady(latencies), calmLatency: calm && summarise(calm.latencies), peakRssMb: rss };
    if (!REPLAY) return measured;
    const replay = await benchReplay(admin, historyStart, deliveriesAtStart, EVENTS + atRate.incidents + (calm?.incidents ?? 0) + soaked, prefix, () => startPipeline({ ...pipelineOptions(prefix), services: servicesWith(REPLAY_CORRELATORS) }).then((p) => (pipeline = p)));
    return { ...measured, replay };
  } finally {
    await pipeline?.stop();
    await deleteKeys(prefix);
  }
}

/**
 * Publishes live reports at `rate` for `seconds` and measures where the time goes: each stage's
 * output, stamped by its producer, against the report's reportedAt; the dispatcher's own hop per
 * alert version; and the CPU each process spent per report.
 */
async function pipelineLatency(kafka: Kafka, admin: Admin, producer: Producer, codecs: Codecs, pipeline: Pipeline, groups: readonly GroupInput[], rate: number, seconds: number, seed: number): Promise<{ latencies: LatencySample[]; incidents: number }> {
  // A member turns calm or busy from the rate it received over the last second: let the previous phase's pace pass.
  await new Promise((r) => setTimeout(r, 2_000));
  const sinkReaders = sinkReadersOf(codecs);
  const agencyTopics = (await admin.listTopics()).filter((t) => t.startsWith(agencyAlertTopic('')));
  const latencies: LatencySample[] = [];
  const since = Date.now();
  const volume = { versions: 0, deliveries: 0 };
  // The dispatcher's own hop: an alert version's publication on alerts.regional → on an agency topic.
  const publishedAt = new Map<string, number>();
  const deliveredAt: [version: string, at: number][] = [];
  const sink = readLatencies(kafka, agencyTopics, (m) => {
    const { alert } = sinkReaders.deliveries.decode(m.value as Buffer);
    if (alert.evaluatedAt >= since) volume.deliveries++;
    deliveredAt.push([`${alert.alertId}#${alert.version}`, m.timestamp]);
    return raisedByReport(alert) ? sinceReported(m.timestamp, alert.latestReportedAt, since) : [];
  }, latencies);
  const stageLatencies = { ingest: [] as LatencySample[], enricher: [] as LatencySample[], correlator: [] as LatencySample[] };
  const stageSinks = [
    readLatencies(kafka, [TOPICS.validated], (m) => sinceReported(m.timestamp, sinkReaders.validated.decode(m.value as Buffer).reportedAt, since), stageLatencies.ingest),
    readLatencies(kafka, [TOPICS.enriched], (m) => sinceReported(m.timestamp, sinkReaders.enriched.decode(m.value as Buffer).report.reportedAt, since), stageLatencies.enricher),
    readLatencies(kafka, [TOPICS.regionalAlerts], (m) => {
      const alert = sinkReaders.alerts.decode(m.value as Buffer);
      if (alert.evaluatedAt >= since) volume.versions++;
      publishedAt.set(`${alert.alertId}#${alert.version}`, m.timestamp);
      return raisedByReport(alert) ? sinceReported(m.timestamp, alert.latestReportedAt, since) : [];
    }, stageLatencies.correlator),
  ];
  await Promise.all([sink.ready, ...stageSinks.map((s) => s.ready)]);
  const sample = reports(Math.round(rate * seconds), seed, 'live');
  const cpuAtRate = cpuMeter(processesOf(pipeline));
  const batchesAtRate = await batchMeter(pipeline.services);
  await publishAtRate(producer, rate, seconds, (i) => ({ topic: feedTopic(sample[i]!.report.sourceCountry), message: sample[i]!.message() }));
  await waitForGroups(admin, groups, 300_000);
  say(`[pipeline] CPU per event at ${rate}/s: ${cpuAtRate(sample.length)}`);
  say(`[pipeline] batches at ${rate}/s, count × mean time: ${await batchesAtRate()}`);
  await new Promise((r) => setTimeout(r, 1_500));
  await Promise.all([sink.stop(), ...stageSinks.map((s) => s.stop())]);
  const dispatchHop = deliveredAt.flatMap(([version, at]) => (publishedAt.has(version) ? [{ sentAt: publishedAt.get(version)! - since, ms: at - publishedAt.get(version)! }] : []));
  const pair = (values: LatencySample[]): string => `${fmt(summarise(values).p50, 0)} / ${fmt(summarise(values).p99, 0)}`;
  say(`[pipeline] latency at ${rate}/s, p50 / p99 (ms) from reportedAt to each stage's output: ${Object.entries(stageLatencies).map(([stage, values]) => `${stage} ${pair(values)}`).join(', ')}, dispatcher ${pair(latencies)}; the dispatcher's hop alone ${pair(dispatchHop)}`);
  if (rate === RATE) say(`[pipeline] latency at ${rate}/s over time, p50 / p99 (ms) of the reports sent in each ${SLICE_SECONDS} s: ${overTime(latencies)}`);
  say(`[pipeline] at ${rate}/s: ${volume.versions} alert versions (${fmt(volume.versions / sample.length, 2)} per incident), ${volume.deliveries} deliveries (${fmt(volume.deliveries / sample.length, 2)} per incident)`);
  return { latencies, incidents: sample.length };
}

/**
 * Keeps the pipeline at the fixed rate for SOAK_SECONDS, sampling each service's RSS and the
 * groups' lag every 10 s: memory and lag should stay flat. Returns how many incidents it sent.
 */
async function soak(admin: Admin, producer: Producer, pipeline: Pipeline, groups: readonly GroupInput[], prefix: string): Promise<number> {
  say(`\n[soak] ${RATE}/s for ${SOAK_SECONDS} s`);
  const reportsPerSecond = reports(RATE, 5, 'live');
  const samples: { at: number; rss: number[]; heap: number[]; lag: number; redis: RedisFootprint }[] = [];
  const started = Date.now();
  const redis = createRedis(REDIS_URL);
  await redis.connect();
  const partitions = (await admin.fetchTopicOffsets(TOPICS.enriched)).map((o) => o.partition);
  const sampler = setInterval(() => {
    const rss = pipeline.services.map((svc) => rssMb(svc.child.pid));
    void Promise.all([groupsLag(admin, groups), redisFootprint(redis, prefix, partitions), Promise.all(pipeline.services.map((svc) => heapUsedMb(svc.url('/metrics'))))]).then(
      ([lag, footprint, heap]) => samples.push({ at: Date.now() - started, rss, heap, lag, redis: footprint }),
    );
  }, 10_000);
  const sent = await publishAtRate(producer, RATE, SOAK_SECONDS, (i) => {
    const r = reportsPerSecond[i % reportsPerSecond.length]!;
    return { topic: feedTopic(r.report.sourceCountry), message: r.message(Math.floor(i / reportsPerSecond.length) + 1) };
  });
  clearInterval(sampler);
  await waitForGroups(admin, groups, 300_000);
  await redis.quit();
  for (const sample of samples.filter((_, i) => i % 6 === 0 || i === samples.length - 1)) {
    const { usedMb, held, sealedBuckets } = sample.redis;
    say(
      `[soak] ${fmt(sample.at / 1000, 0).padStart(4)} s  lag ${String(sample.lag).padStart(6)}  RSS / heap used (MB) ${pipeline.services.map((svc, i) => `${svc.name} ${fmt(sample.rss[i]!, 0)} / ${fmt(sample.heap[i]!, 0)}`).join(', ')}` +
        `  Redis ${fmt(usedMb, 0)} MB (correlation: ${held} incidents held, ${sealedBuckets} sealed buckets)`,
    );
  }
  return sent;
}

interface RedisFootprint {
  readonly usedMb: number;
  /** Incident copies and sealed buckets in the correlation store. */
  readonly held: number;
  readonly sealedBuckets: number;
}

/** Redis's memory and the size of the correlation state, which the zones' detail limit must keep flat. */
async function redisFootprint(redis: ReturnType<typeof createRedis>, prefix: string, partitions: readonly number[]): Promise<RedisFootprint> {
  const pipeline = redis.pipeline();
  pipeline.info('memory');
  for (const p of partitions) pipeline.hlen(`${prefix}corr:{p${p}}:events`).hlen(`${prefix}corr:{p${p}}:sealed`);
  const replies = ((await pipeline.exec()) ?? []).map(([, value]) => value);
  const used = /used_memory:(\d+)/.exec(String(replies[0]))?.[1];
  const lengths = replies.slice(1).map(Number);
  return {
    usedMb: Number(used) / 1048576,
    held: lengths.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0),
    sealedBuckets: lengths.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0),
  };
}

/**
 * Rebuild after losing Redis: the pipeline's Redis state is deleted, the correlator's group is
 * moved back to where this run's history began in incidents.enriched, and the pipeline restarted;
 * timed from the services being ready until the correlator and the dispatcher (which receives the
 * re-emitted alert versions) have caught up.
 */
async function benchReplay(admin: Admin, historyStart: { partition: number; offset: string }[], deliveriesAtStart: number, incidents: number, prefix: string, restart: () => Promise<Pipeline>): Promise<{ incidents: number; seconds: number }> {
  const deliveriesBefore = await agencyMessages(admin);
  await deleteKeys(prefix);
  await admin.setOffsets({ groupId: 'vigie-correlator', topic: TOPICS.enriched, partitions: historyStart.map(({ partition, offset }) => ({ partition, offset })) });
  const ends = await admin.fetchTopicOffsets(TOPICS.enriched);
  const copies = ends.reduce((sum, p) => sum + Number(p.offset) - Number(historyStart.find((s) => s.partition === p.partition)?.offset ?? p.offset), 0);
  say(`\n[replay] Redis state deleted, correlator reset to this run's first enriched offsets: ${incidents} incidents (${copies} zone copies) to rebuild, by ${Math.max(1, REPLAY_CORRELATORS)} correlator instance(s)`);
  // The clock starts before the services do: a correlator consumes as soon as it has joined its
  // group, before the whole pipeline reports ready. Their CPU counts from their start, startup included.
  const started = Date.now();
  const shared = sharedProcesses();
  const sharedCpu = cpuMeter(shared);
  const pipeline = await restart();
  const upAfter = (Date.now() - started) / 1000;
  const groups: GroupInput[] = [
    { groupId: 'vigie-correlator', topics: [TOPICS.enriched] },
    { groupId: 'vigie-dispatcher', topics: [TOPICS.regionalAlerts] },
  ];
  const done = await waitForGroups(admin, groups, 3_600_000);
  const seconds = (done - started) / 1000;
  const late = await metricSum(pipeline.services, 'vigie_late_events_total');
  const servicesCpu = pipeline.services.map((svc, i) => `${instanceLabel(pipeline.services, i)} ${((cpuMs(svc.child.pid) * 1000) / incidents).toFixed(0)} µs`).join(', ');
  say(`[replay] rebuilt in ${fmt(seconds, 1)} s, the services' start included (all up after ${fmt(upAfter, 1)} s; ${fmt(incidents / seconds, 0)} incidents/s); CPU per incident (the services' from their start): ${servicesCpu}, ${sharedCpu(incidents)}`);
  say(`[replay] of the ${copies} zone copies, ${late} were again later than the allowed lateness (incidents.late), the other ${copies - late} went through correlation`);
  // The dispatcher restored its ledger from the agency topics: what the rebuild re-published is recognised, not delivered again.
  const dispatchers = pipeline.services.filter((svc) => svc.name === 'dispatcher');
  const versions = await metricSum(dispatchers, 'vigie_messages_consumed_total');
  const recognised = await metricSum(dispatchers, 'vigie_events_deduplicated_total');
  // 0 here: the bench's history was ingested minutes ago, well within DELIVERY_TTL_DAYS.
  const beyondReach = await metricSum(dispatchers, 'vigie_dispatcher_beyond_ledger_reach_total');
  const deliveredAgain = (await agencyMessages(admin)) - deliveriesBefore;
  say(
    `[replay] the dispatcher read ${versions} re-published alert versions, recognised ${recognised} as delivered (${beyondReach} of them held back as evaluated before the ledger's reach), ` +
      `and made ${deliveredAgain} deliveries (the run made ${deliveriesBefore - deliveriesAtStart} before the rebuild)`,
  );
  return { incidents, seconds };
}

/** Messages the agency topics hold (their end offsets, summed). */
async function agencyMessages(admin: Admin): Promise<number> {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(agencyAlertTopic('')));
  let total = 0;
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.offset);
  return total;
}

/** A service's name, numbered from its second instance (correlator, correlator-2). */
function instanceLabel(services: readonly { readonly name: string }[], i: number): string {
  const before = services.slice(0, i).filter((s) => s.name === services[i]!.name).length;
  return before > 0 ? `${services[i]!.name}-${before + 1}` : services[i]!.name;
}

const servicesWith = (correlators: number): ServiceName[] => ['ingest', 'enricher', ...Array.from({ length: Math.max(1, correlators) }, (): ServiceName => 'correlator'), 'dispatcher'];

/** The pipeline's services, then what shares the machine with them: their CPU is part of the bill. */
const processesOf = (pipeline: Pipeline): { name: string; pid: number | undefined }[] => [...pipeline.services.map((svc, i) => ({ name: instanceLabel(pipeline.services, i), pid: svc.child.pid })), ...sharedProcesses()];

/** The local stack's broker and Redis (when this run uses it), and this process: the load generator and the latency sinks. */
function sharedProcesses(): { name: string; pid: number | undefined }[] {
  const bench = { name: 'bench', pid: process.pid };
  if (process.env.KAFKA_BROKERS) return [bench];
  const state = process.env.VIGIE_STACK_STATE_DIR ?? join(ROOT, 'deploy/local/.state');
  const pidIn = (file: string): number | undefined => {
    try {
      return Number(readFileSync(join(state, file), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  };
  return [{ name: 'broker', pid: pidIn('kafka.pid') }, { name: 'redis', pid: pidIn('redis.pid') }, bench].filter((p) => p.pid !== undefined);
}

function pipelineOptions(prefix: string): Parameters<typeof startPipeline>[0] {
  return {
    env: {
      KAFKA_BROKERS: BROKERS.join(','), REDIS_URL, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn',
      ...(LATENESS ? { CORRELATOR_ALLOWED_LATENESS: LATENESS } : {}),
    },
    nodeFlags: SERVICE_FLAGS,
    logDir: join(ROOT, 'tmp', 'bench-logs'),
  };
}

function startHop(from: string, to: string, groupId: string): { child: ChildProcess; ready: Promise<void>; stop: () => Promise<void> } {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'tools/register.js'), join(__dirname, 'raw-hop.ts'), from, to, groupId], {
    env: { ...process.env, KAFKA_BROKERS: BROKERS.join(',') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((done) => child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && done()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { child, ready, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

/** What the latency sinks read of an alert version. */
type SinkAlert = Pick<RegionalAlert, 'alertId' | 'version' | 'status' | 'level' | 'previousLevel' | 'evaluatedAt' | 'latestReportedAt'> & { rule: Pick<RegionalAlert['rule'], 'kind'> };
const SINK_ALERT_FIELDS = { alertId: true, version: true, status: true, level: true, previousLevel: true, evaluatedAt: true, latestReportedAt: true, rule: { kind: true } } as const;

/** The sinks decode only the fields they sample: the bench shares the cores it measures. */
function sinkReadersOf(codecs: Codecs) {
  return {
    validated: codecs.incidentReport.select<Pick<IncidentReport, 'reportedAt'>>({ reportedAt: true }),
    enriched: codecs.enrichedIncident.select<{ report: Pick<IncidentReport, 'reportedAt'> }>({ report: { reportedAt: true } }),
    alerts: codecs.regionalAlert.select<SinkAlert>(SINK_ALERT_FIELDS),
    deliveries: codecs.alertDelivery.select<{ alert: SinkAlert }>({ alert: SINK_ALERT_FIELDS }),
  };
}

/** A sink reading from the end of `topics`, turning each message into latency samples. */
function readLatencies(kafka: Kafka, topics: readonly string[], sample: (m: { headers: Record<string, Buffer | string | undefined>; value: Buffer | null; timestamp: number }) => LatencySample[], into: LatencySample[]) {
  const abort = new AbortController();
  let joined!: () => void;
  const ready = new Promise<void>((done) => (joined = done));
  const reading = readTopics(kafka, {
    topics,
    fromBeginning: false,
    signal: abort.signal,
    onJoined: () => joined(),
    // Samples come from the messages' own timestamps, so the sink may read late: large, rare
    // fetches keep the observer from loading the broker and the cores it measures.
    fetch: { minBytes: 256 * 1024, maxWaitMs: 200 },
    onMessage: (m) => void into.push(...sample(m as never)),
  });
  return { ready, stop: () => { abort.abort(); return reading; } };
}

/**
 * An alert version the newest report caused: it fired or rose a level (only arrivals raise scores;
 * the clock lowers them, or raises a silent feed's). Versions the clock made — a level falling
 * after its dwell, a resolution — carry an older newest report and say nothing about speed.
 */
function raisedByReport(alert: SinkAlert): boolean {
  if (alert.rule.kind === 'silent-feed') return false;
  return alert.status === 'FIRING' || (alert.previousLevel !== null && ALERT_LEVELS.indexOf(alert.level) > ALERT_LEVELS.indexOf(alert.previousLevel));
}

/** One latency: of what was sent `sentAt` ms into the phase, published `ms` later. */
interface LatencySample {
  readonly sentAt: number;
  readonly ms: number;
}

/** A sample when the output is of this phase (its report was sent after `since`): publication time − reportedAt. */
function sinceReported(publishedAt: number, reportedAt: number, since: number): LatencySample[] {
  return reportedAt >= since ? [{ sentAt: reportedAt - since, ms: publishedAt - reportedAt }] : [];
}

function summarise(latencies: readonly LatencySample[]): PhaseResult['latency'] {
  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), count: sorted.length };
}

/**
 * The quantiles of each slice of the phase, by send time. The pipeline's samples are the alert
 * versions reports raised, most of them when a flood begins and zones first fire: the first
 * slice is the pipeline meeting the flood, the later ones its steady state.
 */
const SLICE_SECONDS = 5;
function overTime(latencies: readonly LatencySample[]): string {
  const slices: LatencySample[][] = [];
  for (const l of latencies) (slices[Math.floor(l.sentAt / (SLICE_SECONDS * 1000))] ??= []).push(l);
  return [...slices.entries()]
    .map(([i, slice = []]) => {
      const { p50, p99, count } = summarise(slice);
      return `${i * SLICE_SECONDS}–${(i + 1) * SLICE_SECONDS} s ${count ? `${fmt(p50, 0)} / ${fmt(p99, 0)}` : '–'} (${count})`;
    })
    .join(', ');
}

/** The latencies of what was sent after the first slice. */
const steady = (latencies: readonly LatencySample[]): PhaseResult['latency'] => summarise(latencies.filter((l) => l.sentAt >= SLICE_SECONDS * 1000));

async function deleteKeys(prefix: string): Promise<void> {
  const redis = createRedis(REDIS_URL);
  await redis.connect();
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
}

const fmt = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
