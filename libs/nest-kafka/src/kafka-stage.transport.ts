import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import {
  StageRunner,
  type BatchContext,
  type InboundMessage,
  type MessageOutcome,
  type StageHandler,
  type StageRunnerOptions,
} from '@vigie/kafka';
import type { Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';

export interface KafkaStageTransportOptions extends Omit<StageRunnerOptions, 'handler'> {
  readonly kafka: Kafka;
  /** The `@EventPattern` of the controller method that handles this stage's batches. */
  readonly pattern: string;
}

/**
 * NestJS transport for a pipeline stage. The stock Kafka transport has no eachBatch, no bounded
 * retries with a dead-letter topic and commits offsets of unhandled events; this one delegates
 * consumption to libs/kafka's StageRunner and hands each batch to the controller method
 * decorated with `@EventPattern(pattern)`, so Nest interceptors and filters still apply.
 */
export class KafkaStageTransport extends Server implements CustomTransportStrategy {
  private runner?: StageRunner;

  constructor(private readonly options: KafkaStageTransportOptions) {
    super();
  }

  isReady(): boolean {
    return this.runner?.isReady() ?? false;
  }

  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    const { kafka, pattern: _pattern, ...runnerOptions } = this.options;
    this.runner = new StageRunner(kafka, { ...runnerOptions, handler: this.stageHandler() });
    try {
      await this.runner.start();
    } catch (error) {
      // Nest waits for the callback, not for this promise: without it, startAllMicroservices
      // never settles and the failure (an unreachable broker) ends the process as an unhandled rejection.
      callback(error);
      return;
    }
    callback();
  }

  /** The controller method, through Nest's interceptors and filters, as the runner calls it. */
  stageHandler(): StageHandler {
    const handler = this.getHandlerByPattern(this.options.pattern);
    if (!handler) {
      throw new Error(`no controller method is decorated with @EventPattern('${this.options.pattern}')`);
    }
    return {
      handleBatch: async (messages: readonly InboundMessage[], context: BatchContext) =>
        lastValueFrom(this.transformToObservable(await handler(messages, context))) as Promise<readonly MessageOutcome[]>,
    };
  }

  async close(): Promise<void> {
    await this.runner?.stop();
  }

  on(): never {
    throw new Error('KafkaStageTransport reports status through metrics and health, not events');
  }

  unwrap<T>(): T {
    return this.runner as T;
  }
}
