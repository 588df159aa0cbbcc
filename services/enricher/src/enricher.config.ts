import { env } from '@vigie/config';
import { loadGeoLayers } from '@vigie/geo';

export const enricherConfigSpec = {
  GEO_REFERENCE_DIR: env.folder({
    description: 'Folder of operator-supplied reference layers replacing the shipped ones (border sections, hotspots, routes)',
    optional: true,
    example: '/etc/vigie/geo',
    load: (dir) => loadGeoLayers({ dir }),
  }),
};
