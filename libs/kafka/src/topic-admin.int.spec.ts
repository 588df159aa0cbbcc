import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TopicSpec } from '@vigie/contracts';
import { deploymentTopicCatalogue, ensureTopics } from './topic-admin';

const spec = (name: string, partitions: number, config: Record<string, string> = {}): TopicSpec => ({
  name,
  partitions,
  config,
  purpose: 'test',
});

describe('ensureTopics against a real broker', () => {
  const admin = new Kafka({ brokers: inject('kafkaBrokers'), clientId: 'topic-admin-int-spec', logLevel: logLevel.NOTHING }).admin();
  const run = `topic-admin-${Date.now()}`;
  const a = `${run}.a`;
  const b = `${run}.b`;

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteTopics({ topics: [a, b] }).catch(() => {});
    await admin.disconnect();
  });

  const partitionsOf = async (topic: string): Promise<number> =>
    (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;

  it('creates missing topics with their partitions and config', async () => {
    const result = await ensureTopics(admin, [spec(a, 2, { 'cleanup.policy': 'compact' }), spec(b, 1)]);
    expect(result).toEqual({ created: [a, b], existing: [], partitionsIncreased: [] });
    expect(await partitionsOf(a)).toBe(2);
    const described = await admin.describeConfigs({ resources: [{ type: 2, name: a, configNames: ['cleanup.policy'] }], includeSynonyms: false });
    expect(described.resources[0]!.configEntries[0]!.configValue).toBe('compact');
  });

  it('keeps existing topics, raises partitions and never lowers them', async () => {
    const logged: string[] = [];
    const result = await ensureTopics(admin, [spec(a, 4), spec(b, 1)], (msg) => logged.push(msg));
    expect(result).toEqual({ created: [], existing: [a, b], partitionsIncreased: [a] });
    expect(await partitionsOf(a)).toBe(4);
    expect(logged).toEqual([`increased ${a} from 2 to 4 partitions`]);

    const again = await ensureTopics(admin, [spec(a, 3), spec(b, 1)]);
    expect(again).toEqual({ created: [], existing: [a, b], partitionsIncreased: [] });
    expect(await partitionsOf(a)).toBe(4);
  });

  it('rejects a replication factor the single broker cannot meet, naming the topic', async () => {
    const c = `${run}.c`;
    await expect(ensureTopics(admin, [spec(c, 1)], undefined, { replicationFactor: 3 })).rejects.toMatchObject({
      code: 'TOPIC_ADMIN_FAILED',
      message: expect.stringContaining(c),
    });
  });
});

describe('deploymentTopicCatalogue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-catalogue-'));

  it('adds one alert topic per agency of the file', () => {
    const file = join(dir, 'agencies.json');
    writeFileSync(file, JSON.stringify({ agencies: [{ agencyId: 'sn-police' }, { agencyId: 'ne-garde' }] }));
    const names = deploymentTopicCatalogue(file).map((t) => t.name);
    expect(names.filter((n) => n.startsWith('alerts.agency.'))).toEqual(['alerts.agency.sn-police', 'alerts.agency.ne-garde']);
    expect(names).toContain('incidents.validated');
  });

  it('has no agency topics when the file does not exist yet', () => {
    const names = deploymentTopicCatalogue(join(dir, 'absent.json')).map((t) => t.name);
    expect(names.some((n) => n.startsWith('alerts.agency.'))).toBe(false);
    expect(names).toContain('incidents.enriched');
  });

  it('names the file and the entry when an agency id is missing', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ agencies: [{ agencyId: 'ok-one' }, { name: 'no id' }] }));
    expect(() => deploymentTopicCatalogue(file)).toThrow(`${file}: agencies[1].agencyId must be a string`);
  });
});
