import { Controller, Get } from '@nestjs/common';
import { OPENAPI_DOCUMENT } from './openapi';

/** The control API's description, public so that tools can discover it. */
@Controller()
export class OpenApiController {
  @Get('openapi.json')
  document() {
    return OPENAPI_DOCUMENT;
  }
}
