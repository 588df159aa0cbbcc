import {
  FEED_TOPIC_PATTERN,
  HEADERS,
  TOPICS,
  VigieError,
  formatIssues,
  parseIncidentJson,
  validateIncidentReport,
  type Codecs,
  type FeedRegistry,
  type IncidentReport,
} from '@vigie/contracts';
import { attemptEach, type InboundMessage, type MessageOutcome, type StageHandler } from '@vigie/kafka';
import type { ReportDedupStore } from '@vigie/state';

/** Identity of a report for deduplication: the same feed, source event id and revision. */
export const reportIdentity = (r: IncidentReport): string => `${r.feedId}|${r.sourceEventId}|${r.revision}`;

/** feeds.<cc>.incidents → cc (the topic matched FEED_TOPIC_PATTERN). */
const topicCountry = (topic: string): string => topic.slice(6, topic.indexOf('.', 6));
/** A report that passed every check; canonical when its message is already what ingest would publish. */
interface Accepted {
  readonly report: IncidentReport;
  readonly canonical: boolean;
}

/** A message starting with `{` is the JSON form; Avro in the Confluent framing starts with a zero byte. */
const JSON_OBJECT_START = 0x7b;

/**
 * Ingest: feeds.<cc>.incidents → incidents.validated. Decodes (Avro, or the JSON form), validates, checks that the feed
 * writes only as itself on its own country's topic, and drops republished copies of reports it
 * already accepted. Every message ends validated, rejected (dead letter with reason) or deduplicated.
 */
export class IngestStage implements StageHandler {
  constructor(
    private readonly codecs: Codecs,
    private readonly feeds: FeedRegistry,
    private readonly dedup: Pick<ReportDedupStore, 'claim'>,
    private readonly now: () => number = Date.now,
  ) {}

  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    const now = this.now();
    const reports: (Accepted | undefined)[] = new Array(messages.length);
    const outcomes = attemptEach(messages, (message, i) => {
      reports[i] = this.check(message, now);
      return { kind: 'emit', messages: [] };
    });

    // One Redis round trip decides, for every valid report of the batch, whether it is new.
    const valid = reports.flatMap((report, i) => (report ? [i] : []));
    const fresh = await this.dedup.claim(
      valid.map((i) => {
        const m = messages[i] as InboundMessage;
        return { identity: reportIdentity((reports[i] as Accepted).report), position: `${m.topic}/${m.partition}/${m.offset}` };
      }),
    );
    const headers = { [HEADERS.ingestedAt]: String(now) };
    valid.forEach((i, n) => {
      const { report, canonical } = reports[i] as Accepted;
      // A canonical Avro message is byte for byte what encoding the report would give: forwarded as it came.
      const value = canonical ? (messages[i] as InboundMessage).value as Buffer : this.codecs.incidentReport.encode(report);
      outcomes[i] = fresh[n]
        ? { kind: 'emit', disposition: 'processed', messages: [{ topic: TOPICS.validated, key: report.eventId, value, headers }] }
        : { kind: 'emit', disposition: 'deduplicated', messages: [] };
    });
    return outcomes;
  }

  private check(message: InboundMessage, now: number): Accepted {
    if (!FEED_TOPIC_PATTERN.test(message.topic)) {
      throw new VigieError('UNEXPECTED_TOPIC', `ingest does not read ${message.topic}`, false);
    }
    if (!message.value || message.value.length === 0) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
    const accepted = message.value[0] === JSON_OBJECT_START ? { report: this.fromJson(message.value, now), canonical: false } : this.fromAvro(message.value, now);
    const refusal = this.feeds.authorise(accepted.report.feedId, accepted.report.sourceCountry, topicCountry(message.topic));
    if (refusal) throw new VigieError('FEED_NOT_AUTHORISED', refusal, false);
    return accepted;
  }

  private fromAvro(value: Buffer, now: number): Accepted {
    const { value: report, canonical } = this.codecs.incidentReport.decodeMessage(value);
    const issues = validateIncidentReport(report, { now });
    if (issues.length > 0) throw new VigieError('INVALID_REPORT', formatIssues(issues), false, { issues });
    return { report, canonical };
  }

  /** Feeds without Avro tooling may publish the JSON form; it gets the same checks. */
  private fromJson(value: Buffer, now: number): IncidentReport {
    let json: unknown;
    try {
      json = JSON.parse(value.toString('utf8'));
    } catch (error) {
      throw new VigieError('INVALID_JSON', `not valid JSON: ${(error as Error).message}`, false);
    }
    const parsed = parseIncidentJson(json, { now });
    if (!parsed.ok) throw new VigieError('INVALID_REPORT', formatIssues(parsed.issues), false, { issues: parsed.issues });
    return parsed.report;
  }
}
