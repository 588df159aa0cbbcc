import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { env } from './env';
import { ConfigError, loadConfig } from './load-config';
import type { ConfigSpec } from './spec';

/** Loads one variable named V and returns its value, or the ConfigError problems. */
function loadOne(spec: ConfigSpec[string], raw: string | undefined): unknown {
  return loadConfig({ V: spec }, { V: raw })['V'];
}
function problemOf(spec: ConfigSpec[string], raw: string | undefined): string {
  try {
    loadConfig({ V: spec }, { V: raw });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.problem).join('; ');
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('env.string', () => {
  it('returns the trimmed value, the default when unset or empty, and checks the pattern', () => {
    const spec = env.string({ description: 'd', default: 'dflt', pattern: /^[a-z]+$/ });
    expect(loadOne(spec, '  abc ')).toBe('abc');
    expect(loadOne(spec, undefined)).toBe('dflt');
    expect(loadOne(spec, '   ')).toBe('dflt');
    expect(problemOf(spec, 'AB1')).toBe('"AB1" does not match /^[a-z]+$/');
  });
});

describe('env.int', () => {
  const port = env.int({ description: 'd', min: 1, max: 65535 });
  it('parses signed decimal integers', () => {
    expect(loadOne(port, '8080')).toBe(8080);
    expect(loadOne(port, '+7')).toBe(7);
    expect(loadOne(env.int({ description: 'd' }), '-3')).toBe(-3);
  });
  it('rejects fractions, words, hex, unsafe integers and values out of range', () => {
    expect(problemOf(port, '80.5')).toBe('"80.5" is not an integer');
    expect(problemOf(port, 'eighty')).toBe('"eighty" is not an integer');
    expect(problemOf(port, '0x50')).toBe('"0x50" is not an integer');
    expect(problemOf(env.int({ description: 'd' }), '9007199254740993')).toContain('too large');
    expect(problemOf(port, '0')).toBe('"0" is out of range (expected integer 1..65535)');
    expect(problemOf(port, '65536')).toContain('out of range');
  });
});

describe('env.number', () => {
  const ratio = env.number({ description: 'd', min: 0, max: 1 });
  it('parses decimals and exponents', () => {
    expect(loadOne(ratio, '0.25')).toBe(0.25);
    expect(loadOne(ratio, '.5')).toBe(0.5);
    expect(loadOne(env.number({ description: 'd' }), '1e3')).toBe(1000);
  });
  it('rejects words, hex, infinity and values out of range', () => {
    expect(problemOf(ratio, 'half')).toBe('"half" is not a number');
    expect(problemOf(ratio, '0x1')).toBe('"0x1" is not a number');
    expect(problemOf(ratio, 'Infinity')).toBe('"Infinity" is not a number');
    expect(problemOf(ratio, '1.5')).toBe('"1.5" is out of range (expected number 0..1)');
  });
});

describe('env.bool', () => {
  const flag = env.bool({ description: 'd', default: false });
  it.each([
    ['true', true], ['TRUE', true], ['1', true], ['yes', true], ['On', true],
    ['false', false], ['0', false], ['no', false], ['OFF', false],
  ])('reads %s as %s', (raw, expected) => {
    expect(loadOne(flag, raw)).toBe(expected);
  });
  it('rejects anything else', () => {
    expect(problemOf(flag, 'maybe')).toBe('"maybe" is not a boolean (use true or false)');
  });
});

describe('env.list', () => {
  const hosts = env.list({ description: 'd', itemPattern: /^[a-z]+:\d+$/ });
  it('splits on commas, trims items and drops empty ones', () => {
    expect(loadOne(hosts, ' a:1 , b:2 ,,')).toEqual(['a:1', 'b:2']);
    expect(loadOne(env.list({ description: 'd', default: ['x'] }), undefined)).toEqual(['x']);
  });
  it('names every item that does not match, and rejects a list of nothing', () => {
    expect(problemOf(hosts, 'a:1,B,c')).toBe('"a:1,B,c" has items not matching /^[a-z]+:\\d+$/: "B", "c"');
    expect(problemOf(hosts, ' , ,')).toBe('", ," has no items');
  });
});

describe('env.url', () => {
  const redis = env.url({ description: 'd', protocols: ['redis', 'rediss:'] });
  it('accepts URLs of the allowed schemes, unchanged', () => {
    expect(loadOne(redis, 'rediss://cache.example:6380/2')).toBe('rediss://cache.example:6380/2');
  });
  it('rejects malformed URLs and other schemes, masking any password', () => {
    expect(problemOf(redis, 'cache:6379')).toBe('"cache:6379" is not a valid URL (scheme://host:port)');
    expect(problemOf(redis, 'redis://bad host')).toContain('is not a valid URL');
    expect(problemOf(redis, 'http://u:pw@cache')).toBe('"http://u:***@cache" has scheme http, expected one of redis: rediss:');
  });
});

describe('env.enumOf', () => {
  const level = env.enumOf(['debug', 'info'], { description: 'd', default: 'info' });
  it('matches case-insensitively and returns the canonical value', () => {
    expect(loadOne(level, 'DEBUG')).toBe('debug');
    expect(loadOne(level, undefined)).toBe('info');
  });
  it('lists the accepted values when rejecting', () => {
    expect(problemOf(level, 'trace')).toBe('"trace" is not one of: debug | info');
  });
  it('infers the union of values as the type', () => {
    expectTypeOf(loadConfig({ L: level }, {}).L).toEqualTypeOf<'debug' | 'info'>();
  });
});

describe('env.secret', () => {
  const password = env.secret({ description: 'd', pattern: /^\S{8,}$/ });
  it('keeps the value verbatim, surrounding spaces included', () => {
    expect(loadOne(env.secret({ description: 'd' }), ' s3cret ')).toBe(' s3cret ');
  });
  it('never echoes the value in problems or the error message', () => {
    try {
      loadConfig({ PASSWORD: password }, { PASSWORD: 'hunter2' });
      expect.unreachable();
    } catch (error) {
      const configError = error as ConfigError;
      expect(configError.problems).toEqual([{ variable: 'PASSWORD', problem: 'value (hidden) does not match /^\\S{8,}$/' }]);
      expect(configError.message).not.toContain('hunter2');
      expect(JSON.stringify(configError)).not.toContain('hunter2');
    }
  });
});

describe('presence', () => {
  it('reports a variable without default as not set, and leaves optional ones undefined', () => {
    expect(problemOf(env.string({ description: 'd' }), undefined)).toBe('is not set');
    expect(problemOf(env.string({ description: 'd' }), '')).toBe('is not set');
    expect(loadOne(env.int({ description: 'd', optional: true }), undefined)).toBeUndefined();
  });
  it('types optional values as possibly undefined and defaulted ones as present', () => {
    const config = loadConfig(
      { A: env.int({ description: 'd', optional: true }), B: env.int({ description: 'd', default: 1 }), C: env.list({ description: 'd' }) },
      { C: 'x' },
    );
    expectTypeOf(config.A).toEqualTypeOf<number | undefined>();
    expectTypeOf(config.B).toEqualTypeOf<number>();
    expectTypeOf(config.C).toEqualTypeOf<string[]>();
  });
});

describe('env.file and env.folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-config-'));
  const good = join(dir, 'good.json');
  writeFileSync(good, '{"ok": true}');
  const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

  it('accepts a readable file that its loader accepts, and returns the path', () => {
    expect(loadOne(env.file({ description: 'd', load: readJson }), good)).toBe(good);
    expect(loadOne(env.folder({ description: 'd' }), dir)).toBe(dir);
  });

  it('reports a missing path, a path of the other kind and content its loader refuses as problems of the variable, the default included', () => {
    expect(problemOf(env.file({ description: 'd' }), join(dir, 'missing.json'))).toBe(`${JSON.stringify(join(dir, 'missing.json'))} does not exist`);
    expect(problemOf(env.file({ description: 'd' }), dir)).toBe(`${JSON.stringify(dir)} is not a file`);
    expect(problemOf(env.folder({ description: 'd' }), good)).toBe(`${JSON.stringify(good)} is not a folder`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'not json');
    expect(problemOf(env.file({ description: 'd', load: readJson }), bad)).toMatch(/^".*bad\.json" cannot be used: .*JSON/);
    expect(problemOf(env.file({ description: 'd', default: bad, load: readJson }), undefined)).toMatch(/cannot be used/);
  });

  it('says where a relative path was looked for', () => {
    expect(problemOf(env.file({ description: 'd' }), 'no/such/file.json')).toBe(`"no/such/file.json" (relative to ${process.cwd()}) does not exist`);
  });

  it('checks nothing when an optional path is unset', () => {
    expect(loadOne(env.folder({ description: 'd', optional: true, load: () => { throw new Error('never'); } }), undefined)).toBeUndefined();
  });
});

describe('env.namedSecrets', () => {
  const tokens = env.namedSecrets({ description: 'd', namePattern: /^[a-z-]+$/, optional: true });
  it('returns the raw pairs', () => {
    expect(loadOne(tokens, 'ml-police=s3cret, sn-police=a=b')).toBe('ml-police=s3cret, sn-police=a=b');
  });
  it('refuses an entry without a name, a secret or a valid name, never echoing it (it may be a bare secret)', () => {
    for (const raw of ['garbage', 'ml-police=ok,=s3cret', 'ml-police=', 'ML_POLICE=s3cret']) {
      const problem = problemOf(tokens, raw);
      expect(problem, raw).toMatch(/^value \(hidden\) has an entry \(number \d of \d\) that is not name=secret/);
      expect(problem, raw).not.toContain('s3cret');
      expect(problem, raw).not.toContain('garbage');
    }
  });
});
