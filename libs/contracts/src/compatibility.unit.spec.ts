import type { types } from 'avsc';
import { describe, expect, it } from 'vitest';
import { createCodecs } from './codecs';
import { checkBackwardTransitive, checkCompatibility } from './compatibility';
import { VigieError } from './errors';
import { INCIDENT_STATUSES, SOURCE_RELIABILITIES, TIME_PRECISIONS, TLP_LEVELS } from './incident-report';
import { ALERT_LEVELS, ALERT_STATUSES, ZONE_KINDS } from './regional-alert';
import { sampleIncidentReport } from './sample-messages';
import { createSchemaCatalogue, loadSchemaCatalogue, readSchemaDefinitions, type SchemaDefinition } from './schema-catalogue';

const definitions = readSchemaDefinitions();
const v1Definition = definitions.find((d) => d.subject === 'vigie.IncidentReport')!;
const V2_ID = 100;

/** IncidentReport v1 plus one field, as a future v2 would add it. */
function incidentReportV2(newField: Record<string, unknown>): SchemaDefinition {
  const v1 = structuredClone(v1Definition.schema) as { fields: unknown[] };
  return { ...v1Definition, id: V2_ID, schema: { ...v1, fields: [...v1.fields, newField] }, source: 'incident-report v2 (test)' };
}

const withDefault = incidentReportV2({ name: 'confidenceNote', type: ['null', 'string'], default: null, doc: 'test field' });
const withoutDefault = incidentReportV2({ name: 'confidenceNote', type: 'string', doc: 'test field' });

describe('schema evolution: IncidentReport v1 → v2 adding a defaulted field', () => {
  const catalogue = createSchemaCatalogue([...definitions, withDefault]);
  const v1Codecs = createCodecs(catalogue, { readerSchemaIds: { incidentReport: 1 } });
  const v2Codecs = createCodecs(catalogue, { readerSchemaIds: { incidentReport: V2_ID } });
  type V2Report = ReturnType<typeof sampleIncidentReport> & { confidenceNote: string | null };

  it('pins the latest version as reader by default', () => {
    expect(createCodecs(catalogue).incidentReport.schemaId).toBe(V2_ID);
  });

  it('new reader reads old data, filling in the default', () => {
    const old = sampleIncidentReport();
    const decoded = v2Codecs.incidentReport.decode(v1Codecs.incidentReport.encode(old)) as V2Report;
    expect(decoded).toEqual({ ...old, confidenceNote: null });
  });

  it('old reader reads new data, ignoring the new field', () => {
    const v2Report: V2Report = { ...sampleIncidentReport(), confidenceNote: 'second source pending' };
    const message = (v2Codecs.incidentReport as unknown as { encode(v: V2Report): Buffer }).encode(v2Report);
    expect(message.readUInt32BE(1)).toBe(V2_ID);
    const decoded = v1Codecs.incidentReport.decode(message);
    expect(decoded).toEqual(sampleIncidentReport());
    expect(decoded).not.toHaveProperty('confidenceNote');
  });

  it('is compatible both ways', () => {
    const [v1, v2] = [catalogue.byId(1)!.type, catalogue.byId(V2_ID)!.type];
    expect(checkCompatibility(v2, v1)).toEqual({ compatible: true });
    expect(checkCompatibility(v1, v2)).toEqual({ compatible: true });
    expect(checkBackwardTransitive(catalogue)).toEqual([]);
  });
});

describe('schema evolution: a field added without a default', () => {
  const catalogue = createSchemaCatalogue([...definitions, withoutDefault]);

  it('is detected as backward-incompatible', () => {
    const result = checkCompatibility(catalogue.byId(V2_ID)!.type, catalogue.byId(1)!.type);
    expect(result.compatible).toBe(false);
    expect(checkBackwardTransitive(catalogue)).toEqual([
      { subject: 'vigie.IncidentReport', readerId: V2_ID, writerId: 1, reason: expect.any(String) },
    ]);
  });

  it('makes old data undecodable by the new reader, as SCHEMA_INCOMPATIBLE', () => {
    const old = createCodecs(catalogue, { readerSchemaIds: { incidentReport: 1 } }).incidentReport.encode(sampleIncidentReport());
    const v2Codecs = createCodecs(catalogue, { readerSchemaIds: { incidentReport: V2_ID } });
    expect(() => v2Codecs.incidentReport.decode(old)).toThrow(expect.objectContaining({ code: 'SCHEMA_INCOMPATIBLE' }));
  });

  it('is also found when a version is checked against every older one, not only the previous', () => {
    const v3 = { ...withDefault, id: V2_ID + 1, source: 'v3 (test)' };
    const violations = checkBackwardTransitive(createSchemaCatalogue([...definitions, withoutDefault, v3]));
    expect(violations.map((v) => [v.readerId, v.writerId])).toEqual([[V2_ID, 1]]);
    const v3NoDefault = { ...withoutDefault, id: V2_ID + 1, source: 'v3 (test)' };
    const transitive = checkBackwardTransitive(createSchemaCatalogue([...definitions, withDefault, v3NoDefault]));
    expect(transitive.map((v) => [v.readerId, v.writerId])).toEqual([[V2_ID + 1, 1], [V2_ID + 1, V2_ID]]);
  });
});

describe('the repository catalogue (schemas/catalogue.json)', () => {
  const catalogue = loadSchemaCatalogue();

  it('is BACKWARD_TRANSITIVE compatible for every subject', () => {
    expect(checkBackwardTransitive(catalogue)).toEqual([]);
  });

  it('keeps the schema ids that messages already carry', () => {
    const idOf = (subject: string): number[] => catalogue.versions(subject).map((e) => e.id);
    expect(idOf('vigie.IncidentReport')[0]).toBe(1);
    expect(idOf('vigie.EnrichedIncident')[0]).toBe(2);
    expect(idOf('vigie.RegionalAlert')[0]).toBe(3);
    expect(idOf('vigie.AlertDelivery')[0]).toBe(4);
    expect(idOf('vigie.Tlp')[0]).toBe(5);
  });

  it('documents every field of every schema', () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) node.forEach((n) => visit(n, path));
      else if (node && typeof node === 'object') {
        const record = node as { fields?: { name: string; doc?: string; type: unknown }[]; type?: unknown; items?: unknown; values?: unknown };
        for (const field of record.fields ?? []) {
          if (!field.doc) undocumented.push(`${path}.${field.name}`);
          visit(field.type, `${path}.${field.name}`);
        }
        visit(record.items, path);
        visit(record.values, path);
      }
    };
    for (const entry of catalogue.entries) visit(entry.schema, entry.subject);
    expect(undocumented).toEqual([]);
  });

  it('has enums whose symbols match the TypeScript constants', () => {
    const incident = catalogue.latest('vigie.IncidentReport').type as types.RecordType;
    const alert = catalogue.latest('vigie.RegionalAlert').type as types.RecordType;
    const symbols = (record: types.RecordType, field: string): readonly string[] => (record.field(field).type as types.EnumType).symbols;
    expect(symbols(incident, 'tlp')).toEqual(TLP_LEVELS);
    expect(symbols(incident, 'status')).toEqual(INCIDENT_STATUSES);
    expect(symbols(incident, 'timePrecision')).toEqual(TIME_PRECISIONS);
    expect(symbols(incident, 'sourceReliability')).toEqual(SOURCE_RELIABILITIES);
    expect(symbols(alert, 'status')).toEqual(ALERT_STATUSES);
    expect(symbols(alert, 'level')).toEqual(ALERT_LEVELS);
    expect((alert.field('zone').type as types.RecordType).field('kind').type).toHaveProperty('symbols', ZONE_KINDS);
  });
});

describe('catalogue loading', () => {
  const tlp = definitions.find((d) => d.subject === 'vigie.Tlp')!;
  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return (error as VigieError).code;
    }
    return undefined;
  };

  it('rejects a reused id, an unknown reference, a subject that does not match the schema, and cycles', () => {
    expect(code(() => createSchemaCatalogue([tlp, { ...tlp, source: 'copy' }]))).toBe('SCHEMA_CATALOGUE_INVALID');
    expect(code(() => createSchemaCatalogue([{ ...v1Definition, references: [42] }]))).toBe('SCHEMA_CATALOGUE_INVALID');
    expect(code(() => createSchemaCatalogue([{ ...tlp, subject: 'vigie.Other' }]))).toBe('SCHEMA_CATALOGUE_INVALID');
    expect(code(() => createSchemaCatalogue([{ ...v1Definition, references: [] }]))).toBe('SCHEMA_CATALOGUE_INVALID'); // vigie.Tlp unresolved
    const a = { id: 1, subject: 'test.A', schema: { type: 'record', name: 'A', namespace: 'test', fields: [] }, references: [2] };
    const b = { id: 2, subject: 'test.B', schema: { type: 'record', name: 'B', namespace: 'test', fields: [] }, references: [1] };
    expect(code(() => createSchemaCatalogue([a, b]))).toBe('SCHEMA_CATALOGUE_INVALID');
  });

  it('refuses to pin a reader that is not a version of the subject', () => {
    expect(code(() => createCodecs(loadSchemaCatalogue(), { readerSchemaIds: { incidentReport: 3 } }))).toBe('UNKNOWN_SCHEMA_ID');
  });
});
