import { env, redisSpec } from '@vigie/config';

export const correlatorConfigSpec = {
  ...redisSpec,
  RULES_FILE: env.string({
    description: 'Correlation rules (kinds, windows, levels, weights): JSON, or YAML when named *.yaml / *.yml',
    default: 'deploy/config/rules.json',
  }),
  CORRELATOR_ALLOWED_LATENESS: env.string({
    description: "How long before the partition's event-time watermark an incident may have occurred and still be applied; older ones go to incidents.late",
    default: '7d',
    pattern: /^\d+(m|h|d)$/,
    example: '72h',
  }),
  GEO_REFERENCE_DIR: env.string({ description: 'Folder of operator-supplied reference layers (must match the enricher\'s)', optional: true }),
};
