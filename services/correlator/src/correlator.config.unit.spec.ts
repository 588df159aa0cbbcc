import { configErrorOf } from '@vigie/config';
import { describe, expect, it } from 'vitest';
import { correlatorConfigSpec } from './correlator.config';

const problemVariables = (source: Record<string, string>): string[] => configErrorOf(correlatorConfigSpec, source)?.problems.map((p) => p.variable) ?? [];

describe('correlator configuration', () => {
  it('accepts the shipped rules and geographic reference', () => {
    expect(problemVariables({ GEO_REFERENCE_DIR: 'libs/geo/reference' })).toEqual([]);
  });

  it('reports unusable RULES_FILE and GEO_REFERENCE_DIR at startup rather than failing inside a module', () => {
    expect(problemVariables({ RULES_FILE: '/nonexistent/rules.json', GEO_REFERENCE_DIR: '/nonexistent' })).toEqual(['RULES_FILE', 'GEO_REFERENCE_DIR']);
    // A file of the wrong content, a folder without the layers.
    expect(problemVariables({ RULES_FILE: 'deploy/config/feeds.json', GEO_REFERENCE_DIR: 'deploy/config' })).toEqual(['RULES_FILE', 'GEO_REFERENCE_DIR']);
  });
});
