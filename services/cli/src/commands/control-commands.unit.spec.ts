import { describe, expect, it } from 'vitest';
import { CliError } from '../cli-context';
import type { ApiAnswer, ControlApi } from '../control-api';
import { controlCommand, type ControlFlags } from './control-commands';

/** Records the requests and answers each with `answer`. */
function fakeApi(answer: ApiAnswer = { status: 201, body: {} }) {
  const requests: { method: string; path: string; body: unknown; reason: string | undefined }[] = [];
  const api: ControlApi = {
    request: async (method, path, body, reason) => {
      requests.push({ method, path, body, reason });
      return answer;
    },
  };
  return { api, requests };
}

const flags = (over: Partial<ControlFlags> = {}): ControlFlags => ({ json: false, active: false, ...over });

describe('control commands', () => {
  it('builds a subscription from flags, leaving out filters not given', async () => {
    const { api, requests } = fakeApi();
    const lines: string[] = [];
    await controlCommand(api, (l) => lines.push(l), 'subscriptions', 'put', ['sn-faleme'], flags({ agency: 'sn-police', zones: 'HOTSPOT:HS-FALEME, SECTION:ML-SN-003', minLevel: 'MEDIUM', reason: 'new liaison officer' }));
    expect(requests).toEqual([
      { method: 'PUT', path: '/v1/subscriptions/sn-faleme', body: { agencyId: 'sn-police', zones: ['HOTSPOT:HS-FALEME', 'SECTION:ML-SN-003'], minLevel: 'MEDIUM' }, reason: 'new liaison officer' },
    ]);
    expect(lines).toEqual(['created subscription sn-faleme']);
  });

  it('acknowledges an alert whose id has colons, with the version seen', async () => {
    const { api, requests } = fakeApi({ status: 200, body: {} });
    await controlCommand(api, () => {}, 'alerts', 'ack', ['SECTION:ML-SN-003:r1'], flags({ version: '4', comment: 'patrol sent' }));
    expect(requests[0]).toMatchObject({ method: 'PUT', path: '/v1/alerts/SECTION%3AML-SN-003%3Ar1/acknowledgement', body: { version: 4, comment: 'patrol sent' } });
    await expect(controlCommand(api, () => {}, 'alerts', 'ack', ['A'], flags())).rejects.toThrow(CliError);
  });

  it('silences for a duration from now', async () => {
    const { api, requests } = fakeApi({ status: 201, body: { silenceId: 's-1', endsAt: 'x' } });
    const before = Date.now();
    await controlCommand(api, () => {}, 'silences', 'add', [], flags({ zone: 'HOTSPOT:HS-FALEME', for: '2h' }));
    const endsAt = Date.parse((requests[0]!.body as { endsAt: string }).endsAt);
    expect(endsAt - before).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(endsAt - before).toBeLessThan(2 * 3_600_000 + 60_000);
    await expect(controlCommand(api, () => {}, 'silences', 'add', [], flags({ zone: 'HOTSPOT:HS-FALEME', for: 'soon' }))).rejects.toThrow('--for');
  });

  it('prints one line per subscription', async () => {
    const { api } = fakeApi({ status: 200, body: { subscriptions: [{ subscriptionId: 's', agencyId: 'a', minLevel: 'LOW', countries: ['ML'], zones: [], categories: [] }] } });
    const lines: string[] = [];
    await controlCommand(api, (l) => lines.push(l), 'subscriptions', 'list', [], flags());
    expect(lines).toEqual(['s\ta\tmin LOW\tcountries ML\tzones any\tcategories any']);
  });
});
