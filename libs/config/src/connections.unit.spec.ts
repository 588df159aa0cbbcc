import { describe, expect, it } from 'vitest';
import { httpSpec, kafkaConnectionSpec, kafkaFetchSpec, logLevelSpec, redisSpec, toKafkaConnection } from './connections';
import { ConfigError, loadConfig } from './load-config';

const kafka = (source: Record<string, string>) => loadConfig(kafkaConnectionSpec, source);

function problems(load: () => unknown): unknown {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('kafkaConnectionSpec', () => {
  it('defaults to the local stack without TLS or SASL', () => {
    expect(toKafkaConnection(kafka({}))).toEqual({ brokers: ['127.0.0.1:19092'], clientId: 'vigie', ssl: false });
  });

  it('carries brokers, TLS and SCRAM credentials through to the connection', () => {
    const config = kafka({
      KAFKA_BROKERS: 'k1.example:9093, [::1]:9093',
      KAFKA_CLIENT_ID: 'vigie-ingest',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'agency-sn',
      KAFKA_SASL_PASSWORD: 'pa55',
    });
    expect(toKafkaConnection(config)).toEqual({
      brokers: ['k1.example:9093', '[::1]:9093'],
      clientId: 'vigie-ingest',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'agency-sn', password: 'pa55' },
    });
  });

  it('requires username and password once a SASL mechanism is chosen', () => {
    expect(problems(() => kafka({ KAFKA_SASL_MECHANISM: 'plain' }))).toEqual([
      { variable: 'KAFKA_SASL_USERNAME', problem: 'is required when KAFKA_SASL_MECHANISM is plain' },
      { variable: 'KAFKA_SASL_PASSWORD', problem: 'is required when KAFKA_SASL_MECHANISM is plain' },
    ]);
    expect(problems(() => kafka({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }))).toEqual([
      { variable: 'KAFKA_SASL_PASSWORD', problem: 'is required when KAFKA_SASL_MECHANISM is scram-sha-256' },
    ]);
  });

  it('reports an unknown mechanism once, not again as missing credentials', () => {
    expect(problems(() => kafka({ KAFKA_SASL_MECHANISM: 'kerberos' }))).toEqual([
      { variable: 'KAFKA_SASL_MECHANISM', problem: '"kerberos" is not one of: none | plain | scram-sha-256 | scram-sha-512' },
    ]);
  });

  it('rejects brokers that are not host:port', () => {
    expect(problems(() => kafka({ KAFKA_BROKERS: 'kafka-1,kafka-2:9092' }))).toEqual([
      { variable: 'KAFKA_BROKERS', problem: expect.stringContaining('not matching') as unknown },
    ]);
  });

  it('refuses to build a SASL connection from a hand-made config without credentials', () => {
    const handMade = { ...kafka({}), KAFKA_SASL_MECHANISM: 'plain' as const };
    expect(() => toKafkaConnection(handMade)).toThrow(/KAFKA_SASL_USERNAME/);
  });
});

describe('redisSpec, httpSpec, logLevelSpec', () => {
  const spec = { ...redisSpec, ...httpSpec(8082), ...logLevelSpec };

  it('default to the local Redis, the service port and info', () => {
    expect(loadConfig(spec, {})).toEqual({ REDIS_URL: 'redis://127.0.0.1:16379', REDIS_KEY_PREFIX: 'vigie:', HTTP_PORT: 8082, LOG_LEVEL: 'info' });
  });

  it('accept overrides and reject a non-Redis URL, a bad port and an unknown level together', () => {
    expect(loadConfig(spec, { REDIS_URL: 'rediss://cache:6380', REDIS_KEY_PREFIX: 'test-1:', HTTP_PORT: '0', LOG_LEVEL: 'warn' })).toEqual({
      REDIS_URL: 'rediss://cache:6380',
      REDIS_KEY_PREFIX: 'test-1:',
      HTTP_PORT: 0,
      LOG_LEVEL: 'warn',
    });
    const reported = problems(() => loadConfig(spec, { REDIS_URL: 'http://cache', HTTP_PORT: '70000', LOG_LEVEL: 'trace' }));
    expect((reported as { variable: string }[]).map((p) => p.variable)).toEqual(['REDIS_URL', 'HTTP_PORT', 'LOG_LEVEL']);
  });
});

describe('kafkaFetchSpec', () => {
  it('defaults to 2 MiB fetches and takes a size in bytes', () => {
    expect(loadConfig(kafkaFetchSpec, {}).KAFKA_FETCH_MAX_BYTES).toBe(2_097_152);
    expect(loadConfig(kafkaFetchSpec, { KAFKA_FETCH_MAX_BYTES: '1048576' }).KAFKA_FETCH_MAX_BYTES).toBe(1_048_576);
  });

  it('waits 50 ms for a fuller fetch when busy by default, and takes 0 to 1000 ms', () => {
    expect(loadConfig(kafkaFetchSpec, {}).KAFKA_FETCH_MAX_WAIT_MS).toBe(50);
    expect(loadConfig(kafkaFetchSpec, { KAFKA_FETCH_MAX_WAIT_MS: '0' }).KAFKA_FETCH_MAX_WAIT_MS).toBe(0);
    for (const value of ['-1', '1001', '5ms']) {
      expect((problems(() => loadConfig(kafkaFetchSpec, { KAFKA_FETCH_MAX_WAIT_MS: value })) as { variable: string }[]).map((p) => p.variable), value).toEqual(['KAFKA_FETCH_MAX_WAIT_MS']);
    }
  });

  it('turns a consumer busy at 200 messages a second by default; 0 keeps it busy', () => {
    expect(loadConfig(kafkaFetchSpec, {}).KAFKA_FETCH_BUSY_RATE).toBe(200);
    expect(loadConfig(kafkaFetchSpec, { KAFKA_FETCH_BUSY_RATE: '0' }).KAFKA_FETCH_BUSY_RATE).toBe(0);
    for (const value of ['-1', 'fast', '2.5']) {
      expect((problems(() => loadConfig(kafkaFetchSpec, { KAFKA_FETCH_BUSY_RATE: value })) as { variable: string }[]).map((p) => p.variable), value).toEqual(['KAFKA_FETCH_BUSY_RATE']);
    }
  });

  it('refuses sizes that would stall or bloat a consumer, and non-integers', () => {
    for (const value of ['1000', '134217728', '2MB']) {
      expect((problems(() => loadConfig(kafkaFetchSpec, { KAFKA_FETCH_MAX_BYTES: value })) as { variable: string }[]).map((p) => p.variable), value).toEqual(['KAFKA_FETCH_MAX_BYTES']);
    }
  });
});
