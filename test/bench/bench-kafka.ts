import { readFileSync } from 'node:fs';
import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import { parseDuration } from '@vigie/correlation';
import { followTopics } from '@vigie/kafka';
import { FEED_OUTCOMES } from '@vigie/observability';

export interface GroupInput {
  readonly groupId: string;
  readonly topics: readonly string[];
}

export function benchProducer(kafka: Kafka): Producer {
  return kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 5, createPartitioner: Partitioners.DefaultPartitioner });
}

/** Messages for several topics, sent in one produce request. */
export type Chunk = readonly { topic: string; messages: Message[] }[];

/**
 * Splits messages, in the order given, into chunks of `size`: a history published in time order
 * stays in time order, whatever topics its messages go to, up to the `inFlight` chunks of publishAll.
 */
export function chunksOf(items: readonly { topic: string; message: Message }[], size: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < items.length; start += size) {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of items.slice(start, start + size)) {
      const list = byTopic.get(topic);
      if (list) list.push(message);
      else byTopic.set(topic, [message]);
    }
    chunks.push([...byTopic].map(([topic, messages]) => ({ topic, messages })));
  }
  return chunks;
}

/** Publishes as fast as the broker acknowledges: one produce request per chunk, `inFlight` at a time, in order. */
export async function publishAll(producer: Producer, chunks: readonly Chunk[], inFlight = 4): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      await producer.sendBatch({ topicMessages: [...chunk], acks: -1 });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/**
 * Publishes `rate` messages per second for `seconds`, in 10 ms ticks; `make` builds each message
 * at send time. A tick's messages go in one produce request whatever their topics, as a Java
 * producer with linger.ms=10 would send them (kafkajs's `send` makes a request per topic).
 */
export async function publishAtRate(producer: Producer, rate: number, seconds: number, make: (i: number) => { topic: string; message: Message }): Promise<number> {
  const tickMs = 10;
  const total = Math.round(rate * seconds);
  const start = Date.now();
  let sent = 0;
  const pending: Promise<unknown>[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * rate) + 1);
    const byTopic = new Map<string, Message[]>();
    for (; sent < due; sent++) {
      const { topic, message } = make(sent);
      const list = byTopic.get(topic);
      if (list) list.push(message);
      else byTopic.set(topic, [message]);
    }
    pending.push(producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), acks: -1 }));
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(pending);
  return total;
}

/**
 * Warms a broker JVM that has just started: it still compiles its hot paths, so the first phase
 * measured (the raw chain) would pay for that and the next would not. In three alternating pairs
 * on a freshly started broker, the raw chain's broker CPU per event was 24–39 µs warmed against
 * 36–65 µs cold. Messages through a scratch topic, in small produce requests, read back by a
 * throwaway group; neither side's own processes are warmed.
 */
export async function warmBroker(kafka: Kafka, admin: Admin, producer: Producer, topic: string, messages: readonly Message[]): Promise<void> {
  const groupId = `${topic}-${Date.now().toString(36)}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachBatch: async () => {} });
  await publishAll(producer, chunksOf(messages.map((message) => ({ topic, message })), 100));
  await waitForGroups(admin, [{ groupId, topics: [topic] }], 120_000);
  await consumer.disconnect();
  await admin.deleteGroups([groupId]).catch(() => {});
}

/** Total messages the groups have yet to commit on their input topics. */
export async function groupsLag(admin: Admin, groups: readonly GroupInput[]): Promise<number> {
  let lag = 0;
  for (const group of groups) {
    for (const topic of group.topics) {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group.groupId, topics: [topic] })]);
      const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      for (const p of ends) {
        const at = done.get(p.partition) ?? -1n;
        const high = BigInt(p.high);
        lag += Number(at < 0n ? high - BigInt(p.low) : high - at);
      }
    }
  }
  return lag;
}

/** Waits until every group has committed everything; returns when (epoch ms) each one first got there. */
export async function groupCatchUpTimes(admin: Admin, groups: readonly GroupInput[], timeoutMs: number, pollMs = 100): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, number>();
  while (done.size < groups.length) {
    for (const group of groups) {
      if (!done.has(group.groupId) && (await groupsLag(admin, [group])) === 0) done.set(group.groupId, Date.now());
    }
    if (done.size === groups.length) break;
    if (Date.now() > deadline) throw new Error(`consumer groups not caught up after ${timeoutMs} ms: ${groups.filter((g) => !done.has(g.groupId)).map((g) => g.groupId).join(', ')}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return done;
}

/** Waits until the groups have committed everything; returns when (epoch ms) lag reached zero. */
export async function waitForGroups(admin: Admin, groups: readonly GroupInput[], timeoutMs: number, pollMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lag = await groupsLag(admin, groups);
    if (lag === 0) return Date.now();
    if (Date.now() > deadline) throw new Error(`consumer groups still ${lag} messages behind after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Peak resident set size of a process (VmHWM), in MB. */
export function peakRssMb(pid: number | undefined): number {
  return procStatusMb(pid, 'VmHWM');
}

/** Current resident set size of a process (VmRSS), in MB. */
export function rssMb(pid: number | undefined): number {
  return procStatusMb(pid, 'VmRSS');
}

/** A service's live V8 heap (prom-client's nodejs_heap_size_used_bytes on its /metrics), in MB; NaN when unreadable. */
export async function heapUsedMb(metricsUrl: string): Promise<number> {
  try {
    const bytes = (await scrapeSums(metricsUrl, ['nodejs_heap_size_used_bytes']))[0]!;
    // Always exported while the service runs: 0 means the page was something else.
    return bytes > 0 ? bytes / 1048576 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A metric on a /metrics page, optionally only its series with this label value. */
type Series = string | { readonly name: string; readonly label: string; readonly value: string };

/** Each series' value on a /metrics page, summed over its label sets (0 when absent). */
async function scrapeSums(metricsUrl: string, series: readonly Series[]): Promise<number[]> {
  const lines = (await (await fetch(metricsUrl)).text()).split('\n');
  return series.map((wanted) => {
    const name = typeof wanted === 'string' ? wanted : wanted.name;
    const label = typeof wanted === 'string' ? null : `${wanted.label}="${wanted.value}"`;
    let sum = 0;
    for (const line of lines) {
      if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
      if (label && !line.slice(name.length, line.lastIndexOf(' ')).includes(label)) continue;
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  });
}

type MetricsService = { readonly name: string; url(path: string): string };

/** A metric summed over the services' /metrics pages (NaN when one does not answer). */
export async function metricSum(services: readonly MetricsService[], name: string): Promise<number> {
  const values = await Promise.all(services.map((s) => scrapeSums(s.url('/metrics'), [name]).then(([v]) => v!, () => Number.NaN)));
  return values.reduce((sum, v) => sum + v, 0);
}

/**
 * Starts counting the series on each service's /metrics; the function returned gives, per service,
 * how much each grew since (NaN for a page that could not be read then).
 */
async function metricsMeter(services: readonly MetricsService[], series: readonly Series[]): Promise<() => Promise<number[][]>> {
  const scrape = () => Promise.all(services.map((s) => scrapeSums(s.url('/metrics'), series).catch(() => series.map(() => Number.NaN))));
  const before = await scrape();
  return async () => (await scrape()).map((values, i) => values.map((v, k) => v - before[i]![k]!));
}

/**
 * Starts counting what ingest made of the feeds' reports (accepted, rejected, duplicate) and the
 * dead letters of every service; the function returned says, since, whether each report sent is
 * accounted for.
 */
export async function accountingMeter(services: readonly MetricsService[]): Promise<(sent: number) => Promise<string>> {
  const grown = await metricsMeter(services, [...FEED_OUTCOMES.map((value) => ({ name: 'vigie_feed_reports_total', label: 'outcome', value })), 'vigie_dead_letters_total', 'vigie_late_events_total']);
  return async (sent) => {
    const perService = await grown();
    const [accepted, rejected, duplicate, deadLetters, late] = perService[0]!.map((_, k) => perService.reduce((sum, values) => sum + values[k]!, 0)) as [number, number, number, number, number];
    if ([accepted, rejected, duplicate, deadLetters, late].some(Number.isNaN)) return `${sent} reports sent; accounting unreadable (a /metrics page did not answer)`;
    const counted = accepted + rejected + duplicate;
    // Every report leaves ingest in exactly one of its three outcomes; a dead letter downstream is a report lost to the alerts.
    const verdict =
      counted === sent && deadLetters === 0
        ? 'every report accounted for'
        : `NOT ACCOUNTED FOR: ${sent - counted} reports missing at ingest (a negative count: counted twice), ${deadLetters} dead letters`;
    // Late copies are accounted for (routed to incidents.late), but not correlated: a bench whose history arrives out of order measures little correlation.
    return `${sent} reports sent; ingest accepted ${accepted}, rejected ${rejected}, duplicates ${duplicate}; dead letters ${deadLetters}: ${verdict}; ${late} incident copies later than the allowed lateness, routed to incidents.late`;
  };
}

/**
 * Starts counting the services' batches; the function returned says, per service since, how many
 * batches it handled and their mean duration (outputs acknowledged included), with its Redis round
 * trips and theirs: where a stage's hop goes once its fetch returned.
 */
export async function batchMeter(services: readonly MetricsService[]): Promise<() => Promise<string>> {
  const grown = await metricsMeter(services, [
    'vigie_batch_processing_duration_seconds_sum',
    'vigie_batch_processing_duration_seconds_count',
    'vigie_redis_roundtrip_duration_seconds_sum',
    'vigie_redis_roundtrip_duration_seconds_count',
  ]);
  return async () => {
    const perService = await grown();
    const mean = (sum: number, n: number): string => (n > 0 ? ((sum / n) * 1000).toFixed(1) : '–');
    return services
      .map((s, i) => {
        const [batchSum, batches, redisSum, trips] = perService[i] as [number, number, number, number];
        return `${s.name} ${batches} × ${mean(batchSum, batches)} ms (Redis ${trips} × ${mean(redisSum, trips)} ms)`;
      })
      .join(', ');
  };
}

function procStatusMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  if (!pid) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Starts counting the processes' CPU; the function returned says what each spent per event since ("name N µs, …"). */
export function cpuMeter(processes: readonly { readonly name: string; readonly pid: number | undefined }[]): (events: number) => string {
  const before = processes.map((p) => cpuMs(p.pid));
  return (events) => processes.map((p, i) => `${p.name} ${(((cpuMs(p.pid) - before[i]!) * 1000) / events).toFixed(0)} µs`).join(', ');
}

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A set of topics whose order the bench reads back: from the offsets before a phase, to their end. */
export interface OrderedTopics {
  readonly name: string;
  readonly from: ReadonlyMap<string, bigint>;
  /** When the record's report occurred (epoch ms). */
  readonly occurredAt: (value: Buffer) => number;
}

/** `topic/partition` → the offset the next record will get: where a phase's records will start. */
export async function nextOffsets(admin: Admin, topics: readonly string[]): Promise<Map<string, bigint>> {
  const next = new Map<string, bigint>();
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) next.set(`${topic}/${p.partition}`, BigInt(p.high));
  return next;
}

/**
 * How far behind its partition's latest a report was, read back on each set of topics: where
 * publication order was lost on the way, when the correlator found copies later than its allowed
 * lateness (`lateness`, as CORRELATOR_ALLOWED_LATENESS says it). Prints, for instance,
 * "feeds worst 2.7 d (0 beyond 7d), incidents.validated worst 3.6 d (0 beyond 7d), …".
 */
export async function orderBehind(kafka: Kafka, sets: readonly OrderedTopics[], lateness: string): Promise<string> {
  const latenessMs = parseDuration(lateness, 'lateness');
  const tally = sets.map(() => ({ worst: 0, beyond: 0, unreadable: 0 }));
  // Which set a record's topic belongs to; every set read in one pass (one reader, one group join).
  const setOf = new Map<string, number>();
  sets.forEach((set, i) => {
    for (const key of set.from.keys()) setOf.set(key.slice(0, key.lastIndexOf('/')), i);
  });
  const latest = new Map<string, number>();
  const abort = new AbortController();
  await followTopics(kafka, {
    topics: [...setOf.keys()],
    startAt: new Map(sets.flatMap((set) => [...set.from])),
    signal: abort.signal,
    onCaughtUp: () => abort.abort(),
    onMessage: (m) => {
      const i = setOf.get(m.topic) as number;
      const counts = tally[i]!;
      let at: number;
      try {
        at = sets[i]!.occurredAt(m.value as Buffer);
      } catch {
        counts.unreadable++; // a handler that threw would be handed the record again, forever
        return;
      }
      const key = `${m.topic}/${m.partition}`;
      const max = Math.max(latest.get(key) ?? at, at);
      latest.set(key, max);
      counts.worst = Math.max(counts.worst, max - at);
      if (max - at > latenessMs) counts.beyond++;
    },
  });
  return sets
    .map((set, i) => {
      const { worst, beyond, unreadable } = tally[i]!;
      return `${set.name} worst ${(worst / 86_400_000).toFixed(1)} d (${beyond} beyond ${lateness}${unreadable ? `, ${unreadable} unreadable` : ''})`;
    })
    .join(', ');
}
