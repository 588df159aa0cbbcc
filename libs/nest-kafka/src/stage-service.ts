import 'reflect-metadata';
import { Global, Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createCodecs, VigieError, type Codecs } from '@vigie/contracts';
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
  type HttpConfig,
  type KafkaConnectionConfig,
  type KafkaFetchConfig,
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
  type VigieLogger,
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
  const readiness = new ReadinessRegistry(log);
  // Before anything starts: a start-up can take minutes (a dispatcher restoring its delivery ledger).
  const shutdown = new StageShutdown(log, readiness);
  log.info('starting', { config: redactConfig(spec, config) });
  try {
    return await startStage(definition, config, log, readiness, shutdown);
  } catch (error) {
    throw namingKafkaSettings(error, config);
  }
}

async function startStage<S extends ConfigSpec>(
  definition: StageServiceDefinition<S>,
  config: Config<S> & KafkaConnectionConfig & KafkaFetchConfig & HttpConfig,
  log: VigieLogger,
  readiness: ReadinessRegistry,
  shutdown: StageShutdown,
): Promise<INestApplication> {
  const registry = createMetricsRegistry(definition.service);
  const metrics = PipelineMetrics.of(registry);
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

  // abortOnError false: a module that fails to start rejects here, and so reaches launchStageService,
  // instead of Nest exiting on its own.
  const app = await NestFactory.create(ServiceRootModule, { logger: new JsonNestLogger(log), bodyParser: true, abortOnError: false });
  const groupId = `vigie-${definition.service}`;
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
    onConsumerStopped: (error) => void shutdown.stop(`consumer stopped: ${error}`, 1),
  });
  readiness.register('kafka-consumer-group', () => transport.isReady());
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  const lagReader = new ConsumerGroupLagReader(kafka, groupId, definition.input.topics);
  const lagMonitor = new ConsumerLagMonitor(metrics.consumerLag, () => lagReader.read(), log);
  // From here on batches may be in hand: a stop drains them.
  shutdown.drainWith(async () => {
    await transport.close();
    await lagMonitor.stop();
    await lagReader.close();
    await app.close();
  });
  await app.listen(config.HTTP_PORT);
  if (shutdown.requested) return app;
  log.info('started', { httpPort: config.HTTP_PORT, groupId });
  lagMonitor.start();
  return app;
}

/**
 * SIGTERM and SIGINT, handled from the start of the process. Until the consumer runs, nothing is
 * in hand: a signal logs and exits 0 at once (the work of a start-up, such as a ledger restore, is
 * idempotent and redone by the next start). From then on: readiness off, the batch in hand drained
 * and committed, the group left, exit 0. The service's own reasons (a consumer stopped for good)
 * stop it the same way with the exit code given.
 */
class StageShutdown {
  private drain?: () => Promise<void>;
  private stopping = false;

  constructor(
    private readonly log: StructuredLogger,
    private readonly readiness: ReadinessRegistry,
  ) {
    process.once('SIGTERM', () => void this.stop('SIGTERM'));
    process.once('SIGINT', () => void this.stop('SIGINT'));
  }

  get requested(): boolean {
    return this.stopping;
  }

  /** What a stop must do from now on, the consumer running. */
  drainWith(drain: () => Promise<void>): void {
    this.drain = drain;
  }

  async stop(reason: string, exitCode = 0): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const during = this.drain ? undefined : 'startup';
    if (exitCode === 0) this.log.info('shutting down', { signal: reason, during });
    else this.log.error('shutting down', { reason, exitCode, during });
    if (!this.drain) process.exit(exitCode);
    this.readiness.markShuttingDown();
    const timer = setTimeout(() => {
      this.log.error('shutdown timed out; exiting', { timeoutMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await this.drain();
      this.log.info('stopped');
      process.exit(exitCode);
    } catch (error) {
      this.log.error('shutdown failed', { error: String(error) });
      process.exit(1);
    }
  }
}

/**
 * kafkajs' errors name neither the setting nor the brokers (an unreachable broker fails after about
 * a minute of retries as "Connection error: connect ECONNREFUSED"): say what to check.
 */
export function namingKafkaSettings(error: unknown, config: KafkaConnectionConfig): unknown {
  if (!isKafkaError(error)) return error;
  return new VigieError(
    'KAFKA_UNAVAILABLE',
    `Kafka refused or did not answer; check KAFKA_BROKERS=${config.KAFKA_BROKERS.join(',')} (and KAFKA_SSL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME/PASSWORD): ${String(error)}`,
    true,
    { variable: 'KAFKA_BROKERS' },
  );
}

function isKafkaError(error: unknown): boolean {
  for (let at = error; at instanceof Error; at = at.cause) if (at.name.startsWith('KafkaJS')) return true;
  return false;
}

/** Entry point of a service's main.ts: a failure to start is logged as JSON and exits non-zero. */
export function launchStageService<S extends ConfigSpec>(definition: StageServiceDefinition<S>): void {
  runStageService(definition).catch((error: unknown) => {
    process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level: 'error', service: definition.service, msg: 'failed to start', error: String(error), stack: error instanceof Error ? error.stack : undefined })}\n`);
    process.exit(1);
  });
}

export type { Kafka, Codecs };
