/**
 * What the correlator fault tests share: a stream of enriched incident copies (as the enricher
 * publishes them, keyed by zone) that can be published again under another run tag, correlator
 * processes on the real stack, and the alert versions they published, made comparable.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { TOPICS, createCodecs, parseIncidentJson, type IncidentReport, type RegionalAlert } from '@vigie/contracts';
import { MemoryIncidentZones } from '@vigie/correlation';
import { loadGeoReference } from '@vigie/geo';
import { BatchProducer, ConsumerGroupLagReader, readTopics, topicEndOffsets, type InboundMessage } from '@vigie/kafka';
import { createIncidentFactory, freePort, startService, waitUntilReady, type ServiceProcess } from '@vigie/testing';
import type { Kafka } from 'kafkajs';
import { enrichedCopies } from '../../services/correlator/src/testing/enriched-copies';

export const ROOT = resolve(__dirname, '../..');
export const CORRELATOR_GROUP = 'vigie-correlator';
const HOUR = 3_600_000;
const codecs = createCodecs();
const geo = loadGeoReference();

export interface Copy {
  readonly key: string;
  readonly value: Buffer;
}

/** A run-unique tag of fixed length, so that ids of two runs sort alike. */
export const runTag = (): string => randomBytes(4).toString('hex');

/**
 * Four days of incidents in the Falémé, the Mali–Mauritania strip and the Liptako-Gourma, in the
 * order they were reported, some revised or retracted later: the same stream for every tag, event
 * ids apart (`<feed>:<tag>-<n>`).
 */
export function incidentStream(tag: string, count = 240): Copy[] {
  const base = Date.parse('2026-03-01T00:00:00Z');
  const factory = createIncidentFactory(20260301, { zones: ['FALEME', 'ML_MR_BORDER', 'LIPTAKO_GOURMA'], baseTime: base + 5 * 24 * HOUR });
  const reports: IncidentReport[] = [];
  for (let i = 0; i < count; i++) {
    const parsed = parseIncidentJson(factory.next({ sourceEventId: `${tag}-${String(i).padStart(4, '0')}` }), { now: base + 30 * 24 * HOUR });
    if (!parsed.ok) throw new Error(`fixture invalid: ${JSON.stringify(parsed.issues)}`);
    // Bursty but ordered: occurrence times advance through four days, reported half an hour later.
    const occurredAt = base + Math.floor((i * 96 * HOUR) / count) + (i % 5) * 600_000;
    reports.push({ ...parsed.report, occurredAt, reportedAt: occurredAt + HOUR / 2 });
    if (i % 23 === 7) reports.push({ ...parsed.report, occurredAt, reportedAt: occurredAt + 2 * HOUR, revision: 2, status: 'REVISED', tlp: 'AMBER' });
    if (i % 37 === 11) reports.push({ ...parsed.report, occurredAt, reportedAt: occurredAt + 3 * HOUR, revision: 3, status: 'RETRACTED' });
  }
  reports.sort((a, b) => a.reportedAt - b.reportedAt);
  const remembered = new MemoryIncidentZones();
  return reports.flatMap((r) => enrichedCopies(r, geo, codecs, r.reportedAt, remembered));
}

/** Reports that occurred `hoursBefore` the stream's start: beyond the allowed lateness once the stream is in. */
export function lateCopies(tag: string, hoursBefore: number, count: number): Copy[] {
  return incidentStream(tag, count).map(({ key, value }) => {
    const incident = codecs.enrichedIncident.decode(value);
    const occurredAt = incident.report.occurredAt - hoursBefore * HOUR;
    return { key, value: codecs.enrichedIncident.encode({ ...incident, report: { ...incident.report, occurredAt, reportedAt: occurredAt + HOUR } }) };
  });
}

export async function publish(kafka: Kafka, copies: readonly Copy[]): Promise<void> {
  const producer = new BatchProducer(kafka);
  await producer.connect();
  try {
    for (let i = 0; i < copies.length; i += 500) {
      await producer.send(copies.slice(i, i + 500).map((c) => ({ topic: TOPICS.enriched, key: c.key, value: c.value })));
    }
  } finally {
    await producer.disconnect();
  }
}

/** A correlator process with its own Redis state namespace. */
export async function startCorrelator(prefix: string, logDir: string, instance: string): Promise<ServiceProcess> {
  const service = startService({
    name: 'correlator',
    httpPort: await freePort(),
    logDir,
    instance,
    env: {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:16379',
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'info',
    },
  });
  await waitUntilReady(service);
  return service;
}

/** Waits until the correlators' group has committed everything on incidents.enriched. */
export async function waitCaughtUp(kafka: Kafka, timeoutMs = 90_000): Promise<void> {
  const reader = new ConsumerGroupLagReader(kafka, CORRELATOR_GROUP, [TOPICS.enriched]);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const lags = await reader.read();
      if (lags.length > 0 && lags.every((l) => l.lag === 0)) return;
      if (Date.now() > deadline) throw new Error(`correlator group still behind: ${JSON.stringify(lags.filter((l) => l.lag > 0))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await reader.close();
  }
}

/** Every record of `topic` between two sets of end offsets (see topicEndOffsets). */
export async function readBetween(kafka: Kafka, topic: string, from: ReadonlyMap<string, bigint>, to: ReadonlyMap<string, bigint>): Promise<InboundMessage[]> {
  const expected = [...to].reduce((n, [key, end]) => n + Number(end - (from.get(key) ?? 0n)), 0);
  const kept: InboundMessage[] = [];
  if (expected === 0) return kept;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 60_000);
  await readTopics(kafka, {
    topics: [topic],
    fromBeginning: true,
    startAt: from,
    signal: abort.signal,
    onMessage: (m) => {
      if (BigInt(m.offset) >= (to.get(`${m.topic}/${m.partition}`) ?? 0n)) return;
      kept.push(m);
      if (kept.length >= expected) abort.abort();
    },
  });
  clearTimeout(timer);
  return kept;
}

export const endOffsets = (kafka: Kafka, topic: string): Promise<Map<string, bigint>> => topicEndOffsets(kafka, [topic]);

/** Alert versions as published, without what depends on when they were computed, ids of the run made generic. */
export function comparable(messages: readonly InboundMessage[], tag: string): RegionalAlert[] {
  return messages.map((m) => {
    const alert = codecs.regionalAlert.decode(m.value as Buffer);
    return { ...alert, evaluatedAt: 0, contributingEventIds: alert.contributingEventIds.map((id) => id.replace(tag, 'TAG')) };
  });
}

/**
 * One entry per (alertId, version), in a stable order; throws if a version was published twice
 * with different content (a duplicate after a crash must be the very same version).
 */
export function distinctVersions(alerts: readonly RegionalAlert[]): RegionalAlert[] {
  const byVersion = new Map<string, RegionalAlert>();
  for (const alert of alerts) {
    const key = `${alert.alertId}#${alert.version}`;
    const seen = byVersion.get(key);
    if (seen && JSON.stringify(seen) !== JSON.stringify(alert)) throw new Error(`version ${key} published twice with different content`);
    byVersion.set(key, alert);
  }
  return [...byVersion.values()].sort((a, b) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : a.version - b.version));
}

export const logDirFor = (name: string): string => join(ROOT, 'tmp', `fault-${name}-${Date.now()}`);
