import { VigieError, errorCode, errorMessage } from '@vigie/contracts';
import type { MessageFailure, MessageOutcome } from './types';

export interface RetryPolicy {
  /** Attempts per message (or per batch) before giving up; ≥ 1. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 5_000 };

export const backoffMs = (policy: RetryPolicy, attempt: number): number =>
  Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, attempt - 1));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An infrastructure failure (broker, Redis): the messages are not at fault and must never be dead-lettered. */
export function isInfrastructureFailure(error: unknown): boolean {
  return error instanceof VigieError && error.retriable;
}

export function failureOf(error: unknown, attempts: number): MessageFailure {
  return { code: errorCode(error), message: errorMessage(error), attempts };
}

/**
 * Runs a synchronous per-message step with bounded attempts: a non-retriable VigieError
 * dead-letters at once, anything else unexpected after `maxAttempts`.
 */
export function attemptEach<T>(
  items: readonly T[],
  step: (item: T, index: number) => MessageOutcome,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): MessageOutcome[] {
  const outcomes = new Array<MessageOutcome>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    for (let attempt = 1; ; attempt++) {
      try {
        outcomes[i] = step(item, i);
        break;
      } catch (error) {
        const permanent = error instanceof VigieError && !error.retriable;
        if (permanent || attempt >= policy.maxAttempts) {
          outcomes[i] = { kind: 'dead-letter', failure: failureOf(error, attempt) };
          break;
        }
      }
    }
  }
  return outcomes;
}
