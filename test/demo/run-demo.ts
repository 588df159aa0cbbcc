/**
 * `npm run demo`: brings the local stack up, creates the topics, starts the four services,
 * publishes the bundled scenario (moved to the last days before now) from several national feeds,
 * prints the regional alerts two subscribed agencies receive and what the pipeline rejected, and
 * shuts everything down. `--keep-stack` leaves Kafka and Redis running.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALERT_LEVELS, FeedRegistry, TOPICS, agencyAlertTopic, type AlertDelivery } from '@vigie/contracts';
import { readDeadLetterReason, topicEndOffsets, type InboundMessage } from '@vigie/kafka';
import { createCliContext } from '../../services/cli/src/cli-context';
import { publishLines } from '../../services/cli/src/commands/feed-publish';
import { renderDelivery } from '../../services/cli/src/render-alert';
import { collectUntil, startPipeline } from '@vigie/testing';
import { shiftScenario } from './scenario/generate';

const ROOT = resolve(__dirname, '../..');
const DEMO_AGENCIES = ['sn-police', 'ml-police'];
const SHOWN_PER_AGENCY = 6;
const say = (text = ''): void => void process.stdout.write(`${text}\n`);
const step = (text: string): void => say(`\n=== ${text}`);

async function main(): Promise<void> {
  const keepStack = process.argv.includes('--keep-stack');
  const givenStack = Boolean(process.env.KAFKA_BROKERS && process.env.REDIS_URL);
  const runId = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14);

  step('Starting Kafka (KRaft) and Redis');
  if (!givenStack) execFileSync('bash', [join(ROOT, 'deploy/local/stack.sh'), 'up'], { stdio: 'inherit' });
  const env = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:16379',
    // A fresh state namespace per run, so the bundled scenario is correlated anew every time.
    REDIS_KEY_PREFIX: `vigie-demo-${runId}:`,
    LOG_LEVEL: 'info',
  };
  process.env.KAFKA_BROKERS = env.KAFKA_BROKERS;

  step('Creating topics');
  execFileSync(process.execPath, ['-r', join(ROOT, 'tools/register.js'), join(ROOT, 'tools/topics-create.ts')], { stdio: 'inherit', env: { ...process.env, ...env } });

  step('Starting ingest, enricher, correlator and dispatcher');
  const logDir = join(ROOT, 'tmp', 'demo-logs');
  const pipeline = await startPipeline({ env, logDir });
  say(`services ready: ${pipeline.services.map((s) => `${s.name} http://127.0.0.1:${s.httpPort}/metrics`).join(', ')}`);
  say(`logs (JSON): ${logDir}`);

  const ctx = createCliContext();
  let exitCode = 0;
  try {
    const watched = [TOPICS.rejected, ...DEMO_AGENCIES.map(agencyAlertTopic)];
    const before = await topicEndOffsets(ctx.kafka, watched);

    step('Publishing the scenario from the national feeds');
    const lines = shiftScenario(readFileSync(join(__dirname, 'scenario/incidents.ndjson'), 'utf8').split('\n').filter(Boolean), Date.now());
    const feeds = FeedRegistry.fromJson(JSON.parse(readFileSync(join(ROOT, 'deploy/config/feeds.json'), 'utf8'))).all().map((f) => f.feedId);
    const byFeed = new Map<string, string[]>();
    for (const line of lines) {
      // Malformed lines may not even be JSON: the first registered feed id they mention sends them.
      const feed = feeds.map((id) => ({ id, at: line.indexOf(id) })).filter((f) => f.at >= 0).sort((a, b) => a.at - b.at)[0]?.id ?? feeds[0]!;
      const group = byFeed.get(feed);
      if (group) group.push(line);
      else byFeed.set(feed, [line]);
    }
    let published = 0;
    let invalid = 0;
    for (const [feedId, feedLines] of byFeed) {
      // --no-validate: invalid lines travel too, so that ingest's rejections can be seen.
      const summary = await publishLines(ctx, feedLines, { feedId, skipValidation: true, now: Date.now() });
      published += summary.published;
      invalid += summary.sentRaw;
      say(`${feedId.padEnd(16)} ${String(summary.published).padStart(4)} reports → ${summary.topic}${summary.sentRaw ? `, ${summary.sentRaw} malformed` : ''}`);
    }

    step('Waiting for the pipeline to settle');
    const settled = await collectUntil(ctx.kafka, watched, () => true, quietFor(8_000), 90_000, before);
    const deliveries = settled.filter((m) => m.topic !== TOPICS.rejected);
    const rejected = settled.filter((m) => m.topic === TOPICS.rejected);

    for (const agencyId of DEMO_AGENCIES) {
      const mine = deliveries.filter((m) => m.topic === agencyAlertTopic(agencyId)).map((m) => ctx.codecs.alertDelivery.decode(m.value as Buffer));
      const current = latestVersions(mine);
      step(`Alerts delivered to ${agencyId}: ${mine.length} deliveries, ${current.length} alerts; the most severe open ones`);
      for (const delivery of current.slice(0, SHOWN_PER_AGENCY)) say(renderDelivery(delivery, 'fr'));
      const rest = current.slice(SHOWN_PER_AGENCY);
      if (rest.length) say(`… and ${rest.length} more: ${countBy(rest.map((d) => `${d.alert.level} ${d.alert.status}`))}  (vigie alerts tail --agency ${agencyId} --from-beginning)`);
      if (mine.length === 0) exitCode = 1;
    }

    step(`Rejected by ingest (${rejected.length})`);
    for (const m of rejected) {
      const reason = readDeadLetterReason(m.headers);
      say(`${reason.code.padEnd(20)} ${reason.message.slice(0, 150)}`);
    }
    say(`\n${published + invalid} messages published: ${published} valid reports, ${invalid} malformed; ${rejected.length} dead-lettered by ingest`);
  } finally {
    step('Shutting down');
    const codes = await pipeline.stop();
    say(`services stopped (exit codes ${codes.join(', ')})`);
    if (!givenStack && !keepStack) execFileSync('bash', [join(ROOT, 'deploy/local/stack.sh'), 'down'], { stdio: 'inherit' });
  }
  process.exit(exitCode);
}

/** Done when nothing new has arrived for `ms` (and something arrived at all). */
function quietFor(ms: number): (kept: readonly InboundMessage[]) => boolean {
  let lastCount = -1;
  let lastChange = Date.now();
  return (kept) => {
    if (kept.length !== lastCount) {
      lastCount = kept.length;
      lastChange = Date.now();
    }
    return kept.length > 0 && Date.now() - lastChange >= ms;
  };
}

/** Analysts want the current state of each alert, open ones first, the most severe first. */
function latestVersions(deliveries: readonly AlertDelivery[]): AlertDelivery[] {
  const latest = new Map<string, AlertDelivery>();
  for (const d of deliveries) {
    const seen = latest.get(d.alert.alertId);
    if (!seen || seen.alert.version < d.alert.version) latest.set(d.alert.alertId, d);
  }
  const ended = (d: AlertDelivery): number => (d.alert.status === 'RESOLVED' || d.alert.status === 'RETRACTED' ? 1 : 0);
  const severity = (d: AlertDelivery): number => ALERT_LEVELS.indexOf(d.alert.level);
  return [...latest.values()].sort((a, b) => ended(a) - ended(b) || severity(b) - severity(a) || Number(a.redacted) - Number(b.redacted));
}

function countBy(keys: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
