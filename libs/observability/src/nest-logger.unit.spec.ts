import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { JsonNestLogger } from './nest-logger';

function collect(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const nest = new JsonNestLogger(createLogger('dispatcher', level, { write: (line) => lines.push(line) }));
  return { nest, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
const STACK = 'Error: boom\n    at Object.<anonymous> (/app/main.js:1:1)';

describe('JsonNestLogger', () => {
  it('maps log to info with the context as a field', () => {
    const { nest, records } = collect();
    nest.log('Nest application successfully started', 'NestApplication');
    expect(records()).toEqual([
      expect.objectContaining({ level: 'info', service: 'dispatcher', msg: 'Nest application successfully started', context: 'NestApplication' }),
    ]);
  });

  it("turns Nest's per-module and per-route start-up lines into debug", () => {
    const { nest, records } = collect('info');
    nest.log('Mapped {/metrics, GET} route', 'RouterExplorer');
    nest.log('AppModule dependencies initialized', 'InstanceLoader');
    expect(records()).toEqual([]);
    const verbose = collect('debug');
    verbose.nest.log('Mapped {/metrics, GET} route', 'RouterExplorer');
    expect(verbose.records()[0]).toMatchObject({ level: 'debug', context: 'RouterExplorer' });
  });

  it('reads error(message, stack, context), error(message, stack) and error(Error)', () => {
    const { nest, records } = collect();
    nest.error('failed', STACK, 'ExceptionsHandler');
    nest.error('failed without context', STACK);
    const thrown = new Error('thrown');
    nest.error(thrown);
    const [withContext, withoutContext, fromError] = records();
    expect(withContext).toMatchObject({ level: 'error', msg: 'failed', stack: STACK, context: 'ExceptionsHandler' });
    expect(withoutContext).toMatchObject({ msg: 'failed without context', stack: STACK });
    expect(withoutContext).not.toHaveProperty('context');
    expect(fromError).toMatchObject({ msg: 'thrown', err: { name: 'Error', message: 'thrown', stack: thrown.stack } });
  });

  it('maps error(message) from a Logger with context, where Nest passes undefined as the stack', () => {
    const { nest, records } = collect();
    nest.error('no stack', undefined, 'Consumer');
    expect(records()[0]).toEqual(expect.objectContaining({ msg: 'no stack', context: 'Consumer' }));
    expect(records()[0]).not.toHaveProperty('stack');
  });

  it('maps warn, debug, verbose and fatal, and keeps object messages and extra arguments', () => {
    const { nest, records } = collect();
    nest.warn({ message: 'slow', ms: 900 }, 'Scheduler');
    nest.debug('d', 'Ctx');
    nest.verbose('v', 'Ctx');
    nest.fatal('dying', 'Main');
    nest.log('with extras', 1, 'Ctx');
    expect(records().map(({ ts: _ts, service: _service, ...rest }) => rest)).toEqual([
      { level: 'warn', msg: 'slow', context: 'Scheduler', data: { message: 'slow', ms: 900 } },
      { level: 'debug', msg: 'd', context: 'Ctx' },
      { level: 'debug', msg: 'v', context: 'Ctx' },
      { level: 'error', msg: 'dying', fatal: true, context: 'Main' },
      { level: 'info', msg: 'with extras', context: 'Ctx', args: [1] },
    ]);
  });
});
