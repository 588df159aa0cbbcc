import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis, createRedis, type RedisClient, type RedisConnectionLog } from './redis-connection';

const REDIS_URL = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:16379');

/** A TCP relay to the real Redis that can be cut and restored on the same port: an outage on demand. */
class RedisRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(REDIS_URL.port), REDIS_URL.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function recordingLog(): RedisConnectionLog & { lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  return { lines, info: (msg, fields) => lines.push({ level: 'info', msg, fields }), error: (msg, fields) => lines.push({ level: 'error', msg, fields }) };
}

const until = async (condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('Redis connection (real Redis behind a relay)', () => {
  let redis: RedisClient | undefined;
  afterEach(() => redis?.disconnect());

  it('logs an outage once, however many reconnections fail, and its end once, naming REDIS_URL', async () => {
    const relay = new RedisRelay();
    await relay.open();
    const log = recordingLog();
    const url = `redis://127.0.0.1:${relay.port}`;
    redis = createRedis(url, { log });
    await connectRedis(redis, url);
    expect(await redis.ping()).toBe('PONG');

    await relay.cut();
    let errors = 0;
    redis.on('error', () => errors++);
    // ioredis retries every 200 ms to 2 s: several failures.
    await until(() => errors >= 4);
    expect(log.lines).toEqual([{ level: 'error', msg: expect.stringContaining('Redis connection failing'), fields: expect.objectContaining({ variable: 'REDIS_URL', redisUrl: url }) }]);

    await relay.open();
    await until(() => redis!.status === 'ready');
    expect(await redis.ping()).toBe('PONG');
    expect(log.lines.map((l) => l.msg)).toEqual([expect.stringContaining('Redis connection failing'), 'Redis connection recovered']);
    await relay.cut();
  });

  it('fails to connect naming REDIS_URL and the cause, its password masked', async () => {
    const url = 'redis://:s3cret@127.0.0.1:1';
    redis = createRedis(url, { log: recordingLog() });
    const failure = connectRedis(redis, url);
    await expect(failure).rejects.toThrow(/REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });
});
