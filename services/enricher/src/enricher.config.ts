import { env, redisSpec } from '@vigie/config';
import { loadGeoLayers } from '@vigie/geo';

export const enricherConfigSpec = {
  ...redisSpec,
  GEO_REFERENCE_DIR: env.folder({
    description: 'Folder of operator-supplied reference layers replacing the shipped ones (border sections, hotspots, routes)',
    optional: true,
    example: '/etc/vigie/geo',
    load: (dir) => loadGeoLayers({ dir }),
  }),
  ZONE_MEMORY_TTL_DAYS: env.int({
    description:
      'How long the enricher remembers the zones each incident was sent to, so that a later revision that moves it (or retracts it with no location) withdraws it from the zones it left; keep it above how long the correlator holds an incident (the longest rule window or spike baseline, plus its dwell and CORRELATOR_ALLOWED_LATENESS)',
    default: 30,
    min: 1,
    max: 3650,
  }),
};
