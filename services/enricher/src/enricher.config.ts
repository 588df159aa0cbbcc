import { env } from '@vigie/config';

export const enricherConfigSpec = {
  GEO_REFERENCE_DIR: env.string({
    description: 'Folder of operator-supplied reference layers replacing the shipped ones (border sections, hotspots, routes)',
    optional: true,
    example: '/etc/vigie/geo',
  }),
};
