import { kafkaConnectionSpec, loadConfig } from '@vigie/config';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { namingKafkaSettings } from './stage-service';

describe('namingKafkaSettings', () => {
  const config = loadConfig(kafkaConnectionSpec, { KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' });

  it('says which variable to check, and its value, when Kafka failed the start', () => {
    const refused = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 10.0.0.1:9092'), { retryCount: 8, retryTime: 30_000 });
    const error = namingKafkaSettings(refused, config);
    expect(String(error)).toContain('check KAFKA_BROKERS=kafka-1:9092,kafka-2:9092');
    expect(String(error)).toContain('ECONNREFUSED');
  });

  it('leaves other failures as they are (they name their own variable)', () => {
    const other = new Error('cannot connect to Redis at REDIS_URL=redis://cache:6379');
    expect(namingKafkaSettings(other, config)).toBe(other);
  });
});
