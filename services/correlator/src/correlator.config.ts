import { env, redisSpec } from '@vigie/config';
import { DEFAULT_ZONE_DETAIL_LIMIT } from '@vigie/correlation';
import { loadGeoLayers } from '@vigie/geo';
import { readRulesFile } from './rules-file';

export const correlatorConfigSpec = {
  ...redisSpec,
  RULES_FILE: env.file({
    description: 'Correlation rules (kinds, windows, levels, weights): JSON, or YAML when named *.yaml / *.yml',
    default: 'deploy/config/rules.json',
    load: readRulesFile,
  }),
  CORRELATOR_ALLOWED_LATENESS: env.string({
    description: "How long before the partition's event-time watermark an incident may have occurred and still be applied; older ones go to incidents.late",
    default: '7d',
    pattern: /^\d+(m|h|d)$/,
    example: '72h',
  }),
  CORRELATOR_ZONE_DETAIL_LIMIT: env.int({
    description:
      'Incidents a zone holds in detail (revisable, listed in alerts); beyond, the oldest are sealed: they keep counting, and later reports that occurred before them go to incidents.late. Bounds memory and Redis per zone',
    default: DEFAULT_ZONE_DETAIL_LIMIT,
    min: 100,
    max: 1_000_000,
  }),
  GEO_REFERENCE_DIR: env.folder({
    description: 'Folder of operator-supplied reference layers (must match the enricher\'s)',
    optional: true,
    example: '/etc/vigie/geo',
    load: (dir) => loadGeoLayers({ dir }),
  }),
};
