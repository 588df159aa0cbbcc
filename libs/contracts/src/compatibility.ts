import type { Type } from 'avsc';
import { errorMessage } from './errors';
import type { SchemaCatalogue } from './schema-catalogue';

/**
 * Schema evolution checks. A reader is compatible with a writer when Avro schema resolution can
 * read the writer's data with it (fields the writer lacks have defaults, types promote, names
 * match); avsc's resolver applies exactly those rules.
 */
export type CompatibilityResult = { compatible: true } | { compatible: false; reason: string };

export function checkCompatibility(reader: Type, writer: Type): CompatibilityResult {
  try {
    reader.createResolver(writer);
    return { compatible: true };
  } catch (error) {
    return { compatible: false, reason: errorMessage(error) };
  }
}

export interface CompatibilityViolation {
  subject: string;
  readerId: number;
  writerId: number;
  reason: string;
}

/**
 * BACKWARD_TRANSITIVE: every version of a subject reads data written with every earlier version,
 * so consumers can be upgraded before producers and old data in topics stays readable.
 */
export function checkBackwardTransitive(catalogue: SchemaCatalogue): CompatibilityViolation[] {
  const violations: CompatibilityViolation[] = [];
  for (const subject of catalogue.subjects) {
    const versions = catalogue.versions(subject);
    versions.forEach((reader, r) => {
      for (const writer of versions.slice(0, r)) {
        const result = checkCompatibility(reader.type, writer.type);
        if (!result.compatible) violations.push({ subject, readerId: reader.id, writerId: writer.id, reason: result.reason });
      }
    });
  }
  return violations;
}
