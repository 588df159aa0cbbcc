import { existsSync, readFileSync } from 'node:fs';
import type { Admin } from 'kafkajs';
import { errorMessage, topicCatalogue, VigieError, type TopicSpec } from '@vigie/contracts';

export interface EnsureTopicsResult {
  readonly created: string[];
  readonly existing: string[];
  /** Existing topics that had fewer partitions than their spec (a subset of `existing`). */
  readonly partitionsIncreased: string[];
}

export interface EnsureTopicsOptions {
  /** 1 for a single broker; production clusters pass KAFKA_REPLICATION_FACTOR (usually 3). */
  readonly replicationFactor?: number;
}

/**
 * Creates the topics of `specs` that are missing and raises the partition count of those that have
 * fewer than their spec. Idempotent. Never decreases partitions (Kafka cannot) and never rewrites
 * the config of an existing topic: operators may have tuned it.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  log: (msg: string) => void = () => {},
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  const replicationFactor = options.replicationFactor ?? 1;
  assertValidSpecs(specs, replicationFactor);

  const present = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !present.has(spec.name));
  const existing = specs.filter((spec) => present.has(spec.name));

  if (missing.length > 0) {
    await adminCall('create topics', () =>
      admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor,
          configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
        })),
      }),
    );
    for (const spec of missing) log(`created ${spec.name} (${spec.partitions} partitions, replication ${replicationFactor})`);
  }

  const partitionsIncreased = await raisePartitions(admin, existing, log);
  return { created: missing.map((s) => s.name), existing: existing.map((s) => s.name), partitionsIncreased };
}

async function raisePartitions(admin: Admin, specs: readonly TopicSpec[], log: (msg: string) => void): Promise<string[]> {
  if (specs.length === 0) return [];
  const { topics } = await adminCall('describe topics', () => admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) }));
  const current = new Map(topics.map((t) => [t.name, t.partitions.length]));
  const short = specs.filter((spec) => (current.get(spec.name) ?? 0) < spec.partitions);
  if (short.length === 0) return [];
  await adminCall('add partitions', () =>
    admin.createPartitions({ topicPartitions: short.map((spec) => ({ topic: spec.name, count: spec.partitions })) }),
  );
  for (const spec of short) log(`increased ${spec.name} from ${current.get(spec.name)} to ${spec.partitions} partitions`);
  return short.map((s) => s.name);
}

function assertValidSpecs(specs: readonly TopicSpec[], replicationFactor: number): void {
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new VigieError('TOPIC_SPEC_INVALID', `replication factor must be a positive integer, got ${replicationFactor}`, false);
  }
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new VigieError('TOPIC_SPEC_INVALID', `topic ${spec.name} is specified twice`, false);
    seen.add(spec.name);
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      throw new VigieError('TOPIC_SPEC_INVALID', `topic ${spec.name}: partitions must be a positive integer, got ${spec.partitions}`, false);
    }
  }
}

/** Broker-side failures become VigieErrors with the broker's reason; connection trouble is retriable. */
async function adminCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof VigieError) throw error;
    const retriable = (error as { retriable?: boolean }).retriable ?? true;
    throw new VigieError('TOPIC_ADMIN_FAILED', `could not ${what}: ${describe(error)}`, retriable);
  }
}

/** kafkajs reports per-topic failures inside an aggregate error whose own message says little. */
function describe(error: unknown): string {
  const parts = (error as { errors?: unknown[] }).errors;
  if (!Array.isArray(parts) || parts.length === 0) return errorMessage(error);
  return parts
    .map((part) => {
      const topic = (part as { topic?: string }).topic;
      return topic ? `${topic}: ${errorMessage(part)}` : errorMessage(part);
    })
    .join('; ');
}

/**
 * The catalogue for a deployment: static topics plus one alert topic per agency listed in
 * `agenciesFile` (`{ "agencies": [{ "agencyId": "..." }] }`). A missing file means no agencies yet.
 */
export function deploymentTopicCatalogue(agenciesFile: string): TopicSpec[] {
  return topicCatalogue(readAgencyIds(agenciesFile));
}

function readAgencyIds(file: string): string[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new VigieError('CONFIG_INVALID', `${file} is not valid JSON: ${errorMessage(error)}`, false);
  }
  const agencies = (parsed as { agencies?: unknown }).agencies;
  if (!Array.isArray(agencies)) throw new VigieError('CONFIG_INVALID', `${file}: "agencies" must be an array`, false);
  return agencies.map((agency: unknown, i) => {
    const id = (agency as { agencyId?: unknown } | null)?.agencyId;
    if (typeof id !== 'string') throw new VigieError('CONFIG_INVALID', `${file}: agencies[${i}].agencyId must be a string`, false);
    return id;
  });
}
