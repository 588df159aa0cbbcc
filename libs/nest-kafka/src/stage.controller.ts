import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { BatchContext, InboundMessage, MessageOutcome, StageHandler } from '@vigie/kafka';

/** The `@EventPattern` every stage's batches are routed to (one stage per service). */
export const STAGE_PATTERN = 'vigie.stage.batch';
/** Injection token of the service's StageHandler. */
export const STAGE_HANDLER = Symbol('STAGE_HANDLER');

/** Routes the transport's batches to the service's stage; the same for every service. */
@Controller()
export class StageController {
  constructor(@Inject(STAGE_HANDLER) private readonly stage: StageHandler) {}

  @EventPattern(STAGE_PATTERN)
  handle(@Payload() messages: readonly InboundMessage[], @Ctx() context: BatchContext): Promise<readonly MessageOutcome[]> {
    return this.stage.handleBatch(messages, context);
  }
}
