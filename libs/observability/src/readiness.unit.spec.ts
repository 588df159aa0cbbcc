import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { ReadinessRegistry } from './readiness';

function setup() {
  const lines: string[] = [];
  const readiness = new ReadinessRegistry(createLogger('ingest', 'debug', { write: (line) => lines.push(line) }));
  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).map(({ level, msg, check, reason }) => ({ level, msg, check, reason }));
  return { readiness, logged };
}

describe('ReadinessRegistry', () => {
  it('reports each check: passing, returning false, throwing, or hanging past its timeout', async () => {
    const { readiness } = setup();
    readiness.register('kafka', () => true);
    readiness.register('schema', async () => false);
    readiness.register('redis', () => {
      throw new Error('ECONNREFUSED 127.0.0.1:16379');
    });
    readiness.register('slow', () => new Promise<boolean>(() => undefined), { timeoutMs: 20 });
    expect(await readiness.evaluate()).toEqual([
      { name: 'kafka', up: true },
      { name: 'schema', up: false, reason: 'check returned false' },
      { name: 'redis', up: false, reason: 'ECONNREFUSED 127.0.0.1:16379' },
      { name: 'slow', up: false, reason: 'timed out after 20 ms' },
    ]);
  });

  it('refuses a second check with the same name, and unregisters only its own', async () => {
    const { readiness } = setup();
    const unregister = readiness.register('kafka', () => true);
    expect(() => readiness.register('kafka', () => false)).toThrow(expect.objectContaining({ code: 'READINESS_CHECK_DUPLICATE' }));
    unregister();
    readiness.register('kafka', () => false);
    unregister();
    expect(await readiness.evaluate()).toEqual([{ name: 'kafka', up: false, reason: 'check returned false' }]);
  });

  it('logs changes of state, not every probe', async () => {
    const { readiness, logged } = setup();
    let joined = false;
    readiness.register('kafka', () => joined);
    await readiness.evaluate();
    await readiness.evaluate();
    joined = true;
    await readiness.evaluate();
    await readiness.evaluate();
    joined = false;
    await readiness.evaluate();
    expect(logged()).toEqual([
      { level: 'info', msg: 'readiness check not passing yet', check: 'kafka', reason: 'check returned false' },
      { level: 'info', msg: 'readiness check passing', check: 'kafka', reason: undefined },
      { level: 'warn', msg: 'readiness check failing', check: 'kafka', reason: 'check returned false' },
    ]);
  });

  it('turns shutting-down on once, including when Nest destroys the module', () => {
    const { readiness, logged } = setup();
    expect(readiness.isShuttingDown).toBe(false);
    readiness.onModuleDestroy();
    readiness.markShuttingDown();
    expect(readiness.isShuttingDown).toBe(true);
    expect(logged()).toHaveLength(1);
  });

  it('works without a logger, for registries built before the app', async () => {
    const readiness = new ReadinessRegistry();
    readiness.register('kafka', () => false);
    expect(await readiness.evaluate()).toEqual([{ name: 'kafka', up: false, reason: 'check returned false' }]);
    readiness.markShuttingDown();
    expect(readiness.isShuttingDown).toBe(true);
  });
});
