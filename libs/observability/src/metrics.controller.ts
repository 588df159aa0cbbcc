import { Controller, Get, Res } from '@nestjs/common';
import { MetricsRegistry } from './metrics';

/** The part of Express's response (or Fastify's reply, via `header`) this controller touches. */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get()
  async scrape(@Res({ passthrough: true }) response: HeaderSink): Promise<string> {
    response.setHeader('Content-Type', this.registry.contentType);
    return this.registry.metrics();
  }
}
