import { TOPICS, VigieError, ZONE_KINDS, type Codecs, type ZoneKind } from '@vigie/contracts';
import {
  evaluateZone,
  horizonMs,
  lateBound,
  nextOutbox,
  ruleAppliesTo,
  toWindowEvent,
  type BatchSpan,
  type CorrelationStore,
  type EntryStatus,
  type Rule,
  type RuleCommit,
  type WindowEvent,
  type Zone,
  type ZoneCommit,
  type ZoneEntry,
  type ZoneSnapshot,
} from '@vigie/correlation';
import { attemptEach, type InboundMessage, type MessageOutcome, type OutboundMessage, type StageHandler } from '@vigie/kafka';

/*
 * Correlator: incidents.enriched (keyed by zone) → alerts.regional (keyed by alert id), and
 * incidents.late. Why no alert version is lost or renumbered, on at-least-once Kafka:
 *
 * 1. APPLY is idempotent. The zone's state records the last applied offset per input partition,
 *    so re-reading messages after a crash, a rebalance or a batch retry changes nothing; an
 *    incident counts once, with its latest revision.
 * 2. Evaluation is a pure function of the zone's events and the stored alert state. A replay that
 *    applies nothing new finds the state it produced itself, so it yields no new version: version
 *    numbers are never reused for other content.
 * 3. COMMIT is a compare-and-set on each alert's version: if another instance (a zombie that lost
 *    the partition) moved it, nothing is written and the batch fails retriably, to be re-read.
 * 4. A committed version enters the alert's outbox, in the same atomic COMMIT. Every batch
 *    touching the zone emits the outbox, and only a later batch proves it delivered: the runner
 *    hands a partition's batches over one at a time, each after the previous batch's outputs were
 *    acknowledged, so a batch that starts after the emitting batch's last offset proves delivery
 *    (alert-outbox.ts). After a SIGKILL between COMMIT and the broker's acknowledgement, the
 *    consumer resumes at or before the emitting batch, which is not proof: the replay re-emits the
 *    stored versions, in order, even across repeated crashes. The batch that emits a version never
 *    marks it delivered itself.
 * The price is duplicates of the same (alertId, version), which the dispatcher recognises.
 */

export interface CorrelatorOptions {
  /** How long after its window an incident is still applied (default 7 days in config). */
  readonly allowedLatenessMs: number;
}

/** A message that decoded, with the zone its key names. */
interface Decoded {
  readonly zoneKey: string;
  readonly zone: Zone;
  readonly event: WindowEvent;
  readonly value: Buffer;
}

/** The messages of one batch that belong to one zone. */
interface ZoneBatch {
  readonly zoneKey: string;
  readonly zone: Zone;
  readonly partition: number;
  readonly rules: readonly Rule[];
  readonly horizonMs: number;
  /** Indexes into the batch's messages, in offset order, aligned with `entries`. */
  readonly indexes: number[];
  readonly entries: ZoneEntry[];
}

const NOTHING: MessageOutcome = { kind: 'emit', disposition: 'processed', messages: [] };
const DEDUPLICATED: MessageOutcome = { kind: 'emit', disposition: 'deduplicated', messages: [] };

/** First and last offsets of the batch per partition (a runner batch has one partition). */
function spansOf(messages: readonly InboundMessage[]): Map<number, BatchSpan> {
  const spans = new Map<number, BatchSpan>();
  for (const m of messages) {
    const offset = Number(m.offset);
    const span = spans.get(m.partition);
    spans.set(m.partition, {
      partition: m.partition,
      firstOffset: Math.min(span?.firstOffset ?? offset, offset),
      lastOffset: Math.max(span?.lastOffset ?? offset, offset),
    });
  }
  return spans;
}

export class CorrelatorStage implements StageHandler {
  private readonly rulesByZoneKind = new Map<ZoneKind, { rules: Rule[]; horizonMs: number }>();

  constructor(
    private readonly codecs: Codecs,
    private readonly store: CorrelationStore,
    rules: readonly Rule[],
    private readonly zones: (key: string) => Zone | undefined,
    options: CorrelatorOptions,
    private readonly now: () => number = Date.now,
  ) {
    for (const kind of ZONE_KINDS) {
      const watching = rules.filter((r) => ruleAppliesTo(r, kind));
      this.rulesByZoneKind.set(kind, { rules: watching, horizonMs: horizonMs(watching, options.allowedLatenessMs) });
    }
  }

  async handleBatch(messages: readonly InboundMessage[]): Promise<readonly MessageOutcome[]> {
    const now = this.now();
    const decoded: (Decoded | undefined)[] = new Array(messages.length);
    const outcomes = attemptEach(messages, (message, i) => {
      decoded[i] = this.decode(message);
      return NOTHING;
    });
    const batches = this.groupByZone(messages, decoded, outcomes);
    if (batches.length === 0) return outcomes;

    const snapshots = await this.store.apply(batches.map((b) => ({ zoneKey: b.zoneKey, partition: b.partition, entries: b.entries, horizonMs: b.horizonMs })));
    const spans = spansOf(messages);
    const commits = batches.map((batch, z): ZoneCommit => {
      const snapshot = snapshots[z] as ZoneSnapshot;
      batch.indexes.forEach((i, e) => (outcomes[i] = this.outcomeOf(snapshot.statuses[e] as EntryStatus, decoded[i] as Decoded)));
      const { rules, alerts } = this.correlate(batch, snapshot, spans.get(batch.partition) as BatchSpan, now);
      const last = batch.indexes[batch.indexes.length - 1] as number;
      const carrier = outcomes[last] as Extract<MessageOutcome, { kind: 'emit' }>;
      outcomes[last] = { ...carrier, messages: [...carrier.messages, ...alerts] };
      return { zoneKey: batch.zoneKey, rules, evictBefore: lateBound(snapshot.watermark, batch.horizonMs) };
    });

    const written = await this.store.commit(commits);
    const conflicts = commits.filter((_, z) => !written[z]).map((c) => c.zoneKey);
    if (conflicts.length > 0) {
      throw new VigieError('CORRELATION_CONFLICT', `another writer moved the alerts of ${conflicts.join(', ')}; the batch is retried on fresh state`, true, { zones: conflicts });
    }
    return outcomes;
  }

  private decode(message: InboundMessage): Decoded {
    if (!message.value) throw new VigieError('EMPTY_MESSAGE', 'message has no value', false);
    const enriched = this.codecs.enrichedIncident.decode(message.value);
    if (!message.key) throw new VigieError('MISSING_KEY', 'enriched incident has no zone key', false);
    const zoneKey = message.key.toString();
    const zone = this.zones(zoneKey);
    if (!zone) {
      throw new VigieError('UNKNOWN_ZONE', `zone ${zoneKey} is not in the geographic reference (do enricher and correlator load the same reference?)`, false);
    }
    return { zoneKey, zone, event: toWindowEvent(enriched.report), value: message.value };
  }

  /** Zones watched by at least one rule, each with its messages in batch order. */
  private groupByZone(messages: readonly InboundMessage[], decoded: readonly (Decoded | undefined)[], outcomes: readonly MessageOutcome[]): ZoneBatch[] {
    const batches = new Map<string, ZoneBatch>();
    decoded.forEach((d, i) => {
      if (!d || outcomes[i]?.kind !== 'emit') return;
      const { rules, horizonMs: horizon } = this.rulesByZoneKind.get(d.zone.kind) ?? { rules: [], horizonMs: 0 };
      if (rules.length === 0) return;
      let batch = batches.get(d.zoneKey);
      if (!batch) {
        const partition = (messages[i] as InboundMessage).partition;
        batches.set(d.zoneKey, (batch = { zoneKey: d.zoneKey, zone: d.zone, partition, rules, horizonMs: horizon, indexes: [], entries: [] }));
      }
      batch.indexes.push(i);
      batch.entries.push({ offset: Number((messages[i] as InboundMessage).offset), event: d.event });
    });
    return [...batches.values()];
  }

  private outcomeOf(status: EntryStatus, decoded: Decoded): MessageOutcome {
    switch (status) {
      case 'late':
        return { kind: 'emit', disposition: 'late', messages: [{ topic: TOPICS.late, key: decoded.zoneKey, value: decoded.value }] };
      case 'replayed':
      case 'stale':
        return DEDUPLICATED;
      case 'applied':
        return NOTHING;
    }
  }

  /** Evaluates every rule watching the zone: the alerts to emit now and the records to commit. */
  private correlate(batch: ZoneBatch, snapshot: ZoneSnapshot, span: BatchSpan, now: number): { rules: RuleCommit[]; alerts: OutboundMessage[] } {
    const rules: RuleCommit[] = [];
    const alerts: OutboundMessage[] = [];
    for (const rule of batch.rules) {
      const record = snapshot.records.get(rule.id) ?? null;
      const previous = record?.state ?? null;
      const { state, alert } = evaluateZone({ zone: batch.zone, rule, events: snapshot.events, watermark: snapshot.watermark, previous, now });
      const outbox = nextOutbox(record?.outbox ?? null, alert, span);
      for (const a of outbox?.alerts ?? []) {
        alerts.push({ topic: TOPICS.regionalAlerts, key: a.alertId, value: this.codecs.regionalAlert.encode(a) });
      }
      // Unchanged state and an empty outbox before and after: nothing to write.
      if (state && (alert || record?.outbox)) rules.push({ ruleId: rule.id, expectedVersion: previous?.version ?? 0, record: { state, outbox } });
    }
    return { rules, alerts };
  }
}
