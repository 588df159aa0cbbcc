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
 * Rejected reports are counted as they are dead-lettered (recordDeadLetter, from the stage runner's
 * hook), not from the stage's outcomes: the runner also dead-letters what the stage failed on after
 * its retries. Reports ingest's HTTP API refuses never reach a feed topic and are counted apart.
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
   * Counts the accepted and duplicate reports of a handled batch, message by message (its rejected
   * ones are counted as dead-lettered); returns the outcomes, so a handler can end with it.
   */
  recordBatch(messages: readonly Pick<InboundMessage, 'topic'>[], outcomes: readonly MessageOutcome[]): readonly MessageOutcome[] {
    // A batch is mostly one topic: counted per topic and outcome first, then each series incremented
    // once, in the order the messages first named it (a Map keeps it).
    const counts = new Map<string, { topic: string; outcome: FeedOutcome; count: number }>();
    outcomes.forEach((outcome, i) => {
      if (outcome.kind !== 'emit') return;
      const topic = messages[i]?.topic ?? '';
      const kind = outcome.disposition === 'deduplicated' ? 'duplicate' : 'accepted';
      const series = counts.get(`${topic} ${kind}`);
      if (series) series.count++;
      else counts.set(`${topic} ${kind}`, { topic, outcome: kind, count: 1 });
    });
    for (const { topic, outcome, count } of counts.values()) {
      const country = feedCountryOfTopic(topic);
      if (country) this.reports.inc({ country, outcome }, count);
    }
    return outcomes;
  }

  /** Counts a message dead-lettered from a feed topic, by the stage or by the runner, as a rejected report; other topics are skipped. */
  recordDeadLetter(sourceTopic: string): void {
    const country = feedCountryOfTopic(sourceTopic);
    if (country) this.reports.inc({ country, outcome: 'rejected' });
  }

  /** Counts reports of `feedId` that ingest's HTTP API refused (answered and dead-lettered there), under the feed id's country. */
  recordRejectedOverHttp(feedId: string, count: number): void {
    const country = feedCountryOf(feedId);
    if (country && count > 0) this.reports.inc({ country: country.toUpperCase(), outcome: 'rejected' }, count);
  }
}
