/**
 * The correlator's guarantees on the real broker and Redis, with real processes: the alert
 * versions of an uninterrupted run are the reference, and the same stream (published again under
 * another run tag, with its own Redis state) must give exactly those versions when the correlator
 * is SIGKILLed mid-stream and restarted, when it scales from one instance to two and back, and
 * the same final alerts when the stream arrives out of order within the allowed lateness.
 * Incidents beyond the lateness must land in incidents.late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, type RegionalAlert } from '@vigie/contracts';
import { SMALL_ALERT } from '@vigie/correlation';
import { createKafka } from '@vigie/kafka';
import { createPrng } from '@vigie/runtime';
import { stopService, type ServiceProcess } from '@vigie/testing';
import {
  comparable,
  distinctVersions,
  endOffsets,
  incidentStream,
  lateCopies,
  logDirFor,
  publish,
  readBetween,
  runTag,
  startCorrelator,
  waitCaughtUp,
  type Copy,
} from './correlator-harness';

const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','), clientId: `fault-${runTag()}`, ssl: false });
const logDir = logDirFor('correlator');
const running = new Set<ServiceProcess>();

const start = async (prefix: string, instance: string): Promise<ServiceProcess> => {
  const service = await startCorrelator(prefix, logDir, instance);
  running.add(service);
  return service;
};
const stop = async (service: ServiceProcess): Promise<void> => {
  expect(await stopService(service)).toBe(0);
  running.delete(service);
};
const kill = async (service: ServiceProcess): Promise<void> => {
  service.child.kill('SIGKILL');
  await service.exited;
  running.delete(service);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const thirds = <T>(items: readonly T[]): T[][] => [items.slice(0, items.length / 3), items.slice(items.length / 3, (2 * items.length) / 3), items.slice((2 * items.length) / 3)];

/** Publishes a stream while `during` runs the faults, then returns the versions the run published. */
async function run(tag: string, during: (prefix: string) => Promise<void>): Promise<RegionalAlert[]> {
  const from = await endOffsets(kafka, TOPICS.regionalAlerts);
  await during(`vigie-fault-${tag}:`);
  const to = await endOffsets(kafka, TOPICS.regionalAlerts);
  return comparable(await readBetween(kafka, TOPICS.regionalAlerts, from, to), tag);
}

describe('correlator faults on the real stack', () => {
  let reference: RegionalAlert[];

  beforeAll(async () => {
    // Whatever earlier runs left unconsumed is drained into a throw-away state first.
    const drain = await start(`vigie-fault-drain-${runTag()}:`, 'drain');
    await waitCaughtUp(kafka);
    await stop(drain);
    const tag = runTag();
    reference = distinctVersions(
      await run(tag, async (prefix) => {
        const correlator = await start(prefix, 'reference');
        await publish(kafka, incidentStream(tag));
        await waitCaughtUp(kafka);
        await stop(correlator);
      }),
    );
    expect(reference.length).toBeGreaterThan(20);
  }, 300_000);

  afterAll(async () => {
    for (const service of running) service.child.kill('SIGKILL');
  });

  it('publishes exactly the reference versions when SIGKILLed mid-stream and restarted, again and again', async () => {
    const tag = runTag();
    let published = 0;
    const versions = await run(tag, async (prefix) => {
      let correlator = await start(prefix, 'killed-0');
      for (const [n, chunk] of thirds(incidentStream(tag)).entries()) {
        await publish(kafka, chunk);
        // Killed while it works through the chunk: its Redis commits and its Kafka outputs part ways.
        await sleep(150 + 100 * n);
        await kill(correlator);
        correlator = await start(prefix, `killed-${n + 1}`);
      }
      await waitCaughtUp(kafka);
      await stop(correlator);
    });
    published = versions.length;
    expect(distinctVersions(versions)).toEqual(reference);
    // At-least-once: a replay may publish a version again (the same one), never fewer.
    expect(published).toBeGreaterThanOrEqual(reference.length);
  }, 300_000);

  it('publishes exactly the reference versions when scaled from one instance to two and back mid-stream', async () => {
    const tag = runTag();
    const versions = await run(tag, async (prefix) => {
      const [first, second, last] = thirds(incidentStream(tag));
      const one = await start(prefix, 'scale-a');
      await publish(kafka, first as Copy[]);
      const two = await start(prefix, 'scale-b'); // rebalance: partitions move to the new instance
      await publish(kafka, second as Copy[]);
      await stop(one); // rebalance: everything back on the second instance
      await publish(kafka, last as Copy[]);
      await waitCaughtUp(kafka);
      await stop(two);
    });
    expect(distinctVersions(versions)).toEqual(reference);
  }, 300_000);

  it('ends with the same alerts when the stream arrives out of order within the allowed lateness', async () => {
    const tag = runTag();
    const versions = await run(tag, async (prefix) => {
      const correlator = await start(prefix, 'shuffled');
      await publish(kafka, createPrng(7).shuffle(incidentStream(tag)));
      await waitCaughtUp(kafka);
      await stop(correlator);
    });
    const last = (alerts: readonly RegionalAlert[]) => {
      const out = new Map<string, RegionalAlert>();
      for (const a of distinctVersions(alerts)) if (!a.alertId.startsWith('silent-feed:')) out.set(a.alertId, a);
      return out;
    };
    // Silent feeds are about arrival order itself: shuffling arrivals changes them by design.
    const expected = last(reference);
    const actual = last(versions);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    const active = (a: RegionalAlert) => a.status === 'FIRING' || a.status === 'UPDATED';
    // Whether an episode was first published as FIRING or carried on as UPDATED depends on when its
    // evidence arrived; that it is on, at which level, from which countries, at which TLP, does not.
    // An end keeps the TLP, source countries and originators of the version it ends, which arrival
    // order shapes (the evidence in the window when that version was computed).
    const kept = 'kept from the alert it ends';
    const gist = (a: RegionalAlert | undefined) =>
      a && { on: active(a), status: active(a) ? 'active' : a.status, level: a.level, countries: active(a) ? a.distinctSourceCountries : kept, tlp: active(a) ? a.tlp : kept };
    for (const [id, alert] of expected) {
      expect(gist(actual.get(id)), id).toEqual(gist(alert));
      // An ended alert says where and with what evidence it ended, in full; an active one says it as
      // of when it was last computed.
      if (!active(alert) && alert.contributingEventIds.length < SMALL_ALERT) {
        const ended = (a: RegionalAlert | undefined) => a && { ...a, version: 0, previousLevel: null, tlp: kept, distinctSourceCountries: kept, sourceAgencies: kept, releasableTo: kept };
        expect(ended(actual.get(id)), id).toEqual(ended(alert));
      }
    }
  }, 300_000);

  it('routes incidents beyond the allowed lateness to incidents.late, and counts them', async () => {
    const tag = runTag();
    const lateTag = runTag();
    const late = lateCopies(lateTag, 8 * 24, 20); // 8 days before the stream: past the 7-day lateness
    const from = await endOffsets(kafka, TOPICS.late);
    let metrics = '';
    await run(tag, async (prefix) => {
      const correlator = await start(prefix, 'late');
      await publish(kafka, incidentStream(tag).slice(-60)); // the watermark: the stream's last day
      await publish(kafka, late);
      await waitCaughtUp(kafka);
      metrics = await (await fetch(correlator.url('/metrics'))).text();
      await stop(correlator);
    });
    const routed = await readBetween(kafka, TOPICS.late, from, await endOffsets(kafka, TOPICS.late));
    expect(routed.map((m) => m.key?.toString()).sort()).toEqual(late.map((c) => c.key).sort());
    expect(routed.every((m) => m.value?.includes(lateTag))).toBe(true);
    expect(Number(/^vigie_late_events_total\{[^}]*\} (\d+)$/m.exec(metrics)?.[1])).toBe(late.length);
  }, 300_000);
});
