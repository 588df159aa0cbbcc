import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessRegistry } from './readiness';

/**
 * `/health/live`: the process runs (a restart would not help anything else).
 * `/health/ready` and `/health`: every readiness check passes and shutdown has not begun; 503 otherwise.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok', info: { process: { status: 'up', uptimeSeconds: Math.round(process.uptime()) } } };
  }

  @Get(['', 'ready'])
  @HealthCheck()
  async ready() {
    const results = await this.readiness.evaluate();
    const lifecycle = this.indicators.check('lifecycle');
    const lifecycleResult: HealthIndicatorResult = this.readiness.isShuttingDown
      ? lifecycle.down({ state: 'shutting_down' })
      : lifecycle.up({ state: 'running' });
    return this.health.check([
      () => lifecycleResult,
      ...results.map(({ name, up, reason }) => () => {
        const session = this.indicators.check(name);
        return up ? session.up() : session.down({ reason });
      }),
    ]);
  }
}
