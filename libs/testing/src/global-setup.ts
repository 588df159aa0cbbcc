import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createKafka, deploymentTopicCatalogue, ensureTopics } from '@vigie/kafka';
import { resolveStack } from './stack';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    redisUrl: string;
  }
}

const AGENCIES_FILE = resolve(__dirname, '../../../deploy/config/agencies.json');

/**
 * Vitest globalSetup of the integration project: one stack for the whole run, with every catalogue
 * topic created. Tests read KAFKA_BROKERS / REDIS_URL from process.env (worker processes are forked
 * after this runs and inherit it) or `inject('kafkaBrokers')` / `inject('redisUrl')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await resolveStack();
  try {
    const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'vigie-test-setup', ssl: false });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { created } = await ensureTopics(admin, deploymentTopicCatalogue(AGENCIES_FILE));
      if (created.length > 0) console.info(`[vigie] created ${created.length} topics on ${stack.kafkaBrokers.join(',')}`);
    } finally {
      await admin.disconnect();
    }
  } catch (error) {
    await stack.stop();
    throw error;
  }

  process.env['KAFKA_BROKERS'] = stack.kafkaBrokers.join(',');
  process.env['REDIS_URL'] = stack.redisUrl;
  project.provide('kafkaBrokers', stack.kafkaBrokers);
  project.provide('redisUrl', stack.redisUrl);
  console.info(`[vigie] ${stack.kind} stack: KAFKA_BROKERS=${process.env['KAFKA_BROKERS']} REDIS_URL=${stack.redisUrl}`);

  return () => stack.stop();
}
