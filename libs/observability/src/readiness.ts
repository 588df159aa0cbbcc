import { Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { errorMessage, VigieError } from '@vigie/contracts';
import { VigieLogger } from './logger';

/** True when the dependency is usable: consumer joined, Redis answers PING, … */
export type ReadinessCheck = () => Promise<boolean> | boolean;

export interface ReadinessResult {
  readonly name: string;
  readonly up: boolean;
  /** Why a check is down: returned false, threw, or timed out. */
  readonly reason?: string;
}

export interface ReadinessCheckOptions {
  /** A check that hangs (a Redis failover) must not hang the probe. Default 2 s. */
  readonly timeoutMs?: number;
}

interface RegisteredCheck {
  readonly check: ReadinessCheck;
  readonly timeoutMs: number;
  lastUp?: boolean;
}

const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * Where adapters register named readiness checks; /health/ready reports them all. Readiness turns
 * false for good once shutdown starts, so a load balancer stops routing before the process drains.
 */
@Injectable()
export class ReadinessRegistry implements OnModuleDestroy {
  private readonly checks = new Map<string, RegisteredCheck>();
  private shuttingDown = false;

  /** Without a logger (built before the app, say) it works the same, silently. */
  constructor(@Optional() private readonly logger?: VigieLogger) {}

  /** Returns a function that removes the check (for adapters that stop before the app does). */
  register(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): () => void {
    if (this.checks.has(name)) {
      throw new VigieError('READINESS_CHECK_DUPLICATE', `readiness check "${name}" is already registered`, false, { name });
    }
    const entry: RegisteredCheck = { check, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    this.checks.set(name, entry);
    return () => {
      if (this.checks.get(name) === entry) this.checks.delete(name);
    };
  }

  markShuttingDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.logger?.info('shutting down: readiness is now false');
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  onModuleDestroy(): void {
    this.markShuttingDown();
  }

  /** Runs every check concurrently; logs each check's changes of state, not every probe. */
  async evaluate(): Promise<ReadinessResult[]> {
    return Promise.all(
      [...this.checks].map(async ([name, entry]) => {
        const result = await runCheck(name, entry);
        if (entry.lastUp !== result.up) this.logChange(result, entry.lastUp);
        entry.lastUp = result.up;
        return result;
      }),
    );
  }

  private logChange(result: ReadinessResult, before: boolean | undefined): void {
    if (!this.logger) return;
    const fields = { check: result.name, ...(result.reason !== undefined ? { reason: result.reason } : {}) };
    if (result.up) this.logger.info('readiness check passing', fields);
    else if (before === true) this.logger.warn('readiness check failing', fields);
    else this.logger.info('readiness check not passing yet', fields);
  }
}

async function runCheck(name: string, { check, timeoutMs }: RegisteredCheck): Promise<ReadinessResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessResult>((resolve) => {
    timer = setTimeout(() => resolve({ name, up: false, reason: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const outcome = (async (): Promise<ReadinessResult> => {
    try {
      return (await check()) ? { name, up: true } : { name, up: false, reason: 'check returned false' };
    } catch (error) {
      return { name, up: false, reason: errorMessage(error) };
    }
  })();
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
