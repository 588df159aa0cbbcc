import { loadConfig } from '@vigie/config';
import { describe, expect, it } from 'vitest';
import { enricherConfigSpec } from './enricher.config';

describe('GEO_REFERENCE_DIR', () => {
  it('must hold the reference layers, checked at startup', () => {
    expect(loadConfig(enricherConfigSpec, { GEO_REFERENCE_DIR: 'libs/geo/reference' }).GEO_REFERENCE_DIR).toBe('libs/geo/reference');
    expect(() => loadConfig(enricherConfigSpec, { GEO_REFERENCE_DIR: '/nonexistent' })).toThrow(/GEO_REFERENCE_DIR "\/nonexistent" does not exist/);
    expect(() => loadConfig(enricherConfigSpec, { GEO_REFERENCE_DIR: 'deploy/config' })).toThrow(/GEO_REFERENCE_DIR "deploy\/config" \(relative to .*\) cannot be used: .*countries/);
  });
});
