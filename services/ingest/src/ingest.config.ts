import { env, redisSpec } from '@vigie/config';

export const ingestConfigSpec = {
  ...redisSpec,
  FEEDS_FILE: env.string({ description: 'JSON file listing the national feeds allowed to publish', default: 'deploy/config/feeds.json' }),
  INGEST_FEED_TOKENS: env.secret({
    description: 'Bearer tokens of the feeds that publish over HTTP, comma-separated feedId=token pairs (unset: HTTP ingest refuses every request)',
    optional: true,
    example: 'ml-police=s3cret-token,sn-police=other-token',
  }),
  DEDUP_TTL_DAYS: env.int({ description: 'How long ingest remembers accepted reports to recognise republished copies', default: 30, min: 1, max: 3650 }),
};
