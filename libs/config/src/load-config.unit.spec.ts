import { describe, expect, it } from 'vitest';
import { env } from './env';
import { ConfigError, configErrorOf, loadConfig, maskUrlCredentials, redactConfig } from './load-config';

const spec = {
  PORT: env.int({ description: 'HTTP port.', min: 1, max: 65535, example: '8080' }),
  MODE: env.enumOf(['fast', 'safe'], { description: 'Processing mode' }),
  NAME: env.string({ description: 'Display name', default: 'vigie' }),
  TOKEN: env.secret({ description: 'API token' }),
  TOKEN_USER: env.string({
    description: 'Who owns the token',
    optional: true,
    check: (value, config) => (config['MODE'] === 'safe' && value === undefined ? 'is required in safe mode' : undefined),
  }),
};

function errorFrom(source: Record<string, string>): ConfigError {
  const error = configErrorOf(spec, source);
  if (!error) throw new Error('expected a ConfigError');
  return error;
}

describe('loadConfig', () => {
  it('returns typed, frozen values keyed by variable name', () => {
    const config = loadConfig(spec, { PORT: '8080', MODE: 'fast', TOKEN: 't' });
    expect(config).toEqual({ PORT: 8080, MODE: 'fast', NAME: 'vigie', TOKEN: 't', TOKEN_USER: undefined });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads process.env when no source is given', () => {
    process.env['VIGIE_TEST_ONLY_VAR'] = '12';
    try {
      expect(loadConfig({ VIGIE_TEST_ONLY_VAR: env.int({ description: 'd' }) }).VIGIE_TEST_ONLY_VAR).toBe(12);
    } finally {
      delete process.env['VIGIE_TEST_ONLY_VAR'];
    }
  });

  it('reports every problem at once, in spec order, with a stable code', () => {
    const error = errorFrom({ PORT: 'http', MODE: 'turbo', TOKEN: '' });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.retriable).toBe(false);
    expect(error.problems).toEqual([
      { variable: 'PORT', problem: '"http" is not an integer' },
      { variable: 'MODE', problem: '"turbo" is not one of: fast | safe' },
      { variable: 'TOKEN', problem: 'is not set' },
    ]);
  });

  it('explains each problem with the description, accepted values and an example', () => {
    const lines = errorFrom({ PORT: 'http', MODE: 'fast', TOKEN: 't' }).message.split('\n');
    expect(lines).toEqual([
      'Invalid configuration (1 problem); set these environment variables:',
      '  - PORT "http" is not an integer — HTTP port (integer 1..65535). Example: PORT=8080',
    ]);
  });

  it('runs cross-field checks against the values that parsed', () => {
    expect(errorFrom({ PORT: '1', MODE: 'safe', TOKEN: 't' }).problems).toEqual([
      { variable: 'TOKEN_USER', problem: 'is required in safe mode' },
    ]);
    expect(loadConfig(spec, { PORT: '1', MODE: 'safe', TOKEN: 't', TOKEN_USER: 'ops' }).TOKEN_USER).toBe('ops');
  });

  it('does not echo secrets in the message, even as an example', () => {
    const error = errorFrom({ PORT: '1', MODE: 'safe', TOKEN: 'xyz-secret-value' });
    expect(error.message).not.toContain('xyz-secret-value');
    expect(errorFrom({ PORT: '1', MODE: 'fast' }).message).toContain('TOKEN is not set — API token (secret). Example: TOKEN=<secret>');
  });
});

describe('redactConfig', () => {
  it('hides secrets and URL passwords, keeps everything else', () => {
    const urlSpec = { URL: env.url({ description: 'd' }), KEY: env.secret({ description: 'd' }), N: env.int({ description: 'd' }) };
    const config = loadConfig(urlSpec, { URL: 'redis://admin:pw@cache:6379', KEY: 'k', N: '3' });
    expect(redactConfig(urlSpec, config)).toEqual({ URL: 'redis://admin:***@cache:6379', KEY: '***', N: 3 });
  });
});

describe('maskUrlCredentials', () => {
  it('masks passwords, leaves URLs without one alone', () => {
    expect(maskUrlCredentials('rediss://:p@ss@host')).toBe('rediss://:***@host');
    expect(maskUrlCredentials('redis://user@host:1')).toBe('redis://user@host:1');
    expect(maskUrlCredentials('a, http://u:p@h, b')).toBe('a, http://u:***@h, b');
  });
});
