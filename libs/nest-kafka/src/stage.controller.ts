import { Catch, Controller, Inject, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import type { BatchContext, InboundMessage, MessageOutcome, StageHandler } from '@vigie/kafka';

/** The `@EventPattern` every stage's batches are routed to (one stage per service). */
export const STAGE_PATTERN = 'vigie.stage.batch';
/** Injection token of the service's StageHandler. */
export const STAGE_HANDLER = Symbol('STAGE_HANDLER');

/**
 * Hands a stage's error to the transport as it was thrown. Nest's own RPC exception handling turns
 * any error into `{ status: 'error', message: 'Internal server error' }`: the stage runner could
 * then no longer tell a retriable failure (Redis down) from a poison message, and would dead-letter
 * valid input after its retries.
 */
@Catch()
export class RethrowStageErrors implements RpcExceptionFilter {
  catch(error: unknown): Observable<never> {
    return throwError(() => error);
  }
}

/** Routes the transport's batches to the service's stage; the same for every service. */
@Controller()
@UseFilters(new RethrowStageErrors())
export class StageController {
  constructor(@Inject(STAGE_HANDLER) private readonly stage: StageHandler) {}

  @EventPattern(STAGE_PATTERN)
  handle(@Payload() messages: readonly InboundMessage[], @Ctx() context: BatchContext): Promise<readonly MessageOutcome[]> {
    return this.stage.handleBatch(messages, context);
  }
}
