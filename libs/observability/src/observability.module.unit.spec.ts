import 'reflect-metadata';
import { Injectable, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, VigieLogger } from './logger';
import { MetricsRegistry, PipelineMetrics } from './metrics';
import { JsonNestLogger } from './nest-logger';
import { ObservabilityModule } from './observability.module';
import { ReadinessRegistry } from './readiness';

/** Stands for an adapter elsewhere in the app: injects the module's providers by type. */
@Injectable()
class FakeConsumer {
  joined = true;
  constructor(
    readonly readiness: ReadinessRegistry,
    readonly metrics: PipelineMetrics,
    readonly registry: MetricsRegistry,
    readonly logger: VigieLogger,
  ) {
    readiness.register('kafka-consumer', () => this.joined);
  }
}

@Module({ providers: [FakeConsumer] })
class FeatureModule {}

describe('ObservabilityModule (a real Nest app on a free port)', () => {
  const lines: string[] = [];
  const logger = createLogger('ingest', 'info', { write: (line) => lines.push(line) });
  let app: INestApplication;
  let base: string;
  let consumer: FakeConsumer;

  beforeAll(async () => {
    @Module({ imports: [ObservabilityModule.forRoot({ service: 'ingest', logger }), FeatureModule] })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: new JsonNestLogger(logger) });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    consumer = app.get(FakeConsumer);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('injects one registry, its pipeline metrics and the given logger by type', () => {
    expect(consumer.logger).toBe(logger);
    expect(consumer.metrics.registry).toBe(consumer.registry);
    expect(consumer.registry.service).toBe('ingest');
  });

  it('serves /metrics in the Prometheus text format, service-labelled', async () => {
    consumer.metrics.consumed.inc({ topic: 'feeds.sn.incidents' }, 2);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    // Express reorders the parameters (charset first); Prometheus reads them by name.
    const [mediaType, ...parameters] = (response.headers.get('content-type') ?? '').split(/;\s*/);
    expect(mediaType).toBe('text/plain');
    expect(parameters).toContain('version=0.0.4');
    const text = await response.text();
    expect(text).toContain('vigie_messages_consumed_total{topic="feeds.sn.incidents",service="ingest"} 2');
    expect(text).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
  });

  it('is live and ready while every check passes, and not ready when one fails', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { 'kafka-consumer': { status: 'up' }, lifecycle: { status: 'up' } } });

    consumer.joined = false;
    const notReady = await fetch(`${base}/health`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'error',
      error: { 'kafka-consumer': { status: 'down', reason: 'check returned false' } },
    });
    consumer.joined = true;
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('answers 503 on readiness once shutting down, while liveness stays ok', async () => {
    consumer.readiness.markShuttingDown();
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: { lifecycle: { status: 'down', state: 'shutting_down' } } });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  it("logged Nest's own start-up as JSON lines", () => {
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ level: 'info', service: 'ingest', context: 'NestApplication' }));
    expect(records.some((r) => r['context'] === 'RouterExplorer')).toBe(false);
  });
});

describe('ObservabilityModule with a readiness registry built before the app', () => {
  it('serves the checks registered beforehand and turns readiness off when the app closes', async () => {
    const readiness = new ReadinessRegistry();
    readiness.register('kafka-consumer-group', () => false);
    @Module({ imports: [ObservabilityModule.forRoot({ service: 'enricher', readiness }), FeatureModule] })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      expect(app.get(FakeConsumer).readiness).toBe(readiness);
      const response = await fetch(`${await app.getUrl()}/health/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        error: { 'kafka-consumer-group': { status: 'down' } },
        info: { 'kafka-consumer': { status: 'up' } },
      });
    } finally {
      await app.close();
    }
    expect(readiness.isShuttingDown).toBe(true);
  });
});
