import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Type } from 'avsc';
import { errorMessage, VigieError } from './errors';

/**
 * The static schema catalogue: every schema the pipeline may meet on the wire, with ids fixed in
 * schemas/catalogue.json. Schemas reference named types of other entries (EnrichedIncident's
 * `report` is `vigie.IncidentReport`); each entry is compiled with the types of the entries it
 * lists in `references`, so every version resolves against exactly the versions it was written for.
 */

/** One schema before compilation: what catalogue.json and the .avsc file say. */
export interface SchemaDefinition {
  readonly id: number;
  /** Full name of the schema's top-level type, e.g. vigie.IncidentReport. */
  readonly subject: string;
  /** The parsed .avsc JSON. */
  readonly schema: object;
  /** Ids of the entries whose named types this schema uses. */
  readonly references?: readonly number[];
  /** Where the schema came from, for error messages. */
  readonly source?: string;
}

export interface CatalogueEntry {
  readonly id: number;
  readonly subject: string;
  /** 1 for the subject's lowest id, then 2, 3, …: versions are ordered by id. */
  readonly version: number;
  readonly references: readonly number[];
  readonly schema: object;
  /** Compiled once, here; codecs and compatibility checks share it. */
  readonly type: Type;
  readonly source: string;
}

export interface SchemaCatalogue {
  readonly entries: readonly CatalogueEntry[];
  readonly subjects: readonly string[];
  byId(id: number): CatalogueEntry | undefined;
  /** The subject's versions, oldest first. */
  versions(subject: string): readonly CatalogueEntry[];
  /** Highest id of the subject: the reader schema codecs pin by default. */
  latest(subject: string): CatalogueEntry;
}

/**
 * Unions unwrapped (a nullable field is `T | null`, never `{string: …}`); logical types left to
 * their underlying type (timestamp-millis stays a number of epoch millis).
 */
export const AVRO_TYPE_OPTIONS = { wrapUnions: 'never', omitRecordMethods: true } as const;

const invalid = (message: string): VigieError => new VigieError('SCHEMA_CATALOGUE_INVALID', message, false);

type Registry = Record<string, Type>;

export function createSchemaCatalogue(definitions: readonly SchemaDefinition[]): SchemaCatalogue {
  const byId = new Map<number, SchemaDefinition>();
  for (const definition of definitions) {
    if (!Number.isInteger(definition.id) || definition.id < 1) throw invalid(`schema id ${definition.id} of ${describe(definition)} is not a positive integer`);
    if (byId.has(definition.id)) throw invalid(`schema id ${definition.id} is used twice (${describe(byId.get(definition.id)!)}, ${describe(definition)})`);
    byId.set(definition.id, definition);
  }

  const compiled = new Map<number, { type: Type; registry: Registry }>();
  const compiling = new Set<number>();
  const compile = (definition: SchemaDefinition): { type: Type; registry: Registry } => {
    const done = compiled.get(definition.id);
    if (done) return done;
    if (compiling.has(definition.id)) throw invalid(`schema references form a cycle through id ${definition.id}`);
    compiling.add(definition.id);
    const registry: Registry = {};
    for (const refId of definition.references ?? []) {
      const ref = byId.get(refId);
      if (!ref) throw invalid(`${describe(definition)} references unknown schema id ${refId}`);
      mergeRegistry(registry, compile(ref).registry, definition);
    }
    let type: Type;
    try {
      type = Type.forSchema(definition.schema as Parameters<typeof Type.forSchema>[0], { ...AVRO_TYPE_OPTIONS, registry });
    } catch (error) {
      throw invalid(`${describe(definition)} does not compile: ${errorMessage(error)}`);
    }
    if (type.name !== definition.subject) throw invalid(`${describe(definition)} defines ${type.name ?? 'an unnamed type'}, not its subject ${definition.subject}`);
    compiling.delete(definition.id);
    const result = { type, registry };
    compiled.set(definition.id, result);
    return result;
  };

  const sorted = [...byId.values()].sort((a, b) => a.id - b.id);
  const versionOf = new Map<string, number>();
  const entries: CatalogueEntry[] = sorted.map((definition) => {
    const version = (versionOf.get(definition.subject) ?? 0) + 1;
    versionOf.set(definition.subject, version);
    return {
      id: definition.id,
      subject: definition.subject,
      version,
      references: [...(definition.references ?? [])],
      schema: definition.schema,
      type: compile(definition).type,
      source: definition.source ?? `schema ${definition.id}`,
    };
  });
  return catalogueOf(entries);
}

function catalogueOf(entries: readonly CatalogueEntry[]): SchemaCatalogue {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const bySubject = new Map<string, CatalogueEntry[]>();
  for (const entry of entries) bySubject.set(entry.subject, [...(bySubject.get(entry.subject) ?? []), entry]);
  return {
    entries,
    subjects: [...bySubject.keys()],
    byId: (id) => byId.get(id),
    versions: (subject) => bySubject.get(subject) ?? [],
    latest: (subject) => {
      const versions = bySubject.get(subject);
      if (!versions) throw new VigieError('UNKNOWN_SUBJECT', `no schema for subject ${subject} in the catalogue`, false);
      return versions[versions.length - 1]!;
    },
  };
}

/** Two references may share named types (both see vigie.Tlp), but must agree on them. */
function mergeRegistry(into: Registry, from: Registry, definition: SchemaDefinition): void {
  for (const [name, type] of Object.entries(from)) {
    const existing = into[name];
    if (existing && existing !== type && !existing.equals(type)) {
      throw invalid(`${describe(definition)} references two different definitions of ${name}`);
    }
    into[name] = existing ?? type;
  }
}

const describe = (d: SchemaDefinition): string => d.source ?? `schema ${d.id} (${d.subject})`;

interface CatalogueFileEntry {
  id: number;
  subject: string;
  file: string;
  references?: number[];
}

/** Reads schemas/catalogue.json and the .avsc files it lists. */
export function readSchemaDefinitions(schemasDir: string = defaultSchemasDir()): SchemaDefinition[] {
  const cataloguePath = join(schemasDir, 'catalogue.json');
  const listed = readJson(cataloguePath) as { schemas?: CatalogueFileEntry[] };
  if (!Array.isArray(listed.schemas)) throw invalid(`${cataloguePath} must be {"schemas": [...]}`);
  return listed.schemas.map((entry) => {
    if (typeof entry.file !== 'string' || typeof entry.subject !== 'string') throw invalid(`${cataloguePath}: entry ${JSON.stringify(entry)} needs a subject and a file`);
    return {
      id: entry.id,
      subject: entry.subject,
      schema: readJson(join(schemasDir, entry.file)) as object,
      references: entry.references ?? [],
      source: `${entry.file} (id ${entry.id})`,
    };
  });
}

export function loadSchemaCatalogue(schemasDir?: string): SchemaCatalogue {
  return createSchemaCatalogue(readSchemaDefinitions(schemasDir));
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw invalid(`cannot read ${path}: ${errorMessage(error)}`);
  }
}

/** The repository's schemas/ folder: the nearest ancestor of this file (or of the working directory) that has one. */
export function defaultSchemasDir(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'schemas');
      if (existsSync(join(candidate, 'catalogue.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw invalid(`no schemas/catalogue.json found above ${__dirname} or ${process.cwd()}`);
}
