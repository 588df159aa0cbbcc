import { beforeAll, describe, expect, it } from 'vitest';
import { correlationKeys } from './correlation-keys';
import { enrichLocation } from './enrich-location';
import { loadGeoReference } from './load-geo-reference';
import type { GeoPrecision, GeoReference } from './types';

// Ground truth: town coordinates from public gazetteers, and facts of geography checked by hand
// (e.g. Bamako lies ~100–130 km from the Guinean border at Kourémalé; Saraya lies west of the
// Falémé, which is the Senegal–Mali border). Ranges are tolerant of the 1:50m generalisation.
let ref: GeoReference;
beforeAll(() => {
  ref = loadGeoReference();
});

const at = (lat: number, lon: number, reported: string, geoPrecision: GeoPrecision = 1) =>
  enrichLocation(ref, { lat, lon, geoPrecision }, reported);

describe('enrichLocation on known places', () => {
  it('Saraya is in Senegal, tens of km west of the Mali border, in the Falémé hotspot', () => {
    const geo = at(12.836, -11.755, 'SN');
    expect(geo.country).toBe('SN');
    expect(geo.reportedCountryMismatch).toBe(false);
    expect(geo.borderDistanceKm).toBeGreaterThan(15);
    expect(geo.borderDistanceKm).toBeLessThan(45);
    expect(geo.borderSectionId).toMatch(/^ML-SN-\d{3}$/);
    expect(geo.neighbourCountry).toBe('ML');
    expect(geo.hotspotIds).toContain('HS-FALEME');
    expect(geo.flags).toEqual([]);
  });

  it('Kayes is in Mali, 50–90 km from Senegal, in the Falémé hotspot and on the Bamako–Dakar route', () => {
    const geo = at(14.447, -11.444, 'ML');
    expect(geo.country).toBe('ML');
    expect(geo.borderDistanceKm).toBeGreaterThan(50);
    expect(geo.borderDistanceKm).toBeLessThan(90);
    expect(geo.hotspotIds).toContain('HS-FALEME');
    expect(geo.routes.map((r) => r.routeId)).toContain('RT-BAMAKO-DAKAR');
    // Beyond the 50 km border strip when precise; its nearest border is Senegal's.
    expect(geo.borderSectionId).toBeNull();
    expect(geo.neighbourCountry).toBeNull();
    expect(at(14.447, -11.444, 'ML', 2).neighbourCountry).toBe('SN');
  });

  it('Ménaka is in Mali, 60–100 km from Niger', () => {
    const geo = at(15.918, 2.402, 'ML');
    expect(geo.country).toBe('ML');
    expect(at(15.918, 2.402, 'ML', 2).neighbourCountry).toBe('NE');
    expect(geo.borderDistanceKm).toBeGreaterThan(60);
    expect(geo.borderDistanceKm).toBeLessThan(100);
    expect(geo.hotspotIds).toContain('HS-MENAKA-TILLABERI');
  });

  it('Tillabéri is in Niger, inside Liptako-Gourma', () => {
    const geo = at(14.207, 1.453, 'NE');
    expect(geo.country).toBe('NE');
    expect(geo.hotspotIds).toContain('HS-LIPTAKO-GOURMA');
  });

  it('Djibo is in Burkina Faso, inside Liptako-Gourma, within the Mali border strip', () => {
    const geo = at(14.102, -1.63, 'BF');
    expect(geo.country).toBe('BF');
    expect(geo.hotspotIds).toContain('HS-LIPTAKO-GOURMA');
    expect(geo.neighbourCountry).toBe('ML');
    // Djibo is ~40–50 km south of the Mali border.
    expect(geo.borderDistanceKm).toBeGreaterThan(30);
    expect(geo.borderDistanceKm).toBeLessThan(60);
    expect(geo.borderSectionId).toMatch(/^BF-ML-\d{3}$/);
  });

  it('Agadez is in Niger, at the start of the Agadez–Libya route', () => {
    const geo = at(16.974, 7.991, 'NE');
    expect(geo.country).toBe('NE');
    const route = geo.routes.find((r) => r.routeId === 'RT-AGADEZ-LIBYA');
    expect(route?.chainageKm).toBeLessThan(1);
    expect(route?.distanceKm).toBeLessThan(1);
    // Agadez is ~300–400 km from the nearest land border (Algeria): no section.
    expect(geo.borderDistanceKm).toBeGreaterThan(250);
    expect(geo.borderSectionId).toBeNull();
  });

  it('Bamako is in Mali, 100–130 km from the Guinean border', () => {
    const geo = at(12.639, -8.003, 'ML');
    expect(geo.country).toBe('ML');
    expect(at(12.639, -8.003, 'ML', 3).neighbourCountry).toBe('GN');
    expect(geo.borderDistanceKm).toBeGreaterThan(100);
    expect(geo.borderDistanceKm).toBeLessThan(130);
    expect(geo.borderSectionId).toBeNull();
  });

  it('Nouadhibou is in Mauritania, on the Atlantic route ~750 km from Dakar by the coast', () => {
    const geo = at(20.942, -17.038, 'MR');
    expect(geo.country).toBe('MR');
    const route = geo.routes.find((r) => r.routeId === 'RT-ATLANTIC');
    // Dakar–Saint-Louis ~180 km, Saint-Louis–Nouakchott ~240 km, Nouakchott–Nouadhibou ~330 km.
    expect(route?.chainageKm).toBeGreaterThan(700);
    expect(route?.chainageKm).toBeLessThan(800);
  });

  it('Maiduguri is in Nigeria, ~100–140 km from Cameroon (borders with neighbours are measured too)', () => {
    const geo = at(11.846, 13.16, 'NG');
    expect(geo.country).toBe('NG');
    expect(at(11.846, 13.16, 'NG', 3).neighbourCountry).toBe('CM');
    expect(geo.borderDistanceKm).toBeGreaterThan(100);
    expect(geo.borderDistanceKm).toBeLessThan(140);
  });
});

describe('enrichLocation outside the land of the region', () => {
  it('flags a point in the Atlantic as at sea, without throwing', () => {
    const geo = at(14.0, -20.0, 'SN');
    expect(geo.country).toBeNull();
    expect(geo.flags).toContain('AT_SEA');
    expect(geo.flags).not.toContain('OUTSIDE_REGION');
    // ~280 km off Dakar: within Senegal's 200-nm zone, so consistent with a Senegalese report.
    expect(geo.reportedCountryMismatch).toBe(false);
  });

  it('flags a point at sea far from the reporting country as a mismatch', () => {
    // Off Tunisia, reported by Senegal.
    const geo = at(36.0, 11.5, 'SN');
    expect(geo.flags).toEqual(['AT_SEA', 'COUNTRY_MISMATCH']);
  });

  it('flags Paris as outside the region, with no border or zones', () => {
    const geo = at(48.857, 2.352, 'ML');
    expect(geo.country).toBeNull();
    expect(geo.flags).toContain('OUTSIDE_REGION');
    expect(geo.flags).toContain('COUNTRY_MISMATCH');
    expect(geo.borderDistanceKm).toBeNull();
    expect(geo.hotspotIds).toEqual([]);
    expect(geo.routes).toEqual([]);
    expect(geo.h3Cell).not.toBeNull();
  });

  it('names a neighbouring country outside the region (Douala, Cameroon)', () => {
    const geo = at(4.05, 9.7, 'CM');
    expect(geo.country).toBe('CM');
    expect(geo.flags).toEqual(['OUTSIDE_REGION']);
  });

  it('finds Cabo Verde (land, not sea) although it is not a region country', () => {
    expect(at(14.918, -23.509, 'CV').country).toBe('CV'); // Praia
  });

  it('rejects impossible coordinates with a non-retriable error', () => {
    expect(() => at(95, 0, 'ML')).toThrowError(expect.objectContaining({ code: 'GEO_INVALID_POINT', retriable: false }));
    expect(() => at(Number.NaN, 0, 'ML')).toThrowError(expect.objectContaining({ code: 'GEO_INVALID_POINT' }));
    expect(() => at(12, -8, 'ML', 4 as GeoPrecision)).toThrowError(expect.objectContaining({ code: 'GEO_INVALID_PRECISION' }));
  });
});

describe('enrichLocation with coarse precision', () => {
  // Saraya (Senegal) lies ~35 km from Mali: a Malian report placed there is consistent only
  // when its uncertainty reaches across the border.
  it('does not flag a mismatch when the uncertainty disk reaches the reported country', () => {
    const coarse = at(12.836, -11.755, 'ML', 3);
    expect(coarse.reportedCountryMismatch).toBe(false);
    expect(coarse.flags).toEqual(['COARSE_LOCATION']);
    expect(coarse.uncertaintyKm).toBe(100);
  });

  it('flags the mismatch when the uncertainty does not reach the reported country', () => {
    expect(at(12.836, -11.755, 'ML', 1).flags).toEqual(['COUNTRY_MISMATCH']);
    expect(at(12.836, -11.755, 'ML', 2).reportedCountryMismatch).toBe(true);
  });

  it('matches hotspots whose boundary is within the uncertainty, not beyond', () => {
    // Kita (Mali) is ~100 km east of the Falémé hotspot's eastern edge (~10.9–11.0° W).
    const kita = { lat: 13.035, lon: -9.489 };
    expect(at(kita.lat, kita.lon, 'ML', 1).hotspotIds).not.toContain('HS-FALEME');
    expect(at(kita.lat, kita.lon, 'ML', 2).hotspotIds).not.toContain('HS-FALEME');
    // 30 km west of Kita stays out at 25 km but is reached by a 100 km disk.
    expect(at(kita.lat, kita.lon - 1.3, 'ML', 3).hotspotIds).toContain('HS-FALEME');
  });

  it('gives a section to a point far from the border only when its uncertainty brings it near', () => {
    // Bamako is 100–130 km from Guinea: beyond the 50 km border strip, within it with 100 km uncertainty.
    expect(at(12.639, -8.003, 'ML', 1).borderSectionId).toBeNull();
    expect(at(12.639, -8.003, 'ML', 3).borderSectionId).toMatch(/^GN-ML-\d{3}$/);
  });

  it('uses a coarser H3 cell for coarser reports', () => {
    const fine = at(12.639, -8.003, 'ML', 1).h3Cell!;
    const coarse = at(12.639, -8.003, 'ML', 3).h3Cell!;
    expect(fine).not.toBe(coarse);
    // H3 cell strings encode the resolution in the second hex digit.
    expect(Number.parseInt(fine[1]!, 16)).toBe(7);
    expect(Number.parseInt(coarse[1]!, 16)).toBe(3);
  });
});

describe('routes', () => {
  it('chainage grows along a route in its direction of travel', () => {
    // Niamey → Dosso → Birnin Konni → Tahoua → Agadez.
    const towns = [
      [13.512, 2.112],
      [13.049, 3.194],
      [13.796, 5.25],
      [14.889, 5.265],
      [16.974, 7.991],
    ] as const;
    const chainages = towns.map(([lat, lon]) => at(lat, lon, 'NE').routes.find((r) => r.routeId === 'RT-NIAMEY-AGADEZ')!.chainageKm);
    expect(chainages[0]).toBe(0);
    for (let i = 1; i < chainages.length; i++) expect(chainages[i]).toBeGreaterThan(chainages[i - 1]!);
    // Niamey–Agadez by the N1/N25 is ~950 km; straight legs between towns give a bit less.
    expect(chainages[chainages.length - 1]).toBeGreaterThan(800);
    expect(chainages[chainages.length - 1]).toBeLessThan(1000);
  });

  it('matches a point beside the route within its buffer, and not beyond', () => {
    // Birnin Konni → Tahoua runs due north along 5.26° E; points 20 and 60 km east of its middle
    // (buffer 25 km).
    const lat = (13.796 + 14.889) / 2;
    const kmEast = (km: number) => 5.2575 + km / (111.195 * Math.cos((lat * Math.PI) / 180));
    const near = at(lat, kmEast(20), 'NE').routes.find((r) => r.routeId === 'RT-NIAMEY-AGADEZ');
    expect(near?.distanceKm).toBeGreaterThan(19);
    expect(near?.distanceKm).toBeLessThan(21);
    expect(at(lat, kmEast(60), 'NE').routes.map((r) => r.routeId)).not.toContain('RT-NIAMEY-AGADEZ');
  });
});

describe('correlationKeys', () => {
  it('lists section, hotspots, routes and country of an event at Kidira', () => {
    const keys = correlationKeys(at(14.459, -12.213, 'SN'));
    expect(keys[0]).toMatch(/^SECTION:ML-SN-\d{3}$/);
    expect(keys).toContain('HOTSPOT:HS-FALEME');
    expect(keys).toContain('ROUTE:RT-BAMAKO-DAKAR');
    expect(keys[keys.length - 1]).toMatch(/^COUNTRY:(ML|SN)$/);
  });

  it('records the reference version', () => {
    expect(at(12.639, -8.003, 'ML').referenceVersion).toBe(ref.version);
  });
});
