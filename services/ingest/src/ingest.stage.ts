import { createHash } from 'node:crypto';
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

const revisionConflict = (r: IncidentReport): string =>
  `revision ${r.revision} of ${r.feedId}'s report ${r.sourceEventId} was accepted already with other content: send a correction as revision ${r.revision + 1} (status REVISED or RETRACTED)`;

/** feeds.<cc>.incidents → cc (the topic matched FEED_TOPIC_PATTERN). */
const topicCountry = (topic: string): string => topic.slice(6, topic.indexOf('.', 6));
/** A report that passed every check; canonical when its message is already what ingest would publish. */
interface Accepted {
  readonly report: IncidentReport;
  readonly canonical: boolean;
}

/** How a feed message is written: the JSON form, or anything else (Avro in the Confluent framing starts with a zero byte). */
type MessageForm = { readonly kind: 'json-object'; readonly textStart: number } | { readonly kind: 'json-array' } | { readonly kind: 'avro' };

const JSON_WHITESPACE: ReadonlySet<number> = new Set([0x20, 0x09, 0x0a, 0x0d]);
const JSON_OBJECT_START = 0x7b; // {
const JSON_ARRAY_START = 0x5b; // [

/**
 * JSON writers may put a UTF-8 byte order mark and whitespace before the value: the form is told
 * by the first byte after them. The text starts after the mark, which JSON.parse does not accept.
 */
function messageForm(value: Buffer): MessageForm {
  const textStart = value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf ? 3 : 0; // the UTF-8 byte order mark
  let first = textStart;
  while (first < value.length && JSON_WHITESPACE.has(value[first] as number)) first++;
  if (value[first] === JSON_OBJECT_START) return { kind: 'json-object', textStart };
  if (value[first] === JSON_ARRAY_START) return { kind: 'json-array' };
  return { kind: 'avro' };
}

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
    const answers = await this.dedup.claim(
      valid.map((i) => {
        const m = messages[i] as InboundMessage;
        const { report } = reports[i] as Accepted;
        return { identity: reportIdentity(report), position: `${m.topic}/${m.partition}/${m.offset}`, content: this.contentOf(report) };
      }),
    );
    const headers = { [HEADERS.ingestedAt]: String(now) };
    valid.forEach((i, n) => {
      const { report, canonical } = reports[i] as Accepted;
      // A canonical Avro message is byte for byte what encoding the report would give: forwarded as it came.
      const value = canonical ? (messages[i] as InboundMessage).value as Buffer : this.codecs.incidentReport.encode(report);
      const answer = answers[n];
      outcomes[i] =
        answer === 'granted'
          ? { kind: 'emit', disposition: 'processed', messages: [{ topic: TOPICS.validated, key: report.eventId, value, headers }] }
          : answer === 'conflict'
            ? { kind: 'dead-letter', failure: { code: 'REVISION_CONFLICT', message: revisionConflict(report), attempts: 1 } }
            : { kind: 'emit', disposition: 'deduplicated', messages: [] };
    });
    return outcomes;
  }

  /**
   * A digest of what a report says, its sending time aside: a copy a feed sends again (with a new
   * reportedAt, say) is the same report; one that says something else under the same revision is a
   * correction that needs a new revision. What is a set (releasableTo) is digested sorted, and -0 as
   * 0, so that two writings of one report are one. It digests the Avro encoding of the current
   * schema: a new IncidentReport version would change every digest (version them then).
   */
  private contentOf(report: IncidentReport): string {
    const { lat, lon } = report.location;
    const normalised = { ...report, reportedAt: 0, releasableTo: [...new Set(report.releasableTo)].sort(), location: { ...report.location, lat: lat + 0, lon: lon + 0 } };
    return createHash('sha256').update(this.codecs.incidentReport.encode(normalised)).digest('base64url').slice(0, 22);
  }

  private check(message: InboundMessage, now: number): Accepted {
    if (!FEED_TOPIC_PATTERN.test(message.topic)) {
      throw new VigieError('UNEXPECTED_TOPIC', `ingest does not read ${message.topic}`, false);
    }
    if (!message.value || message.value.length === 0) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
    const accepted = this.decode(message.value, now);
    const refusal = this.feeds.authorise(accepted.report, topicCountry(message.topic));
    if (refusal) throw new VigieError('FEED_NOT_AUTHORISED', refusal, false);
    return accepted;
  }

  private decode(value: Buffer, now: number): Accepted {
    const form = messageForm(value);
    switch (form.kind) {
      case 'json-object':
        return { report: this.fromJson(value.toString('utf8', form.textStart), now), canonical: false };
      case 'json-array':
        throw new VigieError('INVALID_JSON', 'a JSON array: publish one report per message, as a JSON object', false);
      case 'avro':
        return this.fromAvro(value, now);
    }
  }

  private fromAvro(value: Buffer, now: number): Accepted {
    const { value: report, canonical } = this.codecs.incidentReport.decodeMessage(value);
    const issues = validateIncidentReport(report, { now });
    if (issues.length > 0) throw new VigieError('INVALID_REPORT', formatIssues(issues), false, { issues });
    return { report, canonical };
  }

  /** Feeds without Avro tooling may publish the JSON form; it gets the same checks. */
  private fromJson(text: string, now: number): IncidentReport {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new VigieError('INVALID_JSON', `not valid JSON: ${(error as Error).message}`, false);
    }
    const parsed = parseIncidentJson(json, { now });
    if (!parsed.ok) throw new VigieError('INVALID_REPORT', formatIssues(parsed.issues), false, { issues: parsed.issues });
    return parsed.report;
  }
}
