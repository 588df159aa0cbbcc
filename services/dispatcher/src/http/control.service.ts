import { randomBytes } from 'node:crypto';
import { VigieError, agencyAlertTopic, controlKeyOf, formatIsoTimestamp, parseControlKey, type ControlEntities, type ControlKind, type Silence } from '@vigie/contracts';
import {
  isSilenceActive,
  parseAcknowledgement,
  parseAgency,
  parseAgreement,
  parseCommunity,
  parseRedactionPolicy,
  parseSilence,
  parseSubscription,
  type ControlEntry,
} from '@vigie/sharing';
import type { ControlView } from '../control/control-view';
import type { ChangeAuthor, ControlWriter } from '../control/control-writer';

/** How an entity is shown: its fields, plus who changed it last. */
export type Shown<T> = T & { changed: { at: string; by: string; reason: string | null } };

export interface ControlServiceOptions {
  readonly zoneExists?: (zoneKey: string) => boolean;
  /** Creates the agency's delivery topic before the agency exists. */
  readonly ensureAgencyTopic: (agencyId: string) => Promise<void>;
  readonly now?: () => number;
}

const notFound = (what: string): VigieError => new VigieError(`${what.split(' ')[0]!.toUpperCase()}_NOT_FOUND`, `no ${what}`, false);

/** The body's id, if it gives one, must be the id of the URL: a PUT cannot rename. */
function withId(body: unknown, field: string, id: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const given = (body as Record<string, unknown>)[field];
  if (given !== undefined && given !== id) throw new VigieError('ID_INVALID', `${field}: "${String(given)}" differs from the id in the URL ("${id}")`, false, { problems: [`${field}: differs from the id in the URL`] });
  return { ...body, [field]: id };
}

/**
 * The control API's logic, between the HTTP controllers and the control topics: validates (with
 * messages that say what is wrong), checks references, writes through ControlWriter, and reads the
 * instance's materialised view.
 */
export class ControlService {
  private readonly now: () => number;

  constructor(
    private readonly view: ControlView,
    private readonly writer: ControlWriter,
    private readonly options: ControlServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  list<K extends ControlKind>(kind: K, keep: (e: ControlEntities[K]) => boolean = () => true): Shown<ControlEntities[K]>[] {
    return this.view.state.entries(kind).filter((e) => keep(e.entity)).map(show);
  }

  get<K extends ControlKind>(kind: K, id: string, what: string): Shown<ControlEntities[K]> {
    const entry = this.view.state.entry(kind, id);
    if (!entry) throw notFound(`${what} "${id}"`);
    return show(entry);
  }

  async putAgency(id: string, body: unknown, author: ChangeAuthor): Promise<boolean> {
    const agency = parseAgency(withId(body, 'agencyId', id));
    await this.options.ensureAgencyTopic(agency.agencyId);
    return this.put('agency', agency, author);
  }

  async deleteAgency(id: string, author: ChangeAuthor): Promise<void> {
    const subscriptions = this.view.state.all('subscription').filter((s) => s.agencyId === id).map((s) => s.subscriptionId);
    if (subscriptions.length > 0) throw new VigieError('AGENCY_CONFLICT', `agency "${id}" still has subscriptions: ${subscriptions.join(', ')}; delete them first`, false);
    await this.remove('agency', id, `agency "${id}"`, author);
  }

  putSubscription(id: string, body: unknown, author: ChangeAuthor): Promise<boolean> {
    const subscription = parseSubscription(withId(body, 'subscriptionId', id), {
      agencyExists: (agencyId) => this.view.state.get('agency', agencyId) !== undefined,
      zoneExists: this.options.zoneExists,
    });
    return this.put('subscription', subscription, author);
  }

  putCommunity(id: string, body: unknown, author: ChangeAuthor): Promise<boolean> {
    return this.put('community', parseCommunity(withId(body, 'communityId', id)), author);
  }

  putAgreement(id: string, body: unknown, author: ChangeAuthor): Promise<boolean> {
    return this.put('agreement', parseAgreement(withId(body, 'agreementId', id)), author);
  }

  putRedaction(body: unknown, author: ChangeAuthor): Promise<boolean> {
    return this.put('redactionPolicy', parseRedactionPolicy(body), author);
  }

  /** A new silence, with a generated id unless one is given; returns it. */
  async addSilence(body: unknown, author: ChangeAuthor): Promise<Silence> {
    const json = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
    const silenceId = (json as { silenceId?: unknown }).silenceId ?? `silence-${randomBytes(4).toString('hex')}`;
    const silence = parseSilence({ ...json, silenceId }, this.now(), { zoneExists: this.options.zoneExists });
    if (this.view.state.get('silence', silence.silenceId)) throw new VigieError('SILENCE_CONFLICT', `silence "${silence.silenceId}" exists; delete it first`, false);
    await this.writer.put('silence', silence, { by: author.by, reason: author.reason ?? (silence.comment || null) });
    return silence;
  }

  isActive(silence: Silence): boolean {
    return isSilenceActive(silence, this.now());
  }

  acknowledge(alertId: string, body: unknown, author: ChangeAuthor): Promise<boolean> {
    const ack = parseAcknowledgement(alertId, body);
    return this.put('acknowledgement', ack, { by: author.by, reason: author.reason ?? (ack.comment || null) });
  }

  async remove(kind: ControlKind, id: string, what: string, author: ChangeAuthor): Promise<void> {
    if (!(await this.writer.remove(kind, id, author))) throw notFound(what);
  }

  /** True when the entity is new. */
  private async put<K extends ControlKind>(kind: K, entity: ControlEntities[K], author: ChangeAuthor): Promise<boolean> {
    const created = this.view.state.entry(kind, parseControlKey(controlKeyOf(kind, entity))!.id) === undefined;
    await this.writer.put(kind, entity, author);
    return created;
  }
}

function show<K extends ControlKind>(entry: ControlEntry<K>): Shown<ControlEntities[K]> {
  const changed = { at: formatIsoTimestamp(entry.changedAt), by: entry.changedBy, reason: entry.reason };
  const entity = entry.entity as ControlEntities[ControlKind];
  if ('startsAt' in entity) return { ...entity, startsAt: formatIsoTimestamp(entity.startsAt), endsAt: formatIsoTimestamp(entity.endsAt), changed } as never;
  if ('agencyId' in entity && 'country' in entity) return { ...entity, deliveryTopic: agencyAlertTopic(entity.agencyId), changed } as never;
  return { ...entity, changed } as never;
}
