import { Body, Controller, Headers, HttpCode, HttpException, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { FeedRegistry, ROOT_PATH, TOPICS, deriveEventId, feedTopic, formatIssues, issue, listIssues, parseIncidentJson, type Codecs, type IncidentReport, type ValidationIssue } from '@vigie/contracts';
import { BatchProducer, deadLetterMessage, type OutboundMessage } from '@vigie/kafka';
import { CODECS } from '@vigie/nest-kafka';
import { FeedMetrics } from '@vigie/observability';
import { FeedTokens } from './feed-tokens';
import { JSON_MEDIA_TYPE, isJsonContentType } from './json-body';

export const HTTP_PRODUCER = Symbol('HTTP_PRODUCER');
export const MAX_REPORTS_PER_REQUEST = 1_000;

interface IngestResponse {
  feedId: string;
  accepted: { index: number; eventId: string }[];
  /** The first issues of each rejected report, and how many more it had (unlistedIssues, when any). */
  rejected: { index: number; issues: ValidationIssue[]; unlistedIssues?: number }[];
}

/**
 * For feeds without a Kafka client: POST one report or an array of reports as JSON. Accepted
 * reports are written to the feed's own topic, so they take exactly the path of Kafka-published
 * ones (validation, deduplication, accounting); rejected ones are answered and dead-lettered.
 */
@Controller('v1/feeds')
export class FeedIngestController {
  constructor(
    @Inject(HTTP_PRODUCER) private readonly producer: BatchProducer,
    @Inject(CODECS) private readonly codecs: Codecs,
    @Inject(FeedTokens) private readonly tokens: FeedTokens,
    @Inject(FeedMetrics) private readonly feedMetrics: FeedMetrics,
    @Inject(FeedRegistry) private readonly feeds: FeedRegistry,
  ) {}

  @Post(':feedId/incidents')
  @HttpCode(HttpStatus.ACCEPTED)
  async ingest(
    @Param('feedId') feedId: string,
    @Headers('authorization') authorization: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<IngestResponse> {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new HttpException({ error: 'MISSING_TOKEN', message: 'send Authorization: Bearer <feed token>' }, HttpStatus.UNAUTHORIZED);
    const tokenFeed = this.tokens.feedOf(token);
    if (!tokenFeed) throw new HttpException({ error: 'INVALID_TOKEN', message: 'unknown feed token' }, HttpStatus.UNAUTHORIZED);
    if (tokenFeed !== feedId) throw new HttpException({ error: 'FEED_MISMATCH', message: `this token belongs to feed ${tokenFeed}, not ${feedId}` }, HttpStatus.FORBIDDEN);

    // Only JSON bodies are parsed: any other would reach here as no body at all.
    if (!isJsonContentType(contentType)) {
      throw new HttpException({ error: 'UNSUPPORTED_MEDIA_TYPE', message: `send the reports as JSON, with Content-Type: ${JSON_MEDIA_TYPE}` }, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }
    const items = body === undefined ? [] : Array.isArray(body) ? body : [body];
    if (items.length === 0) throw new HttpException({ error: 'NO_REPORTS', message: `nothing to ingest: send 1 to ${MAX_REPORTS_PER_REQUEST} reports per request` }, HttpStatus.BAD_REQUEST);
    if (items.length > MAX_REPORTS_PER_REQUEST) {
      throw new HttpException({ error: 'BATCH_SIZE', message: `send 1 to ${MAX_REPORTS_PER_REQUEST} reports per request` }, HttpStatus.PAYLOAD_TOO_LARGE);
    }

    const now = Date.now();
    const response: IngestResponse = { feedId, accepted: [], rejected: [] };
    const outputs: OutboundMessage[] = [];
    items.forEach((item, index) => {
      const parsed = parseIncidentJson(item, { now });
      const issues = parsed.ok ? this.refusalsOf(parsed.report, feedId) : parsed.issues;
      if (parsed.ok && issues.length === 0) {
        const report = parsed.report;
        outputs.push({ topic: feedTopic(report.sourceCountry), key: report.eventId, value: this.codecs.incidentReport.encode(report) });
        response.accepted.push({ index, eventId: report.eventId });
      } else {
        const { listed, unlisted } = listIssues(issues);
        response.rejected.push(unlisted > 0 ? { index, issues: listed, unlistedIssues: unlisted } : { index, issues });
        outputs.push(rejectedOverHttp(feedId, item, issues, now));
      }
    });
    await this.producer.send(outputs);
    // Never on a feed topic, so the stage runner never sees them: counted here, once dead-lettered.
    this.feedMetrics.recordRejectedOverHttp(feedId, response.rejected.length);
    if (response.accepted.length === 0) throw new HttpException({ error: 'INVALID_REPORTS', ...response }, HttpStatus.BAD_REQUEST);
    return response;
  }

  /** What the stage would refuse a valid report for (feed, country, agency), answered now rather than dead-lettered later. */
  private refusalsOf(report: IncidentReport, feedId: string): ValidationIssue[] {
    if (report.feedId !== feedId) return [issue('feedId', 'INCONSISTENT', `a report sent by ${feedId} must have feedId "${feedId}"`)];
    const refusal = this.feeds.authorise(report, report.sourceCountry);
    return refusal ? [issue(ROOT_PATH, 'NOT_AUTHORISED', refusal)] : [];
  }
}

/** Rejected HTTP reports join the dead-letter topic like Kafka ones: the raw JSON plus the reasons. */
function rejectedOverHttp(feedId: string, item: unknown, issues: ValidationIssue[], now: number): OutboundMessage {
  const sourceEventId = (item as { sourceEventId?: unknown })?.sourceEventId;
  const source = {
    topic: `http:${feedId}`,
    partition: -1,
    offset: '-1',
    key: typeof sourceEventId === 'string' ? Buffer.from(deriveEventId(feedId, sourceEventId)) : null,
    value: jsonBytes(item),
    headers: { 'content-type': 'application/json' },
    timestamp: now,
  };
  // The codes the stage gives the same refusals over Kafka.
  const code = issues.some((i) => i.code === 'NOT_AUTHORISED') ? 'FEED_NOT_AUTHORISED' : 'INVALID_REPORT';
  return deadLetterMessage(TOPICS.rejected, 'ingest-http', source, { code, message: formatIssues(issues), attempts: 1 }, now);
}

/** What the feed sent, as JSON; a value JSON cannot write (undefined, a cycle) is kept as no bytes rather than failing the request. */
function jsonBytes(value: unknown): Buffer {
  try {
    return Buffer.from(JSON.stringify(value) ?? '');
  } catch {
    return Buffer.alloc(0);
  }
}
