import { env, redisSpec } from '@vigie/config';

export const dispatcherConfigSpec = {
  ...redisSpec,
  AGENCIES_FILE: env.string({ description: 'JSON file of agencies, their blocs and their subscriptions', default: 'deploy/config/agencies.json' }),
  DELIVERY_TTL_DAYS: env.int({ description: 'How long the dispatcher remembers delivered alert versions, to deliver each once', default: 30, min: 1, max: 3650 }),
};
