import { VigieError } from '@vigie/contracts';

/** A named town of the gazetteer (reference/sources/places.json) used to draw routes and name sections. */
export interface Place {
  readonly name: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
}

export function parsePlaces(json: unknown): Place[] {
  if (!Array.isArray(json)) throw invalid('places must be an array');
  const places = json.map((p: Record<string, unknown>, i): Place => {
    const { name, country, lat, lon } = p ?? {};
    if (typeof name !== 'string' || typeof country !== 'string' || typeof lat !== 'number' || typeof lon !== 'number') {
      throw invalid(`place #${i} needs name, country, lat, lon`);
    }
    return { name, country, lat, lon };
  });
  const seen = new Set<string>();
  for (const p of places) {
    if (seen.has(p.name)) throw invalid(`place "${p.name}" is listed twice`);
    seen.add(p.name);
  }
  return places;
}

function invalid(message: string): VigieError {
  return new VigieError('GEO_SOURCE_INVALID', message, false);
}
