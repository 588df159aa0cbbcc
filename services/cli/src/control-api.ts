import { env, loadConfig } from '@vigie/config';
import { CliError } from './cli-context';

export const controlApiSpec = {
  VIGIE_DISPATCHER_URL: env.url({ description: "Base URL of a dispatcher's HTTP port (the control API)", default: 'http://127.0.0.1:8084', protocols: ['http', 'https'] }),
  VIGIE_API_TOKEN: env.secret({ description: 'Operator token for the control API (one of the dispatcher CONTROL_API_TOKENS)', optional: true }),
};

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface ControlApi {
  request(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown, reason?: string): Promise<ApiAnswer>;
}

/** The dispatcher's control API over HTTP; refusals become CliErrors that list what is wrong. */
export function createControlApi(environment: NodeJS.ProcessEnv = process.env): ControlApi {
  const config = loadConfig(controlApiSpec, environment);
  const base = config.VIGIE_DISPATCHER_URL.replace(/\/$/, '');
  return {
    async request(method, path, body, reason) {
      if (!config.VIGIE_API_TOKEN) throw new CliError('set VIGIE_API_TOKEN to an operator token of the dispatcher (CONTROL_API_TOKENS)', 2);
      const headers: Record<string, string> = { authorization: `Bearer ${config.VIGIE_API_TOKEN}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (reason) headers['x-vigie-reason'] = reason;
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (error) {
        throw new CliError(`cannot reach the dispatcher at ${base} (${(error as Error).message}). Is it running? Set VIGIE_DISPATCHER_URL.`, 3);
      }
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : null;
      if (response.status >= 400) {
        const answer = parsed as { error?: string; message?: string; problems?: string[] } | null;
        const problems = answer?.problems?.length ? `\n${answer.problems.map((p) => `  - ${p}`).join('\n')}` : answer?.message ? `: ${answer.message}` : '';
        throw new CliError(`refused (${response.status} ${answer?.error ?? response.statusText})${problems}`, response.status === 400 || response.status === 409 || response.status === 404 ? 2 : 1);
      }
      return { status: response.status, body: parsed };
    },
  };
}
