/**
 * How a stage service process starts and fails to: configuration problems exit 78 naming the
 * variable, an unreachable Redis fails through the JSON "failed to start" line naming REDIS_URL, and
 * a SIGTERM during start-up is logged and exits 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type ServiceProcess } from '@vigie/testing';
import { afterEach, describe, expect, it } from 'vitest';

const LOG_DIR = join(tmpdir(), `vigie-stage-service-${process.pid}`);
let port = 18_700 + (process.pid % 200);

function start(name: 'ingest' | 'enricher', env: Record<string, string>): ServiceProcess {
  port += 1;
  return startService({ name, httpPort: port, env: { LOG_LEVEL: 'info', ...env }, logDir: LOG_DIR, instance: String(port) });
}

const output = (service: ServiceProcess): string => (existsSync(service.logPath) ? readFileSync(service.logPath, 'utf8') : '');
const jsonLines = (service: ServiceProcess): Record<string, unknown>[] =>
  output(service)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('stage service start-up', () => {
  let service: ServiceProcess | undefined;
  afterEach(() => {
    service?.child.kill('SIGKILL');
  });

  it('exits 78 with one line per problem, naming FEEDS_FILE and INGEST_FEED_TOKENS', async () => {
    service = start('ingest', { FEEDS_FILE: '/nonexistent/feeds.json', INGEST_FEED_TOKENS: 'garbage' });
    expect(await service.exited).toBe(78);
    const problems = output(service).split('\n').filter((line) => line.startsWith('  - '));
    expect(problems.map((line) => line.split(' ')[3]).sort()).toEqual(['FEEDS_FILE', 'INGEST_FEED_TOKENS']);
    expect(output(service)).not.toContain('ENOENT');
  });

  it('fails through the JSON "failed to start" line naming REDIS_URL when Redis is unreachable, ioredis printing nothing of its own', async () => {
    service = start('ingest', { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await service.exited).toBe(1);
    const failed = jsonLines(service).find((line) => line['msg'] === 'failed to start');
    expect(String(failed?.['error'])).toMatch(/REDIS_URL=redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(output(service)).not.toContain('[ioredis]');
  });

  it('logs a SIGTERM received during start-up and exits 0, nothing being in hand', async () => {
    // Kafka unreachable: the enricher stays in start-up for about a minute of kafkajs retries.
    service = start('enricher', { KAFKA_BROKERS: '127.0.0.1:1' });
    const deadline = Date.now() + 30_000;
    while (!jsonLines(service).some((line) => line['msg'] === 'geographic reference loaded')) {
      if (Date.now() > deadline) throw new Error(`the enricher did not reach its consumer start:\n${output(service)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(jsonLines(service)).toContainEqual(expect.objectContaining({ level: 'info', msg: 'shutting down', signal: 'SIGTERM', during: 'startup' }));
  });
});
