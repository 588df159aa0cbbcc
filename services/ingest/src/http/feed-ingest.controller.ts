import { Body, Controller, Headers, HttpCode, HttpException, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { TOPICS, deriveEventId, feedTopic, formatIssues, issue, parseIncidentJson, type Codecs, type ValidationIssue } from '@vigie/contracts';
import { BatchProducer, deadLetterMessage, type OutboundMessage } from '@vigie/kafka';
import { CODECS } from '@vigie/nest-kafka';
import { FeedTokens } from './feed-tokens';

export const HTTP_PRODUCER = Symbol('HTTP_PRODUCER');
export const MAX_REPORTS_PER_REQUEST = 1_000;

interface IngestResponse {
  feedId: string;
  accepted: { index: number; eventId: string }[];
  rejected: { index: number; issues: ValidationIssue[] }[];
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
  ) {}

  @Post(':feedId/incidents')
  @HttpCode(HttpStatus.ACCEPTED)
  async ingest(@Param('feedId') feedId: string, @Headers('authorization') authorization: string | undefined, @Body() body: unknown): Promise<IngestResponse> {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new HttpException({ error: 'MISSING_TOKEN', message: 'send Authorization: Bearer <feed token>' }, HttpStatus.UNAUTHORIZED);
    const tokenFeed = this.tokens.feedOf(token);
    if (!tokenFeed) throw new HttpException({ error: 'INVALID_TOKEN', message: 'unknown feed token' }, HttpStatus.UNAUTHORIZED);
    if (tokenFeed !== feedId) throw new HttpException({ error: 'FEED_MISMATCH', message: `this token belongs to feed ${tokenFeed}, not ${feedId}` }, HttpStatus.FORBIDDEN);

    const items = Array.isArray(body) ? body : [body];
    if (items.length === 0 || items.length > MAX_REPORTS_PER_REQUEST) {
      throw new HttpException({ error: 'BATCH_SIZE', message: `send 1 to ${MAX_REPORTS_PER_REQUEST} reports per request` }, HttpStatus.PAYLOAD_TOO_LARGE);
    }

    const now = Date.now();
    const response: IngestResponse = { feedId, accepted: [], rejected: [] };
    const outputs: OutboundMessage[] = [];
    items.forEach((item, index) => {
      const parsed = parseIncidentJson(item, { now });
      const issues = parsed.ok ? (parsed.report.feedId === feedId ? [] : [issue('feedId', 'INCONSISTENT', `a report sent by ${feedId} must have feedId "${feedId}"`)]) : parsed.issues;
      if (parsed.ok && issues.length === 0) {
        const report = parsed.report;
        outputs.push({ topic: feedTopic(report.sourceCountry), key: report.eventId, value: this.codecs.incidentReport.encode(report) });
        response.accepted.push({ index, eventId: report.eventId });
      } else {
        response.rejected.push({ index, issues });
        outputs.push(rejectedOverHttp(feedId, item, issues, now));
      }
    });
    await this.producer.send(outputs);
    if (response.accepted.length === 0) throw new HttpException({ error: 'INVALID_REPORTS', ...response }, HttpStatus.BAD_REQUEST);
    return response;
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
    value: Buffer.from(JSON.stringify(item)),
    headers: { 'content-type': 'application/json' },
    timestamp: now,
  };
  return deadLetterMessage(TOPICS.rejected, 'ingest-http', source, { code: 'INVALID_REPORT', message: formatIssues(issues), attempts: 1 }, now);
}
