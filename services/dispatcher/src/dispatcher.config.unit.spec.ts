import { loadConfig } from '@vigie/config';
import { AGENCY_TOPIC_RETENTION_DAYS } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { dispatcherConfigSpec } from './dispatcher.config';

const env = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('DELIVERY_TTL_DAYS', () => {
  it('reaches at most as far back as the agency topics keep deliveries, from which the ledger is restored', () => {
    expect(loadConfig(dispatcherConfigSpec, { ...env, DELIVERY_TTL_DAYS: String(AGENCY_TOPIC_RETENTION_DAYS) }).DELIVERY_TTL_DAYS).toBe(AGENCY_TOPIC_RETENTION_DAYS);
    expect(() => loadConfig(dispatcherConfigSpec, { ...env, DELIVERY_TTL_DAYS: String(AGENCY_TOPIC_RETENTION_DAYS + 1) })).toThrow(/DELIVERY_TTL_DAYS/);
  });
});

describe('CONTROL_API_TOKENS and GEO_REFERENCE_DIR', () => {
  it('are checked at startup, naming the variable', () => {
    expect(loadConfig(dispatcherConfigSpec, { ...env, CONTROL_API_TOKENS: 'amadou=s3cret' }).CONTROL_API_TOKENS).toBe('amadou=s3cret');
    expect(() => loadConfig(dispatcherConfigSpec, { ...env, CONTROL_API_TOKENS: 'garbage' })).toThrow(/CONTROL_API_TOKENS value \(hidden\) has an entry/);
    expect(() => loadConfig(dispatcherConfigSpec, { ...env, GEO_REFERENCE_DIR: '/nonexistent' })).toThrow(/GEO_REFERENCE_DIR "\/nonexistent" does not exist/);
  });
});
