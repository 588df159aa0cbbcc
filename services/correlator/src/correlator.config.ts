import { env, redisSpec } from '@vigie/config';

export const correlatorConfigSpec = {
  ...redisSpec,
  RULES_FILE: env.string({ description: 'JSON file of correlation rules (kinds, windows, thresholds)', default: 'deploy/config/rules.json' }),
  CORRELATOR_ALLOWED_LATENESS: env.string({
    description: 'How long after its window closes a late incident is still applied; later ones go to incidents.late',
    default: '7d',
    pattern: /^\d+(ms|s|m|h|d)$/,
    example: '72h',
  }),
  GEO_REFERENCE_DIR: env.string({ description: 'Folder of operator-supplied reference layers (must match the enricher\'s)', optional: true }),
};
