import { TOPICS, errorMessage, type Codecs, type RegionalAlert, type Silence, type WireSelection } from '@vigie/contracts';
import { readTopicsSince, type BatchProducer, type InboundMessage, type OutboundMessage, type StructuredLogger } from '@vigie/kafka';
import { activeSilencesFor, silenceCovers } from '@vigie/sharing';
import type { Kafka } from 'kafkajs';
import type { ControlView } from './control/control-view';

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * alerts.regional is read from records stamped this long before a silence began: a version's
 * record is stamped when published, after its evaluatedAt, by the same correlator's clock; the
 * margin only absorbs a clock stepped back in between.
 */
const CLOCK_SLACK_MS = 5 * 60_000;

/** What a release needs of an alert version: which alert, which version, and what silences match on. */
type AlertHead = Pick<RegionalAlert, 'alertId' | 'version' | 'zone' | 'rule' | 'evaluatedAt'>;

/**
 * Releases what a silence held once it ends (or is deleted): the latest version of every alert it
 * covers that changed while it was on is read again from alerts.regional and offered to the
 * dispatcher stage through alerts.released, where the stage decides anew (another silence may
 * still hold it) and the delivery ledger drops what was already delivered. Every instance releases
 * every silence — duplicates cost a ledger look-up, a lost release would cost a missed alert — and
 * at startup silences that ended recently are released again, in case no instance was running.
 */
export class SilenceReleaser {
  private known = new Map<string, Silence>();
  private readonly released = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly heads: WireSelection<AlertHead>;

  constructor(
    private readonly kafka: Kafka,
    codecs: Codecs,
    private readonly view: ControlView,
    private readonly producer: BatchProducer,
    private readonly log: StructuredLogger,
    private readonly lookbackMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.heads = codecs.regionalAlert.select<AlertHead>({ alertId: true, version: true, zone: true, rule: true, evaluatedAt: true });
  }

  /** Call once the view caught up. */
  start(): void {
    const now = this.now();
    for (const silence of this.view.state.silences()) {
      this.known.set(silence.silenceId, silence);
      if (silence.endsAt <= now && silence.endsAt > now - this.lookbackMs) this.release(silence, 'ended before this instance started');
    }
    this.view.onChange(() => this.onControlChange());
    this.schedule();
  }

  /** Waits for releases in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.queue;
  }

  private onControlChange(): void {
    const current = new Map(this.view.state.silences().map((s) => [s.silenceId, s]));
    const now = this.now();
    for (const [id, silence] of this.known) {
      const after = current.get(id);
      // Deleted, or cut short, while it was holding alerts.
      if (silence.startsAt <= now && now < silence.endsAt && (!after || after.endsAt <= now)) this.release(silence, after ? 'shortened' : 'deleted');
    }
    this.known = current;
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const now = this.now();
    const next = Math.min(...[...this.known.values()].map((s) => s.endsAt).filter((end) => end > now));
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => {
      for (const silence of this.known.values()) if (silence.endsAt <= this.now()) this.release(silence, 'ended');
      this.schedule();
    }, Math.min(next - now, MAX_TIMER_MS));
    this.timer.unref();
  }

  private release(silence: Silence, why: string): void {
    const once = `${silence.silenceId}@${silence.endsAt}`;
    if (this.released.has(once) || this.stopped) return;
    this.released.add(once);
    this.queue = this.queue.then(async () => {
      try {
        const outputs = await this.heldBy(silence);
        await this.producer.send(outputs);
        this.log.info('silence released', { silenceId: silence.silenceId, why, alerts: outputs.length });
      } catch (error) {
        this.released.delete(once);
        this.log.error('silence release failed; retried at the next change or restart', { silenceId: silence.silenceId, error: errorMessage(error) });
      }
    });
  }

  /** Latest versions of the alerts the silence covers that changed while it was on and no other silence holds now. */
  private async heldBy(silence: Silence): Promise<OutboundMessage[]> {
    const latest = new Map<string, { alert: AlertHead; message: InboundMessage }>();
    await readTopicsSince(this.kafka, [TOPICS.regionalAlerts], silence.startsAt - CLOCK_SLACK_MS, (message) => {
      if (!message.value) return;
      let alert: AlertHead;
      try {
        alert = this.heads.decode(message.value);
      } catch {
        return; // the stage dead-letters it on its own path
      }
      if (!silenceCovers(silence, alert) || alert.evaluatedAt < silence.startsAt) return;
      const seen = latest.get(alert.alertId);
      if (!seen || seen.alert.version < alert.version) latest.set(alert.alertId, { alert, message });
    });
    const now = this.now();
    const silences = this.view.state.silences().filter((s) => s.silenceId !== silence.silenceId);
    return [...latest.values()]
      .filter(({ alert }) => activeSilencesFor(alert, silences, now).length === 0)
      .map(({ alert, message }) => ({ topic: TOPICS.releasedAlerts, key: alert.alertId, value: message.value as Buffer }));
  }
}
