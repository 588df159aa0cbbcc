import 'reflect-metadata';
import { Global, Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createCodecs, type Codecs } from '@vigie/contracts';
import {
  ConfigError,
  httpSpec,
  kafkaConnectionSpec,
  kafkaFetchSpec,
  loadConfig,
  logLevelSpec,
  redactConfig,
  toKafkaConnection,
  type Config,
  type ConfigSpec,
} from '@vigie/config';
import { ConsumerGroupLagReader, createKafka, type InputOrder, type StructuredLogger } from '@vigie/kafka';
import {
  ConsumerLagMonitor,
  JsonNestLogger,
  ObservabilityModule,
  PipelineMetrics,
  ReadinessRegistry,
  createLogger,
  createMetricsRegistry,
  logProcessWarnings,
} from '@vigie/observability';
import type { Kafka } from 'kafkajs';
import { KafkaStageTransport } from './kafka-stage.transport';
import { STAGE_PATTERN, StageController } from './stage.controller';
import { metricsObserver } from './metrics-observer';
import { CODECS, KAFKA, LOGGER, METRICS, SERVICE_CONFIG } from './tokens';


export interface StageServiceDefinition<S extends ConfigSpec> {
  /** Service name: logs, metrics label, consumer group `vigie-<service>`. */
  readonly service: string;
  readonly defaultHttpPort: number;
  /** The service's own variables, validated with the shared Kafka/HTTP/logging ones. */
  readonly config: S;
  readonly input: { readonly topics: readonly (string | RegExp)[]; readonly deadLetterTopic: string };
  /** Provides STAGE_HANDLER (and any HTTP controllers); may inject the tokens above. */
  readonly module: Type<unknown>;
  readonly partitionsConsumedConcurrently?: number;
  /** Default `publication`: see InputOrder. */
  readonly inputOrder?: InputOrder;
}

const SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * Starts one pipeline stage as its own process: validated configuration (fail fast with what to
 * set), JSON logs, /metrics and /health, the Kafka stage transport, and a graceful SIGTERM that
 * turns readiness off, drains the batch in hand, commits, leaves the group and exits.
 */
export async function runStageService<S extends ConfigSpec>(definition: StageServiceDefinition<S>): Promise<INestApplication> {
  const spec = { ...kafkaConnectionSpec, ...kafkaFetchSpec, ...httpSpec(definition.defaultHttpPort), ...logLevelSpec, ...definition.config };
  let config: Config<typeof spec>;
  try {
    config = loadConfig(spec);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.service}: invalid configuration\n${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = createLogger(definition.service, config.LOG_LEVEL);
  logProcessWarnings(log);
  log.info('starting', { config: redactConfig(spec, config) });

  const registry = createMetricsRegistry(definition.service);
  const metrics = PipelineMetrics.of(registry);
  const readiness = new ReadinessRegistry(log);
  const kafka = createKafka({ ...toKafkaConnection(config), clientId: `${config.KAFKA_CLIENT_ID}-${definition.service}` }, log);
  const codecs = createCodecs();

  @Global()
  @Module({})
  class StageRuntimeModule {
    static forRoot(): DynamicModule {
      return {
        module: StageRuntimeModule,
        providers: [
          { provide: SERVICE_CONFIG, useValue: config },
          { provide: LOGGER, useValue: log },
          { provide: KAFKA, useValue: kafka },
          { provide: CODECS, useValue: codecs },
          { provide: METRICS, useValue: metrics },
        ],
        exports: [SERVICE_CONFIG, LOGGER, KAFKA, CODECS, METRICS],
      };
    }
  }

  @Module({
    imports: [StageRuntimeModule.forRoot(), ObservabilityModule.forRoot({ service: definition.service, registry, readiness }), definition.module],
    controllers: [StageController],
  })
  class ServiceRootModule {}

  const app = await NestFactory.create(ServiceRootModule, { logger: new JsonNestLogger(log), bodyParser: true });
  const groupId = `vigie-${definition.service}`;
  // Until the shutdown is installed, a consumer that stopped for good just exits.
  let stopService = (reason: string, code: number): Promise<void> => {
    log.error('exiting', { reason });
    process.exit(code);
  };
  const transport = new KafkaStageTransport({
    kafka,
    pattern: STAGE_PATTERN,
    stage: definition.service,
    groupId,
    topics: definition.input.topics,
    deadLetterTopic: definition.input.deadLetterTopic,
    log,
    observer: metricsObserver(metrics, { alerts: true }),
    partitionsConsumedConcurrently: definition.partitionsConsumedConcurrently,
    inputOrder: definition.inputOrder,
    fetchMaxBytes: config.KAFKA_FETCH_MAX_BYTES,
    fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
    fetchBusyRate: config.KAFKA_FETCH_BUSY_RATE,
    onConsumerStopped: (error) => void stopService(`consumer stopped: ${error}`, 1),
  });
  readiness.register('kafka-consumer-group', () => transport.isReady());
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT);
  log.info('started', { httpPort: config.HTTP_PORT, groupId });

  const lagReader = new ConsumerGroupLagReader(kafka, groupId, definition.input.topics);
  const lagMonitor = new ConsumerLagMonitor(metrics.consumerLag, () => lagReader.read(), log);
  lagMonitor.start();
  stopService = installGracefulShutdown(app, transport, readiness, log, async () => {
    await lagMonitor.stop();
    await lagReader.close();
  });
  return app;
}

/**
 * On SIGTERM or SIGINT: readiness off, the batch in hand drained and committed, the group left,
 * exit 0. Returns the same shutdown for the service's own reasons (a consumer stopped for good),
 * which exits with the code given.
 */
function installGracefulShutdown(
  app: INestApplication,
  transport: KafkaStageTransport,
  readiness: ReadinessRegistry,
  log: StructuredLogger,
  stopMonitoring: () => Promise<void>,
): (reason: string, exitCode: number) => Promise<void> {
  let shuttingDown = false;
  const shutdown = async (reason: string, exitCode = 0): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (exitCode === 0) log.info('shutting down', { signal: reason });
    else log.error('shutting down', { reason, exitCode });
    readiness.markShuttingDown();
    const timer = setTimeout(() => {
      log.error('shutdown timed out; exiting', { timeoutMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await transport.close();
      await stopMonitoring();
      await app.close();
      log.info('stopped');
      process.exit(exitCode);
    } catch (error) {
      log.error('shutdown failed', { error: String(error) });
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return shutdown;
}

/** Entry point of a service's main.ts: a failure to start is logged as JSON and exits non-zero. */
export function launchStageService<S extends ConfigSpec>(definition: StageServiceDefinition<S>): void {
  runStageService(definition).catch((error: unknown) => {
    process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level: 'error', service: definition.service, msg: 'failed to start', error: String(error), stack: error instanceof Error ? error.stack : undefined })}\n`);
    process.exit(1);
  });
}

export type { Kafka, Codecs };
