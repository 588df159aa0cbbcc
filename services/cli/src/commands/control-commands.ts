import { readFile } from 'node:fs/promises';
import { parseDuration } from '@vigie/correlation';
import { CliError } from '../cli-context';
import type { ControlApi } from '../control-api';

/** What the control commands read from the command line. */
export interface ControlFlags {
  readonly json: boolean;
  readonly reason?: string;
  readonly file?: string;
  readonly name?: string;
  readonly country?: string;
  readonly languages?: string;
  readonly agency?: string;
  readonly countries?: string;
  readonly zones?: string;
  readonly categories?: string;
  readonly minLevel?: string;
  readonly maxTlp?: string;
  readonly zone?: string;
  readonly rule?: string;
  readonly for?: string;
  readonly until?: string;
  readonly comment?: string;
  readonly version?: string;
  readonly active: boolean;
  readonly key?: string;
  readonly limit?: string;
}

type Json = Record<string, unknown>;
type Out = (line: string) => void;

const list = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));
const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

async function bodyOf(flags: ControlFlags, fromFlags: () => Json): Promise<Json> {
  if (!flags.file) return defined(fromFlags());
  try {
    return JSON.parse(await readFile(flags.file, 'utf8')) as Json;
  } catch (error) {
    throw new CliError(`cannot read ${flags.file}: ${(error as Error).message}`, 2);
  }
}

/** One line per entity of a list, per resource. */
const LINES: Record<string, (e: Json) => string> = {
  agencies: (a) => `${a.agencyId}\t${a.country}\t${(a.languages as string[]).join(',')}\t${a.name}\t→ ${a.deliveryTopic}`,
  subscriptions: (s) =>
    `${s.subscriptionId}\t${s.agencyId}\tmin ${s.minLevel}\tcountries ${(s.countries as string[]).join(',') || 'any'}\tzones ${(s.zones as string[]).join(',') || 'any'}\tcategories ${(s.categories as string[]).join(',') || 'any'}`,
  silences: (s) => `${s.silenceId}\t${s.zone ?? 'any zone'}\t${s.ruleId ?? 'any rule'}\t${s.startsAt} → ${s.endsAt}\tby ${(s.changed as Json).by}\t${s.comment}`,
  acknowledgements: (a) => `${a.alertId}\tv${a.version}\tby ${(a.changed as Json).by}\t${a.comment}`,
  entries: (e) => `${e.at}\t${e.action}\t${e.key}\tby ${e.by}${e.reason ? `\t(${e.reason})` : ''}`,
};

function print(out: Out, flags: ControlFlags, body: unknown, field?: string): void {
  if (flags.json || !field) return out(JSON.stringify(body, null, flags.json ? undefined : 2));
  const items = (body as Json)[field] as Json[];
  for (const item of items) out(LINES[field]!(item));
  if (items.length === 0) out(`no ${field}`);
}

const path = (...parts: string[]): string => parts.map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');

function needId(id: string | undefined, what: string): string {
  if (!id) throw new CliError(`${what} needs an id`, 2);
  return id;
}

/** `vigie agencies|subscriptions|policy|silences|audit …` and `vigie alerts ack|unack`. */
export async function controlCommand(api: ControlApi, out: Out, group: string, action: string, args: readonly string[], flags: ControlFlags): Promise<number> {
  const [id] = args;
  const { reason } = flags;
  const put = async (resource: string, entityId: string, body: Json, label: string, suffix = ''): Promise<number> => {
    const answer = await api.request('PUT', `${path(resource, entityId)}${suffix}`, body, reason);
    if (flags.json) out(JSON.stringify(answer.body));
    else out(`${answer.status === 201 ? 'created' : 'replaced'} ${label} ${entityId}`);
    return 0;
  };
  const remove = async (resource: string, entityId: string, label: string): Promise<number> => {
    await api.request('DELETE', path(resource, entityId), undefined, reason);
    out(`deleted ${label} ${entityId}`);
    return 0;
  };
  switch (`${group} ${action}`) {
    case 'agencies list':
      return print(out, flags, (await api.request('GET', '/v1/agencies')).body, 'agencies'), 0;
    case 'agencies get':
      return print(out, flags, (await api.request('GET', path('/v1/agencies', needId(id, 'agencies get')))).body), 0;
    case 'agencies put':
      return put('/v1/agencies', needId(id, 'agencies put'), await bodyOf(flags, () => ({ name: flags.name, country: flags.country, languages: list(flags.languages) })), 'agency');
    case 'agencies delete':
      return remove('/v1/agencies', needId(id, 'agencies delete'), 'agency');
    case 'subscriptions list':
      return print(out, flags, (await api.request('GET', `/v1/subscriptions${flags.agency ? `?agencyId=${encodeURIComponent(flags.agency)}` : ''}`)).body, 'subscriptions'), 0;
    case 'subscriptions get':
      return print(out, flags, (await api.request('GET', path('/v1/subscriptions', needId(id, 'subscriptions get')))).body), 0;
    case 'subscriptions put':
      return put(
        '/v1/subscriptions',
        needId(id, 'subscriptions put'),
        await bodyOf(flags, () => ({ agencyId: flags.agency, countries: list(flags.countries), zones: list(flags.zones), categories: list(flags.categories), minLevel: flags.minLevel })),
        'subscription',
      );
    case 'subscriptions delete':
      return remove('/v1/subscriptions', needId(id, 'subscriptions delete'), 'subscription');
    case 'policy show':
      return print(out, flags, (await api.request('GET', '/v1/policy')).body), 0;
    case 'policy put-community':
      return put('/v1/policy/communities', needId(id, 'policy put-community'), await bodyOf(flags, () => ({ name: flags.name, countries: list(flags.countries), maxTlp: flags.maxTlp })), 'community');
    case 'policy delete-community':
      return remove('/v1/policy/communities', needId(id, 'policy delete-community'), 'community');
    case 'policy put-agreement':
      return put('/v1/policy/agreements', needId(id, 'policy put-agreement'), await bodyOf(flags, () => ({ name: flags.name, countries: list(flags.countries), maxTlp: flags.maxTlp })), 'agreement');
    case 'policy delete-agreement':
      return remove('/v1/policy/agreements', needId(id, 'policy delete-agreement'), 'agreement');
    case 'silences list':
      return print(out, flags, (await api.request('GET', `/v1/silences${flags.active ? '?active=true' : ''}`)).body, 'silences'), 0;
    case 'silences add': {
      const endsAt = flags.until ?? (flags.for ? new Date(Date.now() + durationMs(flags.for)).toISOString() : undefined);
      if (!endsAt) throw new CliError('silences add needs --for <duration, e.g. 2h> or --until <ISO time>', 2);
      const answer = await api.request('POST', '/v1/silences', defined({ silenceId: id, zone: flags.zone, ruleId: flags.rule, endsAt, comment: flags.comment }), reason);
      const silence = answer.body as Json;
      out(flags.json ? JSON.stringify(silence) : `silence ${silence.silenceId} until ${silence.endsAt}`);
      return 0;
    }
    case 'silences delete':
      return remove('/v1/silences', needId(id, 'silences delete'), 'silence');
    case 'alerts ack': {
      const version = Number(flags.version);
      if (!Number.isInteger(version) || version < 1) throw new CliError('alerts ack needs --version <the version you acknowledge>', 2);
      return put('/v1/alerts', needId(id, 'alerts ack'), defined({ version, comment: flags.comment }), 'acknowledgement of', '/acknowledgement');
    }
    case 'alerts unack':
      await api.request('DELETE', `${path('/v1/alerts', needId(id, 'alerts unack'))}/acknowledgement`, undefined, reason);
      out(`withdrew the acknowledgement of ${id}`);
      return 0;
    case 'alerts acks':
      return print(out, flags, (await api.request('GET', '/v1/acknowledgements')).body, 'acknowledgements'), 0;
    case 'audit list':
    case 'audit ': {
      const query = new URLSearchParams(defined({ key: flags.key, limit: flags.limit }) as Record<string, string>).toString();
      return print(out, flags, (await api.request('GET', `/v1/audit${query ? `?${query}` : ''}`)).body, 'entries'), 0;
    }
    default:
      throw new CliError(`unknown command "${group} ${action}"`, 2);
  }
}

function durationMs(text: string): number {
  try {
    return parseDuration(text, '--for');
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}
