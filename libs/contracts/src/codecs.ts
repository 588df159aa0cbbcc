import type { AlertDelivery } from './alert-delivery';
import type { ControlRecord } from './control-record';
import type { EnrichedIncident } from './enriched-incident';
import type { IncidentReport } from './incident-report';
import type { RegionalAlert } from './regional-alert';
import { loadSchemaCatalogue, type SchemaCatalogue } from './schema-catalogue';
import { createWireCodec, type WireCodec } from './wire-codec';

export interface Codecs {
  incidentReport: WireCodec<IncidentReport>;
  enrichedIncident: WireCodec<EnrichedIncident>;
  regionalAlert: WireCodec<RegionalAlert>;
  alertDelivery: WireCodec<AlertDelivery>;
  controlRecord: WireCodec<ControlRecord>;
}

/** Subject (full Avro name) of each message type. */
export const SUBJECTS = {
  incidentReport: 'vigie.IncidentReport',
  enrichedIncident: 'vigie.EnrichedIncident',
  regionalAlert: 'vigie.RegionalAlert',
  alertDelivery: 'vigie.AlertDelivery',
  controlRecord: 'vigie.ControlRecord',
} as const satisfies Record<keyof Codecs, string>;

export interface CodecsOptions {
  /** Larger messages are refused both ways; default 1 MiB. */
  maxMessageBytes?: number;
  /** Pin a reader schema id per message type; default each subject's latest version. */
  readerSchemaIds?: Partial<Record<keyof Codecs, number>>;
}

/** Compiles nothing itself: the catalogue's types are compiled once when it is loaded. Build once at startup. */
export function createCodecs(catalogue: SchemaCatalogue = loadSchemaCatalogue(), options: CodecsOptions = {}): Codecs {
  const codec = <T>(name: keyof Codecs): WireCodec<T> =>
    createWireCodec<T>(catalogue, SUBJECTS[name], { maxMessageBytes: options.maxMessageBytes, readerSchemaId: options.readerSchemaIds?.[name] });
  return {
    incidentReport: codec('incidentReport'),
    enrichedIncident: codec('enrichedIncident'),
    regionalAlert: codec('regionalAlert'),
    alertDelivery: codec('alertDelivery'),
    controlRecord: codec('controlRecord'),
  };
}
