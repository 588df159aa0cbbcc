import 'reflect-metadata';
import { Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { VigieError } from '@vigie/contracts';
import type { BatchContext, StageHandler } from '@vigie/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStageTransport } from './kafka-stage.transport';
import { STAGE_HANDLER, STAGE_PATTERN, StageController } from './stage.controller';

/** A service's stage behind Nest, as the transport calls it (the runner is never started: no broker needed). */
async function throughNest(stage: StageHandler): Promise<{ handler: StageHandler; app: INestMicroservice }> {
  @Module({ controllers: [StageController], providers: [{ provide: STAGE_HANDLER, useValue: stage }] })
  class StageModule {}
  const transport = new KafkaStageTransport({ kafka: {} as Kafka, pattern: STAGE_PATTERN, stage: 'test', groupId: 'test', topics: ['t'], deadLetterTopic: 'dlq', log: { debug() {}, info() {}, warn() {}, error() {} } });
  const app = await NestFactory.createMicroservice(StageModule, { strategy: transport, logger: false });
  await app.init();
  return { handler: transport.stageHandler(), app };
}

describe('KafkaStageTransport', () => {
  let app: INestMicroservice | undefined;
  afterEach(async () => app?.close());

  it('hands the runner a stage error as it was thrown, so that a retriable failure (Redis down) is retried, not dead-lettered', async () => {
    const down = new VigieError('REDIS_COMMAND_FAILED', 'Redis is unreachable', true);
    const nest = await throughNest({ handleBatch: async () => Promise.reject(down) });
    app = nest.app;
    await expect(nest.handler.handleBatch([], {} as BatchContext)).rejects.toBe(down);
  });

  it('fails the start of Nest\'s microservices when the consumer cannot start (an unreachable broker), instead of leaving it pending', async () => {
    @Module({ controllers: [StageController], providers: [{ provide: STAGE_HANDLER, useValue: { handleBatch: async () => [] } }] })
    class StageModule {}
    const unreachable = new Kafka({ brokers: ['127.0.0.1:1'], retry: { retries: 0 }, logLevel: logLevel.NOTHING });
    const transport = new KafkaStageTransport({ kafka: unreachable, pattern: STAGE_PATTERN, stage: 'test', groupId: 'test', topics: ['t'], deadLetterTopic: 'dlq', log: { debug() {}, info() {}, warn() {}, error() {} } });
    app = await NestFactory.createMicroservice(StageModule, { strategy: transport, logger: false });
    const pending = new Promise((resolve) => setTimeout(resolve, 5_000, 'still pending'));
    await expect(Promise.race([app.listen(), pending])).rejects.toThrow(/ECONNREFUSED|Connection/);
  });

  it('hands the runner the stage outcomes', async () => {
    const nest = await throughNest({ handleBatch: async (messages) => messages.map(() => ({ kind: 'emit', disposition: 'processed', messages: [] })) });
    app = nest.app;
    const message = { topic: 't', partition: 0, offset: '0', key: null, value: null, headers: {}, timestamp: 0 };
    expect(await nest.handler.handleBatch([message], {} as BatchContext)).toEqual([{ kind: 'emit', disposition: 'processed', messages: [] }]);
  });
});
