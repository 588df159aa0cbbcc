import { randomUUID } from 'node:crypto';
import { TOPICS, createCodecs, type RegionalAlert } from '@vigie/contracts';
import type { InboundMessage, MessageOutcome } from '@vigie/kafka';
import { SAMPLE_DIRECTORY_JSON, SAMPLE_POLICY_JSON, controlStateOf, parseAgencyDirectory, parseSharingPolicy, sampleRegionalAlert } from '@vigie/sharing';
import { RedisDeliveryLedger } from '@vigie/state';
import { useRedisNamespace } from '@vigie/testing/vitest';
import { describe, expect, it } from 'vitest';
import { DispatcherStage } from './dispatcher.stage';

const codecs = createCodecs();
const control = controlStateOf(parseAgencyDirectory(SAMPLE_DIRECTORY_JSON), parseSharingPolicy(SAMPLE_POLICY_JSON));

const alertMessage = (alert: RegionalAlert, offset: string): InboundMessage => ({
  topic: TOPICS.regionalAlerts,
  partition: 2,
  offset,
  key: Buffer.from(alert.alertId),
  value: codecs.regionalAlert.encode(alert),
  headers: {},
  timestamp: Date.now(), // published now: within the ledger's reach
});

const sentTopics = (outcome: MessageOutcome | undefined): string[] =>
  outcome?.kind === 'emit' ? outcome.messages.map((m) => m.topic).sort() : [];

describe('DispatcherStage with the Redis delivery ledger', () => {
  const { redis, prefix } = useRedisNamespace('dispatcher');
  // Each instance stands for a dispatcher process; they share only Redis.
  const newDispatcher = () => new DispatcherStage(codecs, control, new RedisDeliveryLedger(redis(), 86_400, prefix));


  it('delivers each version once across restarts, and again only on a replay of its own offset', async () => {
    const v3 = sampleRegionalAlert({ alertId: `it-${randomUUID()}` });
    const v4 = { ...v3, version: 4, level: 'CRITICAL' as const, previousLevel: 'HIGH' as const };

    const [first] = await newDispatcher().handleBatch([alertMessage(v3, '100')]);
    expect(sentTopics(first)).toEqual(['alerts.agency.bf-gendarmerie', 'alerts.agency.gh-immigration', 'alerts.agency.ml-douanes', 'alerts.agency.ml-police-frontieres', 'alerts.agency.mr-surete', 'alerts.agency.sn-douanes']);

    // After a crash, the correlator re-published v3 (new offset) and then produced v4.
    const restarted = newDispatcher();
    const [republished, next] = await restarted.handleBatch([alertMessage(v3, '140'), alertMessage(v4, '141')]);
    expect(republished).toEqual({ kind: 'emit', disposition: 'deduplicated', messages: [] });
    expect(sentTopics(next)).toHaveLength(6);

    // The dispatcher itself crashed before committing offset 100: its deliveries are sent again.
    const [replayed] = await newDispatcher().handleBatch([alertMessage(v3, '100')]);
    expect(sentTopics(replayed)).toHaveLength(6);
  });
});
