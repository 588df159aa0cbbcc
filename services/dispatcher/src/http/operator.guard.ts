import { createParamDecorator, HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OperatorTokens } from './operator-tokens';

interface OperatorRequest {
  headers: Record<string, string | string[] | undefined>;
  operator?: string;
}

/** Every control API call names its operator (Authorization: Bearer <token>), for the audit trail. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(OperatorTokens) private readonly tokens: OperatorTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<OperatorRequest>();
    if (!this.tokens.configured) throw new HttpException({ error: 'CONTROL_API_DISABLED', message: 'set CONTROL_API_TOKENS on the dispatcher to enable the control API' }, HttpStatus.SERVICE_UNAVAILABLE);
    const header = request.headers['authorization'];
    const token = /^Bearer (.+)$/.exec(typeof header === 'string' ? header : '')?.[1];
    if (!token) throw new HttpException({ error: 'MISSING_TOKEN', message: 'send Authorization: Bearer <operator token>' }, HttpStatus.UNAUTHORIZED);
    const operator = this.tokens.operatorOf(token);
    if (!operator) throw new HttpException({ error: 'INVALID_TOKEN', message: 'unknown operator token' }, HttpStatus.UNAUTHORIZED);
    request.operator = operator;
    return true;
  }
}

/** The authenticated operator and the reason they gave (X-Vigie-Reason), recorded with each change. */
export const Author = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<OperatorRequest>();
  const reason = request.headers['x-vigie-reason'];
  return { by: request.operator ?? 'unknown', reason: typeof reason === 'string' && reason.trim() ? reason.slice(0, 1000) : null };
});
