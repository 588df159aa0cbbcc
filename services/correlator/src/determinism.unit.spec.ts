import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { TOPICS, createCodecs, parseIncidentJson, type RegionalAlert } from '@vigie/contracts';
import { MemoryCorrelationStore, MemoryIncidentZones } from '@vigie/correlation';
import { loadGeoReference } from '@vigie/geo';
import type { InboundMessage } from '@vigie/kafka';
import { createIncidentFactory } from '@vigie/testing';
import { describe, expect, it } from 'vitest';
import { CorrelatorStage } from './correlator.stage';
import { readRulesFile } from './rules-file';
import { enrichedCopies, partitionOf } from './testing/enriched-copies';
import { zoneDirectory } from './zone-directory';

/**
 * The shipped rules over generated history: the versions of a partition are a function
 * of its messages alone, whatever the batches and however often a new instance reloads the
 * partition from the store, and they are those the correlator published before its evaluation
 * was optimised. Caches the correlator keeps in memory only (e.g. which dues a search found) must
 * not show in what it publishes.
 */
describe('the correlator on history with the shipped rules', () => {
  const ROOT = resolve(__dirname, '../../..');
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  const DAY = 86_400_000;
  const INCIDENTS = 1_500;
  const codecs = createCodecs();
  const geo = loadGeoReference();
  const rules = readRulesFile(resolve(ROOT, 'deploy/config/rules.json'));
  const zones = zoneDirectory(geo);

  /** Partition 0's zone copies of INCIDENTS reports spread over `days`, in time order. */
  function history(days: number): InboundMessage[] {
    const factory = createIncidentFactory(11, { baseTime: NOW - 60_000, spanMs: 6 * 3_600_000 });
    const messages: InboundMessage[] = [];
    const remembered = new MemoryIncidentZones();
    for (let i = 0; i < INCIDENTS; i++) {
      const parsed = parseIncidentJson(factory.next({ sourceEventId: `DT${i}` }), { now: NOW + 60_000 });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const occurredAt = NOW - days * DAY + Math.floor((i * days * DAY) / INCIDENTS);
      const report = { ...parsed.report, occurredAt, reportedAt: occurredAt + 3_600_000 };
      for (const { key, value } of enrichedCopies(report, geo, codecs, report.reportedAt, remembered)) {
        if (partitionOf(key, 2) !== 0) continue;
        messages.push({ topic: TOPICS.enriched, partition: 0, offset: String(messages.length), key: Buffer.from(key), value, headers: {}, timestamp: NOW });
      }
    }
    return messages;
  }

  /** The versions published (evaluatedAt aside) with batches of `size` and a new instance every `reloadEvery` batches, and a digest of their bytes. */
  async function versions(messages: readonly InboundMessage[], size: number, reloadEvery: number): Promise<{ published: Omit<RegionalAlert, 'evaluatedAt'>[]; digest: string }> {
    const store = new MemoryCorrelationStore();
    const newStage = () => new CorrelatorStage(codecs, store, rules, zones, { allowedLatenessMs: 7 * DAY }, () => NOW);
    let stage = newStage();
    const published: Omit<RegionalAlert, 'evaluatedAt'>[] = [];
    const digest = createHash('sha256');
    for (let at = 0, batch = 1; at < messages.length; at += size, batch++) {
      for (const outcome of await stage.handleBatch(messages.slice(at, at + size))) {
        if (outcome.kind !== 'emit') continue;
        for (const m of outcome.messages) {
          if (m.topic !== TOPICS.regionalAlerts) continue;
          digest.update(JSON.stringify(m.headers ?? {})).update(m.value as Buffer);
          const { evaluatedAt: _processingTime, ...content } = codecs.regionalAlert.decode(m.value as Buffer);
          published.push(content);
        }
      }
      if (batch % reloadEvery === 0) stage = newStage();
    }
    return { published, digest: digest.digest('hex').slice(0, 16) };
  }

  /**
   * The versions published, their headers and bytes: optimisations must not change them. Change a
   * digest only with a change meant to change what is published (the shipped rules, alert content,
   * the schema), and say so. First pinned from the correlator before its due searches were spared
   * (commit 4089213); pinned again when versions began to name their source agencies and
   * releasability, and ends the countries of the version they end (with those two undone, the
   * versions digested to the earlier values); the busy fortnight's again when a retraction's text
   * was corrected (it said the evidence was retracted "of" the threshold); both again when GREEN
   * or AMBER evidence mixed with AMBER_STRICT stopped releasing to named agencies (with
   * releasableTo emptied, the versions digest the same before and after).
   */
  const PUBLISHED: Readonly<Record<number, string>> = { 365: '56f06bb8993af4af', 14: '1f5b2446b4e781c3' };

  // A year: zones quiet between incidents, windows sliding far at each. Two weeks: zones busy,
  // incidents often at the same window position (dues carried over rather than searched again).
  it.each([365, 14])('publishes the same versions whatever the batches and reloads, and the versions it always published (%i days)', async (days) => {
    const messages = history(days);
    const { published: reference, digest } = await versions(messages, 1_000, Infinity);
    expect(reference.length).toBeGreaterThan(INCIDENTS / 2);
    expect(new Set(reference.map((a) => a.rule.id)).size).toBeGreaterThan(3);
    for (const [size, reloadEvery] of [[37, 1], [100, 3], [499, 2]] as const) {
      expect((await versions(messages, size, reloadEvery)).published, `batches of ${size}, reloaded every ${reloadEvery}`).toEqual(reference);
    }
    expect(digest).toBe(PUBLISHED[days]);
  }, 60_000);
});
