import { VigieError } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { createLogger, serializeError } from './logger';

const FIXED = new Date('2025-03-01T12:00:00.000Z');

function collect(level: Parameters<typeof createLogger>[1] = 'debug') {
  const lines: string[] = [];
  const logger = createLogger('ingest', level, { write: (line) => lines.push(line), now: () => FIXED });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON object per line, ts/level/service/msg first, then fields', () => {
    const { logger, lines } = collect();
    logger.info('batch committed', { topic: 'incidents.validated', count: 3 });
    expect(lines).toEqual([
      '{"ts":"2025-03-01T12:00:00.000Z","level":"info","service":"ingest","msg":"batch committed","topic":"incidents.validated","count":3}',
    ]);
  });

  it('drops lines below its level and says which levels are enabled', () => {
    const { logger, records } = collect('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(records().map((r) => [r['level'], r['msg']])).toEqual([['warn', 'w'], ['error', 'e']]);
    expect([logger.isLevelEnabled('info'), logger.isLevelEnabled('warn'), logger.isLevelEnabled('error')]).toEqual([false, true, true]);
    expect(logger.level).toBe('warn');
  });

  it('writes to stdout by default', () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
    try {
      createLogger('enricher').warn('hello');
    } finally {
      process.stdout.write = original;
    }
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\{"ts":"\d{4}-\d\d-\d\dT[\d:.]+Z","level":"warn","service":"enricher","msg":"hello"\}\n$/);
  });

  it('binds fields in children, which override parent fields and are overridden by call fields', () => {
    const { logger, records } = collect();
    const child = logger.child({ topic: 'a', partition: 1 }).child({ partition: 2 });
    child.info('m', { offset: '10' });
    logger.info('parent unchanged');
    expect(records()).toEqual([
      { ts: FIXED.toISOString(), level: 'info', service: 'ingest', msg: 'm', topic: 'a', partition: 2, offset: '10' },
      { ts: FIXED.toISOString(), level: 'info', service: 'ingest', msg: 'parent unchanged' },
    ]);
  });

  it('keeps fields named like the reserved keys under an underscore instead of overwriting them', () => {
    const { logger, records } = collect();
    logger.warn('m', { level: 'custom', msg: 'other' });
    expect(records()[0]).toEqual({ ts: FIXED.toISOString(), level: 'warn', service: 'ingest', msg: 'm', _level: 'custom', _msg: 'other' });
  });

  it('serialises errors with code, retriability, stack and cause, wherever they sit', () => {
    const { logger, records } = collect();
    const cause = new Error('socket closed');
    const error = new VigieError('DECODE_FAILED', 'bad magic byte', false, { offset: '7' });
    (error as { cause?: unknown }).cause = cause;
    logger.error('dead-lettered', { err: error, nested: { inner: new TypeError('t') } });
    const [record] = records();
    expect(record!['err']).toEqual({
      name: 'VigieError',
      code: 'DECODE_FAILED',
      message: 'bad magic byte',
      retriable: false,
      details: { offset: '7' },
      stack: error.stack,
      cause: { name: 'Error', message: 'socket closed', stack: cause.stack },
    });
    expect((record!['nested'] as { inner: unknown }).inner).toMatchObject({ name: 'TypeError', message: 't' });
  });

  it('renders bigints as strings and survives circular fields', () => {
    const { logger, records } = collect();
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    logger.info('offsets', { high: 2n ** 70n });
    logger.info('loop', { circular });
    const [offsets, loop] = records();
    expect(offsets!['high']).toBe('1180591620717411303424');
    expect(loop).toMatchObject({ level: 'info', msg: 'loop', service: 'ingest' });
    expect(loop!['logError']).toMatch(/circular/i);
  });

  it('does not build the line at all when the level is off', () => {
    const { logger, lines } = collect('error');
    let touched = false;
    const fields = {
      get costly() {
        touched = true;
        return 1;
      },
    };
    logger.info('skipped', fields);
    expect(touched).toBe(false);
    expect(lines).toEqual([]);
  });
});

describe('serializeError', () => {
  it('wraps non-errors in a message', () => {
    expect(serializeError('boom')).toEqual({ message: 'boom' });
  });
  it('keeps numeric codes of system errors', () => {
    const error = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(serializeError(error)).toMatchObject({ name: 'Error', code: 'ECONNREFUSED', message: 'refused' });
  });
});
