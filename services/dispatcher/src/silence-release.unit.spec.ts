import { createCodecs, type Silence } from '@vigie/contracts';
import type { BatchProducer, OutboundMessage, readTopicsSince, StructuredLogger } from '@vigie/kafka';
import { DEFAULT_REDACTION, controlStateOf } from '@vigie/sharing';
import type { Kafka } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { SILENCE_CLOCK_SLACK_MS } from '@vigie/sharing';
import { SilenceReleaser } from './silence-release';

const MIN = 60_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');

const silence = (silenceId: string, startsAt: number, endsAt: number): Silence => ({ silenceId, zone: null, ruleId: `rule-${silenceId}`, startsAt, endsAt, comment: 'test' });

/**
 * A releaser whose reads of the alert topic wait until the test lets each one finish, so that what
 * happens while a read is in flight can be checked (the reads themselves are proven on the real
 * broker in silence-release.int.spec.ts).
 */
function harness(initial: Silence[], now: () => number = () => NOW) {
  let silences = initial;
  let changed: () => void = () => {};
  const view = {
    state: controlStateOf({ agencies: [], subscriptions: [] }, { communities: [], agreements: [], redaction: DEFAULT_REDACTION }, { silences: [] }),
    onChange: (listener: () => void) => void (changed = listener),
  };
  Object.defineProperty(view.state, 'silences', { value: () => silences });
  const reads: { since: number; finish: () => void }[] = [];
  const read = ((_kafka: Kafka, _topics: string[], since: number) => new Promise<void>((finish) => reads.push({ since, finish: () => finish() }))) as unknown as typeof readTopicsSince;
  const sent: OutboundMessage[][] = [];
  const producer = { send: async (messages: readonly OutboundMessage[]) => void sent.push([...messages]) } as unknown as BatchProducer;
  const logged: Record<string, unknown>[] = [];
  const log = { debug: () => {}, warn: () => {}, info: (_m: string, f = {}) => logged.push(f), error: (_m: string, f = {}) => logged.push(f) } as StructuredLogger;
  const releaser = new SilenceReleaser({} as Kafka, createCodecs(), view, producer, log, { lookbackMs: 60 * MIN, ledgerReachMs: 30 * 24 * 60 * MIN, now, read });
  return { releaser, reads, logged, change: (next: Silence[]) => ((silences = next), changed()) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('SilenceReleaser while a read is in flight', () => {
  it('gathers the releases that come in meanwhile into the next read', async () => {
    const ended = silence('ended', NOW - 30 * MIN, NOW - MIN);
    const a = silence('a', NOW - 20 * MIN, NOW + 60 * MIN);
    const b = silence('b', NOW - 40 * MIN, NOW + 60 * MIN);
    const h = harness([ended, a, b]);
    h.releaser.start();
    await settle();
    expect(h.reads.map((r) => r.since)).toEqual([ended.startsAt - SILENCE_CLOCK_SLACK_MS]);

    h.change([ended]); // a and b deleted while the first read runs
    await settle();
    expect(h.reads).toHaveLength(1);
    h.reads[0]!.finish();
    await settle();
    expect(h.reads.map((r) => r.since)).toEqual([ended.startsAt - SILENCE_CLOCK_SLACK_MS, b.startsAt - SILENCE_CLOCK_SLACK_MS]);
    h.reads[1]!.finish();
    await h.releaser.stop();
    expect(h.logged.map((f) => [f['silenceId'], f['why'], f['batch']])).toEqual([
      ['ended', 'ended before this instance started', 1],
      ['a', 'deleted', 2],
      ['b', 'deleted', 2],
    ]);
  });

  it('stops once the read in progress is done, leaving those still waiting to the next start', async () => {
    const ended = silence('ended', NOW - 30 * MIN, NOW - MIN);
    const a = silence('a', NOW - 20 * MIN, NOW + 60 * MIN);
    const h = harness([ended, a]);
    h.releaser.start();
    await settle();
    h.change([ended]); // a deleted: its release waits for the read in flight
    let stopped = false;
    const stopping = h.releaser.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    h.reads[0]!.finish();
    await stopping;
    expect(h.reads).toHaveLength(1);
    expect(h.logged.map((f) => f['silenceId'])).toEqual(['ended']);
  });
});

describe('SilenceReleaser timers', () => {
  it('releases a silence cut short once, under its new end, not again when its timer sees that end', async () => {
    let clock = NOW;
    const on = silence('cut', NOW - 10 * MIN, NOW + 60 * MIN);
    const h = harness([on], () => clock);
    h.releaser.start();
    clock = NOW + 2 * MIN;
    h.change([{ ...on, endsAt: NOW + MIN }]); // ended a minute ago, by an operator's change
    await settle();
    await settle();
    expect(h.reads).toHaveLength(1);
    h.reads[0]!.finish();
    await settle();
    await settle();
    await h.releaser.stop();
    expect(h.reads).toHaveLength(1);
    expect(h.logged.map((f) => [f['silenceId'], f['why']])).toEqual([['cut', 'shortened']]);
  });

  it('waits when its timer fires before the wall clock reaches the end, and releases silences ending together in one read', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    try {
      const end = NOW + 1_000;
      // When the timer fires, the wall clock still reads a millisecond before the end (Date.now()
      // can lag Node's monotonic timers), and has reached it by the next reading.
      let lagOnce = 0;
      const clock = (): number => {
        const at = Date.now() - lagOnce;
        lagOnce = 0;
        return at;
      };
      const h = harness([silence('x', NOW - MIN, end), silence('y', NOW - 2 * MIN, end)], clock);
      h.releaser.start();
      lagOnce = 1;
      await vi.advanceTimersByTimeAsync(1_001);
      expect(h.reads.map((r) => r.since)).toEqual([NOW - 2 * MIN - SILENCE_CLOCK_SLACK_MS]);
      h.reads[0]!.finish();
      await h.releaser.stop();
      expect(h.logged.map((f) => [f['silenceId'], f['why'], f['batch']])).toEqual([['x', 'ended', 2], ['y', 'ended', 2]]);
    } finally {
      vi.useRealTimers();
    }
  });
});
