import { randomBytes } from 'node:crypto';
import { HEADERS, createCodecs, type RegionalAlert, type Silence } from '@vigie/contracts';
import { BatchProducer, createKafka, headerText, readTopicsSince, readTopicsToEnd, type StructuredLogger } from '@vigie/kafka';
import { DEFAULT_REDACTION, controlStateOf, sampleRegionalAlert } from '@vigie/sharing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitUntil } from '@vigie/runtime';
import { SILENCE_CLOCK_SLACK_MS } from '@vigie/sharing';
import { SilenceReleaser } from './silence-release';

const MIN = 60_000;

describe('SilenceReleaser on a real broker', () => {
  const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'silence-release-int-spec', ssl: false });
  const codecs = createCodecs();
  const run = randomBytes(3).toString('hex');
  const admin = kafka.admin();
  const publisher = kafka.producer();
  const producer = new BatchProducer(kafka);
  const created: string[] = [];

  beforeAll(async () => {
    await Promise.all([admin.connect(), publisher.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: created }).catch(() => {});
    await Promise.all([admin.disconnect(), publisher.disconnect(), producer.disconnect()]);
  });

  /** Private stand-ins for alerts.regional and alerts.released, so that nothing else on the stack is read or released. */
  const newTopics = async (name: string): Promise<{ alerts: string; released: string }> => {
    const topics = { alerts: `silence-release-${run}.${name}.regional`, released: `silence-release-${run}.${name}.released` };
    await admin.createTopics({ topics: [{ topic: topics.alerts, numPartitions: 3 }, { topic: topics.released, numPartitions: 2 }] });
    created.push(topics.alerts, topics.released);
    // Not waitForLeaders: a broker busy after startup can answer its metadata request before it knows the topics, and kafkajs gives up.
    await waitUntil(async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: [topics.alerts, topics.released] }).catch(() => undefined);
      return metadata?.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)) ?? false;
    }, 'leaders for the new topics');
    return topics;
  };

  /**
   * Versions as the correlator publishes them: keyed by alert, stamped when evaluated, with the
   * arrival watermark they were evaluated at (a second before, unless `watermarks` says otherwise).
   */
  const publish = (topic: string, versions: RegionalAlert[], watermarks = new Map<RegionalAlert, number>()) =>
    publisher.send({
      topic,
      messages: versions.map((a) => ({
        key: a.alertId,
        value: codecs.regionalAlert.encode(a),
        timestamp: String(a.evaluatedAt),
        headers: { [HEADERS.arrivalWatermark]: String(watermarks.get(a) ?? a.evaluatedAt - 1000) },
      })),
    });

  const version = (name: string, v: number, ruleId: string, country: string, evaluatedAt: number): RegionalAlert =>
    sampleRegionalAlert({ alertId: `${run}-${name}`, version: v, rule: { id: ruleId, kind: 'threshold' }, zone: { kind: 'COUNTRY', id: country, name: country, countries: [country] }, evaluatedAt });

  const silence = (name: string, over: Partial<Silence>): Silence => ({ silenceId: `${run}-${name}`, zone: null, ruleId: null, startsAt: 0, endsAt: 0, comment: 'test', ...over });

  /** A releaser over these silences whose reads of the alert topic are counted (`since` of each); `failFirst` makes the first read throw. */
  const newReleaser = (topics: { alerts: string; released: string }, silences: Silence[], failFirst = false, retryMs = 60_000) => {
    const reads: number[] = [];
    const logged: { msg: string; fields: Record<string, unknown> }[] = [];
    const log: StructuredLogger = { debug: () => {}, warn: () => {}, info: (msg, fields = {}) => logged.push({ msg, fields }), error: (msg, fields = {}) => logged.push({ msg, fields }) };
    const view = { state: controlStateOf({ agencies: [], subscriptions: [] }, { communities: [], agreements: [], redaction: DEFAULT_REDACTION }, { silences }), onChange: () => {} };
    const read: typeof readTopicsSince = async (...args) => {
      reads.push(args[2]);
      if (failFirst && reads.length === 1) throw new Error('broker unreachable (test)');
      return readTopicsSince(...args);
    };
    const releaser = new SilenceReleaser(kafka, codecs, view, producer, log, { lookbackMs: 60 * MIN, ledgerReachMs: 30 * 24 * 60 * MIN, topics, read, retryMs });
    return { releaser, reads, logged };
  };

  const releasedOn = async (topic: string, withWatermark = false): Promise<string[]> => {
    const out: string[] = [];
    await readTopicsToEnd(kafka, [topic], (m) => {
      const alert = codecs.regionalAlert.decode(m.value as Buffer);
      expect(String(m.key)).toBe(alert.alertId);
      const watermark = withWatermark ? ` watermark ${headerText(m, HEADERS.arrivalWatermark) ?? 'none'}` : '';
      out.push(`${alert.alertId.slice(run.length + 1)}@${alert.version}${watermark}`);
    });
    return out.sort();
  };

  it('releases the silences that ended before the start with one read, each alert once at its latest version', async () => {
    const topics = await newTopics('startup');
    const now = Date.now();
    // A silences rule r1 from 40 min ago; B silences The Gambia from 20 min ago; both ended 2 min ago.
    const a = silence('a', { ruleId: `r1-${run}`, startsAt: now - 40 * MIN, endsAt: now - 2 * MIN });
    const b = silence('b', { zone: 'COUNTRY:GM', startsAt: now - 20 * MIN, endsAt: now - 2 * MIN });
    // Re-published by a rebuild while A was on: evaluated again (now), at the watermark of 60 days ago.
    const rebuilt = version('rebuilt', 1, `r1-${run}`, 'ML', now - 3 * MIN);
    const rebuiltWatermark = now - 60 * 24 * 60 * MIN;
    await publish(topics.alerts, [rebuilt], new Map([[rebuilt, rebuiltWatermark]]));
    await publish(topics.alerts, [
      version('only-a', 1, `r1-${run}`, 'ML', now - 35 * MIN),
      version('both', 1, `r1-${run}`, 'GM', now - 30 * MIN),
      version('only-a', 2, `r1-${run}`, 'ML', now - 30 * MIN),
      // In B's zone, but evaluated before B began (by more than the clock slack): B never held it, though the shared read starts before.
      version('gm-early', 1, `r2-${run}`, 'GM', now - 26 * MIN),
      version('only-b', 1, `r2-${run}`, 'GM', now - 15 * MIN),
      version('both', 2, `r1-${run}`, 'GM', now - 15 * MIN),
      version('only-b', 2, `r2-${run}`, 'GM', now - 10 * MIN),
      version('neither', 1, `r2-${run}`, 'ML', now - 10 * MIN),
      version('both', 3, `r1-${run}`, 'GM', now - 5 * MIN),
    ]);

    const { releaser, reads, logged } = newReleaser(topics, [a, b]);
    releaser.start();
    await waitUntil(() => logged.length === 2, 'two releases logged');
    await releaser.stop();

    expect(reads).toEqual([a.startsAt - SILENCE_CLOCK_SLACK_MS]);
    // What the silences held goes out as news (no watermark: its first delivery is this one); the
    // rebuild's version keeps its watermark, by which the stage holds it back beyond its ledger's reach.
    expect(await releasedOn(topics.released, true)).toEqual(['both@3 watermark none', 'only-a@2 watermark none', 'only-b@2 watermark none', `rebuilt@1 watermark ${rebuiltWatermark}`]);
    expect(logged).toEqual([
      { msg: 'silence released', fields: { silenceId: a.silenceId, why: 'ended before this instance started', alerts: 3, batch: 2 } },
      { msg: 'silence released', fields: { silenceId: b.silenceId, why: 'ended before this instance started', alerts: 2, batch: 2 } },
    ]);
  });

  it('releases silences that end at the same instant together, and a failed batch again, whole, with the next one', async () => {
    const topics = await newTopics('timer');
    const published = Date.now();
    await publish(topics.alerts, [version('c1', 1, `r3-${run}`, 'ML', published - MIN), version('d1', 1, `r4-${run}`, 'ML', published - MIN), version('e1', 1, `r5-${run}`, 'ML', published - MIN)]);
    // The ends are set once the setup is done, and far enough apart that a slow machine keeps them apart.
    const now = Date.now();
    const endsSoon = now + 2_000;
    const c = silence('c', { ruleId: `r3-${run}`, startsAt: now - 10 * MIN, endsAt: endsSoon });
    const d = silence('d', { ruleId: `r4-${run}`, startsAt: now - 20 * MIN, endsAt: endsSoon });
    const e = silence('e', { ruleId: `r5-${run}`, startsAt: now - 5 * MIN, endsAt: endsSoon + 5_000 });

    // The first read (c and d, when they end) fails; when e ends, c and d are released with it.
    const { releaser, reads, logged } = newReleaser(topics, [c, d, e], true);
    releaser.start();
    await waitUntil(() => logged.length === 4, 'four releases logged');
    await releaser.stop();

    expect(reads).toEqual([d.startsAt - SILENCE_CLOCK_SLACK_MS, d.startsAt - SILENCE_CLOCK_SLACK_MS]);
    expect(logged[0]).toEqual({ msg: 'silence release failed; tried again within 60 s', fields: { silenceIds: [c.silenceId, d.silenceId], error: 'broker unreachable (test)' } });
    expect(logged.slice(1).map((l) => [l.msg, l.fields['silenceId'], l.fields['alerts'], l.fields['batch']])).toEqual([
      ['silence released', c.silenceId, 1, 3],
      ['silence released', d.silenceId, 1, 3],
      ['silence released', e.silenceId, 1, 3],
    ]);
    expect(await releasedOn(topics.released)).toEqual(['c1@1', 'd1@1', 'e1@1']);
  });

  it('tries a failed release again after its retry delay, even when no other silence ends', async () => {
    const topics = await newTopics('retry');
    const now = Date.now();
    const g = silence('g', { ruleId: `r7-${run}`, startsAt: now - 10 * MIN, endsAt: now - MIN });
    await publish(topics.alerts, [version('g1', 1, `r7-${run}`, 'ML', now - 5 * MIN)]);

    const { releaser, reads, logged } = newReleaser(topics, [g], true, 1_000);
    releaser.start();
    await waitUntil(() => logged.length === 2, 'two releases logged');
    await releaser.stop();

    expect(logged.map((l) => l.msg)).toEqual(['silence release failed; tried again within 1 s', 'silence released']);
    expect(reads).toEqual([g.startsAt - SILENCE_CLOCK_SLACK_MS, g.startsAt - SILENCE_CLOCK_SLACK_MS]);
    expect(await releasedOn(topics.released)).toEqual(['g1@1']);
  });

  it('when a silence ends, leaves alone those that ended before the lookback', async () => {
    const topics = await newTopics('old');
    const published = Date.now();
    await publish(topics.alerts, [version('old1', 1, `r8-${run}`, 'ML', published - 4 * 60 * MIN), version('h1', 1, `r9-${run}`, 'ML', published - 5 * MIN)]);
    const now = Date.now();
    // Ended three hours ago, beyond the 60-minute lookback; still in the control state.
    const old = silence('old', { ruleId: `r8-${run}`, startsAt: now - 5 * 60 * MIN, endsAt: now - 3 * 60 * MIN });
    const h = silence('h', { ruleId: `r9-${run}`, startsAt: published - 10 * MIN, endsAt: now + 2_000 });

    const { releaser, reads, logged } = newReleaser(topics, [old, h]);
    releaser.start();
    await waitUntil(() => logged.length === 1, 'one release logged');
    await releaser.stop();

    expect(logged[0]?.fields).toMatchObject({ silenceId: h.silenceId, why: 'ended', batch: 1 });
    expect(reads).toEqual([h.startsAt - SILENCE_CLOCK_SLACK_MS]);
    expect(await releasedOn(topics.released)).toEqual(['h1@1']);
  });

  it('reads nothing once stopped', async () => {
    const topics = await newTopics('stopped');
    const now = Date.now();
    const { releaser, reads, logged } = newReleaser(topics, [silence('f', { ruleId: `r6-${run}`, startsAt: now - MIN, endsAt: now + 500 })]);
    releaser.start();
    await releaser.stop();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(reads).toEqual([]);
    expect(logged).toEqual([]);
  });
});

