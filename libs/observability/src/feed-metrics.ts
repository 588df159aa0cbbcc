import { FEED_TOPIC_PATTERN, feedCountryOf } from '@vigie/contracts';
import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import { Counter, type Registry } from 'prom-client';
import { perRegistry } from './per-registry';

export const FEED_OUTCOMES = ['accepted', 'rejected', 'duplicate'] as const;
export type FeedOutcome = (typeof FEED_OUTCOMES)[number];

/** `feeds.ml.incidents` → `ML`; undefined for any other topic. */
export function feedCountryOfTopic(topic: string): string | undefined {
  return FEED_TOPIC_PATTERN.test(topic) ? topic.split('.')[1]!.toUpperCase() : undefined;
}

/**
 * Reports received from the national feeds, by country and outcome. The `country` label is bounded
 * by the feed topics (one per country of the catalogue). Every registered country starts at zero,
 * so a feed that never reported since the service started shows as silent rather than absent.
 *
 * Reports read from a feed topic are counted from the stage runner's `completed` hook (see
 * metricsObserver), once the broker acknowledged what became of them: a batch redone after a failed
 * produce is counted once, and rejected reports include those the runner dead-lettered after the
 * stage failed on them. Reports ingest's HTTP API refuses never reach a feed topic and are counted
 * apart, once their dead letters are acknowledged.
 */
export class FeedMetrics {
  readonly reports: Counter<'country' | 'outcome'>;

  static readonly of = perRegistry((registry) => new FeedMetrics(registry));

  private constructor(registry: Registry) {
    this.reports = new Counter({
      name: 'vigie_feed_reports_total',
      help: 'Reports read from the national feed topics, by country and outcome (accepted, rejected, duplicate).',
      labelNames: ['country', 'outcome'],
      registers: [registry],
    });
  }

  /** Makes every outcome series of these countries exist at zero. */
  expectCountries(countries: readonly string[]): this {
    for (const country of countries) for (const outcome of FEED_OUTCOMES) this.reports.inc({ country: country.toUpperCase(), outcome }, 0);
    return this;
  }

  /**
   * Counts completed messages (their outputs and dead letters acknowledged) by outcome, under the
   * country of their feed topic: accepted, duplicate (deduplicated), or rejected (dead-lettered);
   * messages of other topics are skipped.
   */
  recordCompleted(messages: readonly Pick<InboundMessage, 'topic'>[], outcomes: readonly MessageOutcome[]): void {
    // A batch is mostly one topic: counted per topic and outcome first, then each series incremented
    // once, in the order the messages first named it (a Map keeps it).
    const counts = new Map<string, { topic: string; outcome: FeedOutcome; count: number }>();
    outcomes.forEach((outcome, i) => {
      const topic = messages[i]?.topic ?? '';
      const kind: FeedOutcome = outcome.kind === 'dead-letter' ? 'rejected' : outcome.disposition === 'deduplicated' ? 'duplicate' : 'accepted';
      const series = counts.get(`${topic} ${kind}`);
      if (series) series.count++;
      else counts.set(`${topic} ${kind}`, { topic, outcome: kind, count: 1 });
    });
    for (const { topic, outcome, count } of counts.values()) {
      const country = feedCountryOfTopic(topic);
      if (country) this.reports.inc({ country, outcome }, count);
    }
  }

  /** Counts reports of `feedId` that ingest's HTTP API refused (answered and dead-lettered there), under the feed id's country. */
  recordRejectedOverHttp(feedId: string, count: number): void {
    const country = feedCountryOf(feedId);
    if (country && count > 0) this.reports.inc({ country: country.toUpperCase(), outcome: 'rejected' }, count);
  }
}
