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
