import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { VigieError } from '@vigie/contracts';

interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * Domain errors as HTTP answers: an invalid entity is a 400 that lists what is wrong, field by
 * field; a conflict a 409; a store that cannot be reached a 503 (the client may retry).
 */
@Catch(VigieError)
export class ControlErrorFilter implements ExceptionFilter {
  catch(error: VigieError, host: ArgumentsHost): void {
    const status = error.code.endsWith('_INVALID')
      ? HttpStatus.BAD_REQUEST
      : error.code.endsWith('_CONFLICT')
        ? HttpStatus.CONFLICT
        : error.code.endsWith('_NOT_FOUND')
          ? HttpStatus.NOT_FOUND
          : error.retriable
            ? HttpStatus.SERVICE_UNAVAILABLE
            : HttpStatus.INTERNAL_SERVER_ERROR;
    host.switchToHttp().getResponse<JsonResponse>().status(status).json({ error: error.code, message: error.message, problems: error.details?.problems });
  }
}
