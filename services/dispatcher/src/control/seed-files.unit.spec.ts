import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadGeoReference } from '@vigie/geo';
import { parseAgencyDirectory, parseSharingPolicy } from '@vigie/sharing';
import { describe, expect, it } from 'vitest';
import { dispatcherConfigSpec } from '../dispatcher.config';

const ROOT = resolve(__dirname, '../../../..');
const read = (file: string): unknown => JSON.parse(readFileSync(resolve(ROOT, file), 'utf8'));

describe('the shipped bootstrap files', () => {
  it('are the defaults the dispatcher seeds from', () => {
    expect(dispatcherConfigSpec.AGENCIES_FILE.defaultValue).toBe('deploy/config/agencies.json');
    expect(dispatcherConfigSpec.SHARING_POLICY_FILE.defaultValue).toBe('deploy/config/sharing-policy.json');
  });

  it('hold a valid directory whose zones all exist in the shipped geography', () => {
    const geo = loadGeoReference();
    const directory = parseAgencyDirectory(read('deploy/config/agencies.json'), { zoneExists: (key) => geo.index.zone(key) !== undefined });
    expect(directory.agencies.length).toBeGreaterThanOrEqual(3);
  });

  it('hold a policy with ECOWAS, AES and the Mali–Mauritania and Mali–Senegal agreements', () => {
    const policy = parseSharingPolicy(read('deploy/config/sharing-policy.json'));
    expect(policy.communities.map((c) => c.communityId)).toEqual(expect.arrayContaining(['ECOWAS', 'AES']));
    expect(policy.agreements.map((a) => a.countries.join('-'))).toEqual(expect.arrayContaining(['ML-MR', 'ML-SN']));
    const aes = policy.communities.find((c) => c.communityId === 'AES')!;
    const ecowas = policy.communities.find((c) => c.communityId === 'ECOWAS')!;
    expect(aes.countries.filter((c) => ecowas.countries.includes(c))).toEqual([]);
  });
});
