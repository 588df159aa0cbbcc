import { env, redisSpec } from '@vigie/config';
import { FEED_ID_PATTERN } from '@vigie/contracts';
import { readFeedsFile } from './feeds-file';

/**
 * 1,000 reports (the most a request may carry) of 10 KB: the sample report is about 1 KB, and 4,000
 * characters of notes in Latin script about 5. Bounds the memory one request can take.
 */
export const DEFAULT_INGEST_HTTP_MAX_BODY_BYTES = 10 * 1024 * 1024;

export const ingestConfigSpec = {
  ...redisSpec,
  FEEDS_FILE: env.file({ description: 'JSON file listing the national feeds allowed to publish', default: 'deploy/config/feeds.json', load: readFeedsFile }),
  INGEST_FEED_TOKENS: env.namedSecrets({
    namePattern: FEED_ID_PATTERN,
    description: 'Bearer tokens of the feeds that publish over HTTP, comma-separated feedId=token pairs (unset: HTTP ingest refuses every request)',
    optional: true,
    example: 'ml-police=s3cret-token,sn-police=other-token',
  }),
  INGEST_HTTP_MAX_BODY_BYTES: env.int({
    description: 'Largest JSON body HTTP ingest reads (bytes); the default holds 1,000 reports of up to 10 KB each, larger bodies are answered 413',
    default: DEFAULT_INGEST_HTTP_MAX_BODY_BYTES,
    min: 1024 * 1024,
    max: 64 * 1024 * 1024,
  }),
  DEDUP_TTL_DAYS: env.int({ description: 'How long ingest remembers accepted reports to recognise republished copies', default: 30, min: 1, max: 3650 }),
};
