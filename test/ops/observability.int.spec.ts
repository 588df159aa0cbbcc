/**
 * Operators' view of a live pipeline: the four services run on the real broker and Redis, a real
 * Prometheus (Debian's package) scrapes them with the shipped configuration and rules, and every
 * PromQL expression of the Grafana dashboards and of the alerting rules must return data. The run
 * provokes what several alerts watch for (dead letters, old reports, silent feeds, a stopped
 * service), and those alerts must fire.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, feedTopic } from '@vigie/contracts';
import { BatchProducer, createKafka, type OutboundMessage } from '@vigie/kafka';
import { createIncidentFactory, startPipeline, stopService, type Pipeline } from '@vigie/testing';
import { DASHBOARDS } from '../../deploy/grafana/dashboards';
import { buildDashboard, dashboardQueries } from '../../deploy/grafana/dashboard-builder';
import { ensurePrometheus, PrometheusServer, promtool, readRules, ROOT, type PromSample } from './prometheus-server';
import { substituteGrafanaVariables, withBoolComparisons } from './promql';

const run = randomBytes(4).toString('hex');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const HOUR = 3_600_000;
/** The whole run fits in these: rates over the run, increases over the run. */
const GRAFANA_VARIABLES = { rateInterval: '5m', range: '15m' };
const WAIT_MS = 60_000;

const prometheus = ensurePrometheus();
if ('unavailable' in prometheus) console.warn(`[test/ops] SKIPPED: ${prometheus.unavailable}. Install Debian's prometheus package (apt-get install prometheus) to run it.`);

/** Retries `check` until it stops throwing; rethrows its last error after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

const describeName = (samples: PromSample[]): string => samples.map((s) => JSON.stringify(s.metric)).join(' ');

describe.skipIf('unavailable' in prometheus)('metrics, dashboards and alert rules on a live pipeline, with a real Prometheus', () => {
  const logDir = join(ROOT, 'tmp', `ops-${run}`);
  let pipeline: Pipeline;
  let server: PrometheusServer;
  let baseline: RunCounts;

  beforeAll(async () => {
    pipeline = await startPipeline({
      logDir,
      env: { KAFKA_BROKERS: brokers.join(','), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:16379', REDIS_KEY_PREFIX: `vigie-ops-${run}:`, LOG_LEVEL: 'info' },
    });
    const targets = Object.fromEntries(pipeline.services.map((s) => [s.name, `127.0.0.1:${s.httpPort}`]));
    server = await PrometheusServer.start((prometheus as { binary: string }).binary, targets, join(logDir, 'prometheus'));
    // The stages' groups are shared with earlier runs: let them finish any backlog first, so that
    // what the counters gain from here on is this run's.
    await eventually(async () => {
      expect(await sumOf(server, 'count(count by (service) (vigie_consumer_lag_messages))')).toBe(4);
      expect(await sumOf(server, 'sum(vigie_consumer_lag_messages)')).toBe(0);
    });
    baseline = await countRun(server);
    await publishScenario();
  });

  afterAll(async () => {
    await server?.stop();
    // Graceful SIGTERM everywhere (the dispatcher was stopped by a test already): exit 0.
    const codes = await pipeline?.stop();
    if (pipeline) expect(codes).toEqual([0, 0, 0, 0]);
  });

  it('promtool accepts the shipped configuration and rule files', () => {
    for (const check of [promtool('check', 'config', 'prometheus.yml'), promtool('check', 'rules', ...readRuleFiles())]) {
      expect(check.ok, check.output).toBe(true);
    }
  });

  it('reports every service ready only with its consumer group joined and Redis reachable', async () => {
    for (const service of pipeline.services) {
      const body = (await (await fetch(service.url('/health/ready'))).json()) as { status: string; details: Record<string, { status: string }> };
      expect(body.status, service.name).toBe('ok');
      expect(body.details['kafka-consumer-group']?.status, service.name).toBe('up');
      expect(body.details['lifecycle']?.status, service.name).toBe('up');
      // The enricher keeps no state in Redis, so it has no Redis check.
      if (service.name !== 'enricher') expect(body.details['redis']?.status, service.name).toBe('up');
    }
  });

  it('returns data for every query of the Grafana dashboards', async () => {
    const queries = Object.values(DASHBOARDS).flatMap((spec) => dashboardQueries(buildDashboard(spec)));
    expect(queries.length).toBeGreaterThan(20);
    await eventually(async () => {
      const empty: string[] = [];
      for (const { panel, expr } of queries) {
        if ((await server.query(substituteGrafanaVariables(expr, GRAFANA_VARIABLES))).length === 0) empty.push(`${panel}: ${expr}`);
      }
      expect(empty, 'queries without data').toEqual([]);
    });
  });

  it('evaluates every rule to data, and the alerts this run provokes fire', async () => {
    const rules = readRules();
    await eventually(async () => {
      const empty: string[] = [];
      for (const rule of rules) if ((await server.query(withBoolComparisons(rule.expr))).length === 0) empty.push(`${rule.name}: ${rule.expr}`);
      expect(empty, 'rules without data').toEqual([]);
    });
    const firing = async (name: string): Promise<PromSample[]> => server.query(rules.find((r) => r.name === name)!.expr);
    const labelsOf = async (name: string, label: string): Promise<string[]> => [...new Set((await firing(name)).map((s) => s.metric[label] ?? ''))].sort();
    await eventually(async () => {
      expect({
        // Garbage published to incidents.validated: the enricher dead-letters it.
        deadLetters: await labelsOf('VigieDeadLetters', 'service'),
        // The reports were made two hours and more before the run: far above the 60 s objective.
        latency: await labelsOf('VigieEndToEndLatencyAboveObjective', 'service'),
        // Only Mali and Senegal reported: every other registered feed is silent.
        silentFeeds: await labelsOf('VigieNationalFeedSilent', 'country'),
      }).toEqual({
        deadLetters: ['enricher'],
        latency: ['correlator', 'dispatcher'],
        silentFeeds: registeredFeedCountries().filter((c) => c !== 'ML' && c !== 'SN').sort(),
      });
    }, 60_000);
    const health = (await (await fetch(`${server.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
    const unhealthy = health.data.groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
    expect(unhealthy, JSON.stringify(unhealthy)).toEqual([]);
  });

  it('counts what the run published: feed reports per country and outcome, dead letters, alerts and deliveries', async () => {
    const expected: RunCounts = { ...baseline, accepted: baseline.accepted + REPORTS, duplicate: baseline.duplicate + 1, rejectedMl: baseline.rejectedMl + 1, enricherDeadLetters: baseline.enricherDeadLetters + 1 };
    await eventually(async () => {
      const now = await countRun(server);
      expect({ ...now, alerts: expected.alerts, deliveries: expected.deliveries }).toEqual(expected);
      expect(now.alerts).toBeGreaterThan(baseline.alerts);
      expect(now.deliveries).toBeGreaterThan(baseline.deliveries);
    });
  });

  it('reports a stopped service down', async () => {
    const dispatcher = pipeline.services.find((s) => s.name === 'dispatcher')!;
    expect(await stopService(dispatcher)).toBe(0);
    const log = readFileSync(join(logDir, 'dispatcher.log'), 'utf8');
    // Readiness turns false as soon as shutdown starts, before the consumer leaves its group.
    expect(log.indexOf('readiness is now false')).toBeGreaterThan(-1);
    expect(log.indexOf('readiness is now false')).toBeLessThan(log.indexOf('"msg":"stopped"'));
    await eventually(async () => expect(describeName(await server.query(readRules().find((r) => r.name === 'VigieServiceDown')!.expr))).toContain('vigie-dispatcher'), 30_000);
  });
});

const REPORTS = 16;

async function sumOf(server: PrometheusServer, expr: string): Promise<number> {
  return (await server.query(expr)).reduce((sum, s) => sum + Number(s.value[1]), 0);
}

type RunCounts = Record<'accepted' | 'duplicate' | 'rejectedMl' | 'enricherDeadLetters' | 'alerts' | 'deliveries', number>;

/** The counters the run moves by known amounts (and alerts and deliveries, which it must move). */
async function countRun(server: PrometheusServer): Promise<RunCounts> {
  return {
    accepted: await sumOf(server, 'sum(vigie_feed_reports_total{outcome="accepted"})'),
    duplicate: await sumOf(server, 'sum(vigie_feed_reports_total{outcome="duplicate"})'),
    rejectedMl: await sumOf(server, 'sum(vigie_feed_reports_total{outcome="rejected",country="ML"})'),
    enricherDeadLetters: await sumOf(server, 'sum(vigie_dead_letters_total{service="enricher",topic="incidents.validated"})'),
    alerts: await sumOf(server, 'sum(vigie_alerts_published_total)'),
    deliveries: await sumOf(server, 'sum(vigie_alert_deliveries_total)'),
  };
}

/** Valid reports from two national feeds (one republished), a malformed one, and garbage on an internal topic. */
async function publishScenario(): Promise<void> {
  const factory = createIncidentFactory(parseInt(run, 16), { feeds: ['ml-police', 'sn-police'], baseTime: Date.now() - 2 * HOUR, spanMs: 24 * HOUR });
  const reports = Array.from({ length: REPORTS }, () => factory.next({ tlp: 'GREEN', releasableTo: [] }));
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
  const messages: OutboundMessage[] = [
    ...reports.map((r) => ({ topic: feedTopic(r.sourceCountry), key: null, value: json(r) })),
    { topic: feedTopic(reports[0]!.sourceCountry), key: null, value: json(reports[0]) },
    { topic: feedTopic('ML'), key: null, value: json({ feedId: 'ml-police', note: `not a report ${run}` }) },
    { topic: TOPICS.validated, key: `ops-${run}`, value: Buffer.from(`garbage ${run}`) },
  ];
  const producer = new BatchProducer(createKafka({ brokers, clientId: `ops-${run}`, ssl: false }));
  await producer.connect();
  try {
    await producer.send(messages);
  } finally {
    await producer.disconnect();
  }
}

function registeredFeedCountries(): string[] {
  const { feeds } = JSON.parse(readFileSync(join(ROOT, 'deploy/config/feeds.json'), 'utf8')) as { feeds: { country: string }[] };
  return [...new Set(feeds.map((f) => f.country))];
}

function readRuleFiles(): string[] {
  return ['rules/vigie-recording.yml', 'rules/vigie-alerts.yml'];
}
