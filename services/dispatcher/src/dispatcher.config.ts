import { AGENCY_TOPIC_RETENTION_DAYS } from '@vigie/contracts';
import { env, redisSpec } from '@vigie/config';
import { loadGeoLayers } from '@vigie/geo';

export const dispatcherConfigSpec = {
  ...redisSpec,
  AGENCIES_FILE: env.string({
    description: 'Bootstrap of agencies and subscriptions: loaded into control.subscriptions once, the first time a dispatcher finds it never seeded',
    default: 'deploy/config/agencies.json',
  }),
  SHARING_POLICY_FILE: env.string({
    description: 'Bootstrap of the sharing policy (communities, agreements, redaction): loaded into control.subscriptions once, like AGENCIES_FILE',
    default: 'deploy/config/sharing-policy.json',
  }),
  CONTROL_API_TOKENS: env.namedSecrets({
    // As OperatorTokens reads them: the name goes into the audit trail.
    namePattern: /^[A-Za-z0-9._@-]{1,64}$/,
    description: 'Operators allowed to use the control API, as name=token pairs separated by commas; the name is recorded in the audit trail. Unset: the API answers 503',
    optional: true,
    example: 'amadou=s3cret,fatou=0ther',
  }),
  GEO_REFERENCE_DIR: env.folder({
    description: 'Geography reference to check subscription and silence zones against (default: the shipped layers)',
    optional: true,
    example: '/etc/vigie/geo',
    load: (dir) => loadGeoLayers({ dir }),
  }),
  KAFKA_REPLICATION_FACTOR: env.int({ description: 'Replication factor of the alert topic the dispatcher creates for a new agency', default: 1, min: 1, max: 7 }),
  DELIVERY_TTL_DAYS: env.int({
    description:
      'How long the dispatcher remembers delivered alert versions, to deliver each once. Versions whose arrival watermark (ingest\'s time for the latest report the correlator had read) is older are held back (re-published by a rebuild, or a backlog that old). At most the agency topics\' retention, from which the memory is restored after losing Redis',
    default: 30,
    min: 1,
    max: AGENCY_TOPIC_RETENTION_DAYS,
  }),
  SILENCE_RELEASE_LOOKBACK_HOURS: env.int({
    description: 'At startup, silences that ended this recently are released again (idempotent), in case no dispatcher was running when they ended',
    default: 24,
    min: 0,
    max: 24 * 30,
  }),
};
