import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FeedRegistry, MAX_LISTED_ISSUES, TOPICS, createCodecs } from '@vigie/contracts';
import type { OutboundMessage } from '@vigie/kafka';
import { CODECS, SERVICE_CONFIG } from '@vigie/nest-kafka';
import { createMetricsRegistry, FeedMetrics } from '@vigie/observability';
import { DEFAULT_INGEST_HTTP_MAX_BODY_BYTES } from '../ingest.config';
import { FeedIngestController, HTTP_PRODUCER, MAX_REPORTS_PER_REQUEST } from './feed-ingest.controller';
import { FeedTokens } from './feed-tokens';
import { ingestJsonBodyProvider } from './json-body';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../schemas/incident-report/fixtures/valid.json'), 'utf8')) as Record<string, unknown>;
const now = new Date().toISOString();
const report = (sourceEventId: string, overrides: Record<string, unknown> = {}) => ({
  ...fixture, feedId: 'ml-police', reportingAgency: 'ml-police', reportedAt: now, occurredAt: now, sourceEventId, ...overrides,
});
const reports = (count: number) => Array.from({ length: count }, (_, i) => report(`E${i}`));

describe('HTTP ingest (a Nest app on a free port, as ingest configures it, with a recording producer)', () => {
  const sent: OutboundMessage[] = [];
  const registry = createMetricsRegistry('ingest', { nodeMetrics: false });
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    @Module({
      controllers: [FeedIngestController],
      providers: [
        { provide: HTTP_PRODUCER, useValue: { send: async (messages: OutboundMessage[]) => void sent.push(...messages) } },
        { provide: CODECS, useValue: createCodecs() },
        { provide: FeedTokens, useValue: FeedTokens.parse('ml-police=tok') },
        { provide: FeedMetrics, useValue: FeedMetrics.of(registry).expectCountries(['ML']) },
        { provide: FeedRegistry, useValue: FeedRegistry.fromJson({ feeds: [{ feedId: 'ml-police', country: 'ML', agency: 'Police' }] }) },
        { provide: SERVICE_CONFIG, useValue: { INGEST_HTTP_MAX_BODY_BYTES: DEFAULT_INGEST_HTTP_MAX_BODY_BYTES } },
        ingestJsonBodyProvider,
      ],
    })
    class AppModule {}
    // As runStageService creates every service's app.
    app = await NestFactory.create(AppModule, { logger: false, bodyParser: true });
    await app.listen(0, '127.0.0.1');
    url = `${await app.getUrl()}/v1/feeds/ml-police/incidents`;
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    sent.length = 0;
  });

  const post = async (body: string | Uint8Array, contentType?: string) => {
    const headers: Record<string, string> = { authorization: 'Bearer tok' };
    if (contentType !== undefined) headers['content-type'] = contentType;
    const response = await fetch(url, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const postJson = (value: unknown) => post(JSON.stringify(value), 'application/json');

  it(`takes ${MAX_REPORTS_PER_REQUEST} reports in one request, far beyond Nest's default body limit of 100 KB`, async () => {
    const body = JSON.stringify(reports(MAX_REPORTS_PER_REQUEST));
    expect(body.length).toBeGreaterThan(500_000);
    const { status, body: answer } = await post(body, 'application/json; charset=utf-8');
    expect(status).toBe(202);
    expect(answer['accepted']).toHaveLength(MAX_REPORTS_PER_REQUEST);
    expect(sent.map((m) => m.topic)).toEqual(Array(MAX_REPORTS_PER_REQUEST).fill('feeds.ml.incidents'));
  });

  it('answers a body over the limit with its own error, saying the limit', async () => {
    const { status, body } = await post(`[${' '.repeat(DEFAULT_INGEST_HTTP_MAX_BODY_BYTES)}]`, 'application/json');
    expect(status).toBe(413);
    expect(body).toEqual({ error: 'BODY_TOO_LARGE', message: expect.stringContaining(`${DEFAULT_INGEST_HTTP_MAX_BODY_BYTES} bytes`) });
    expect(sent).toEqual([]);
  });

  it('refuses more reports than a request may carry', async () => {
    const { status, body } = await postJson(reports(MAX_REPORTS_PER_REQUEST + 1));
    expect(status).toBe(413);
    expect(body).toMatchObject({ error: 'BATCH_SIZE' });
  });

  it('answers a body that is not JSON 415, asking for Content-Type: application/json, and produces nothing', async () => {
    const json = JSON.stringify(report('T1'));
    for (const [body, contentType] of [[json, 'text/plain'], [new TextEncoder().encode(json), undefined]] as const) {
      const answer = await post(body, contentType);
      expect(answer, String(contentType)).toEqual({
        status: 415,
        body: { error: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('Content-Type: application/json') },
      });
    }
    expect(sent).toEqual([]);
  });

  it('refuses at once, with the registry\'s reason, a report its feed may not send (another agency as originator)', async () => {
    const { status, body } = await post(JSON.stringify([report('OK1'), report('SPOOF1', { reportingAgency: 'sn-police' })]), 'application/json');
    expect(status).toBe(202);
    expect(body.accepted).toEqual([{ index: 0, eventId: 'ml-police:OK1' }]);
    expect(body.rejected).toEqual([{ index: 1, issues: [{ path: '(root)', code: 'NOT_AUTHORISED', message: expect.stringContaining('not agency "sn-police"') }] }]);
    const [letter] = sent.filter((m) => m.topic === TOPICS.rejected);
    expect(letter?.headers?.['vigie-error-code']).toBe('FEED_NOT_AUTHORISED');
  });

  it('answers an empty array 400: there is nothing to ingest', async () => {
    expect(await postJson([])).toEqual({ status: 400, body: { error: 'NO_REPORTS', message: expect.stringContaining('nothing to ingest') } });
  });

  it('answers what the JSON parser refuses in the same shape as its other errors', async () => {
    expect(await post('{"sourceEventId": ', 'application/json')).toEqual({ status: 400, body: { error: 'INVALID_JSON', message: expect.stringMatching(/^the body is not valid JSON/) } });
    expect(await post(JSON.stringify(report('L1')), 'application/json; charset=iso-8859-1')).toMatchObject({ status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('lists the first issues of a rejected report and counts the rest, in the answer and the dead letter', async () => {
    const unknownFields = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 0]));
    const { status, body } = await postJson(report('U1', unknownFields));
    expect(status).toBe(400);
    const [rejected] = body['rejected'] as { issues: unknown[]; unlistedIssues: number }[];
    expect(rejected!.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(rejected!.unlistedIssues).toBe(10_000 - MAX_LISTED_ISSUES);
    const [deadLetter] = sent;
    expect(deadLetter?.topic).toBe(TOPICS.rejected);
    expect(String(deadLetter?.headers?.['vigie-error-message'])).toMatch(/^k0: unknown field k0;/);
    expect(String(deadLetter?.headers?.['vigie-error-message']).length).toBeLessThanOrEqual(2_000);
  });

  it("counts the reports it refuses as rejected reports of the feed's country, as the stage counts those it dead-letters", async () => {
    const rejectedMl = async () => Number((await registry.metrics()).match(/^vigie_feed_reports_total\{country="ML",outcome="rejected",service="ingest"\} (\d+)$/m)?.[1]);
    const before = await rejectedMl();
    const { status, body } = await postJson([report('R1'), report('R2', { fatalities: -1 }), report('R3', { feedId: 'sn-police' })]);
    expect(status).toBe(202);
    expect(body['rejected']).toHaveLength(2);
    expect(await rejectedMl()).toBe(before + 2);
  });
});
