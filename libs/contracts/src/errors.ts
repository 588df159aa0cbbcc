/**
 * Errors carry a stable code (logged, put in dead-letter headers, counted in metrics) and whether
 * retrying the same input can succeed. A non-retriable error on a message dead-letters it at once.
 */
export class VigieError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'VigieError';
  }
}

/** Classifies anything thrown: VigieErrors keep their code; unknown errors are treated as retriable once bounded. */
export function errorCode(error: unknown): string {
  return error instanceof VigieError ? error.code : 'UNEXPECTED';
}

export function isRetriable(error: unknown): boolean {
  return error instanceof VigieError ? error.retriable : true;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
