import { createCodecs, type EnrichedIncident, type IncidentReport } from '@vigie/contracts';
import { describe, expect, it } from 'vitest';
import { toWindowEvent, WINDOW_EVENT_SOURCE_FIELDS, type WindowEventSource } from './window-event';

const codecs = createCodecs();
const sources = codecs.enrichedIncident.select<WindowEventSource>(WINDOW_EVENT_SOURCE_FIELDS);

const report: IncidentReport = {
  eventId: 'ne-fds:77', sourceEventId: '77', feedId: 'ne-fds', sourceCountry: 'NE', reportingAgency: 'ne-fds', revision: 3, status: 'REVISED',
  occurredAt: 1_750_000_000_000, timePrecision: 'DAY', reportedAt: 1_750_000_600_000,
  location: { lat: 13.51, lon: 2.11, geoPrecision: 2, placeName: 'Niamey', admin1: 'Niamey', admin2: null },
  category: 'KIDNAPPING', subCategory: 'FOREIGN_NATIONAL', commodity: { kind: 'cash', quantity: 2.5, unit: 'MXOF' },
  fatalities: { min: 1, max: 4, known: false }, actors: [{ name: 'unknown armed group', kind: 'ARMED_GROUP' }],
  sourceReliability: 'C', infoCredibility: 3, tlp: 'AMBER', releasableTo: ['ml', 'bf'], notes: 'é'.repeat(300), lang: 'fr', relatedEventIds: ['ne-fds:70'],
};
const incident: EnrichedIncident = {
  report,
  geo: {
    country: 'NE', reportedCountryMismatch: false, borderDistanceKm: 12.5, borderSectionId: 'NE-BF-001', neighbourCountry: 'BF', hotspotIds: ['HS-LIPTAKO'],
    routes: [{ routeId: 'R-1', distanceKm: 3.5, chainageKm: 410.25 }, { routeId: 'R-2', distanceKm: 9, chainageKm: 12 }],
    h3Cell: '8a2a1072b59ffff', uncertaintyKm: 5, flags: ['NEAR_BORDER'], referenceVersion: 'ref-1',
  },
  correlationKeys: ['SECTION:NE-BF-001', 'HOTSPOT:HS-LIPTAKO', 'ROUTE:R-1', 'ROUTE:R-2'],
  enrichedAt: 1_750_000_601_000,
  ingestedAt: 1_750_000_600_500,
};

describe('WINDOW_EVENT_SOURCE_FIELDS', () => {
  it('decodes of an enriched incident what makes the same window event as the whole, in every kind of zone', () => {
    const message = codecs.enrichedIncident.encode(incident);
    const selected = sources.decode(message);
    for (const zone of [{ kind: 'SECTION', id: 'NE-BF-001' }, { kind: 'HOTSPOT', id: 'HS-LIPTAKO' }, { kind: 'ROUTE', id: 'R-1' }, { kind: 'ROUTE', id: 'R-2' }] as const) {
      expect(toWindowEvent(selected, zone)).toEqual(toWindowEvent(codecs.enrichedIncident.decode(message), zone));
    }
    expect(selected.geo).toEqual({ country: 'NE', neighbourCountry: 'BF', routes: incident.geo.routes });
    expect(Object.keys(selected.report).sort()).toEqual(Object.keys(WINDOW_EVENT_SOURCE_FIELDS.report).sort());
  });

  it('reads incidents at sea and with nothing optional the same way', () => {
    const atSea: EnrichedIncident = { ...incident, report: { ...report, commodity: null, notes: null, actors: [], fatalities: { min: 0, max: 0, known: true } }, geo: { ...incident.geo, country: null, neighbourCountry: null, routes: [], borderSectionId: null } };
    const message = codecs.enrichedIncident.encode(atSea);
    expect(toWindowEvent(sources.decode(message), { kind: 'COUNTRY', id: 'NE' })).toEqual(toWindowEvent(atSea, { kind: 'COUNTRY', id: 'NE' }));
  });

  it('reads a copy keyed by a zone the incident is not in as its withdrawal from that zone: a retraction there, at its revision', () => {
    const selected = sources.decode(codecs.enrichedIncident.encode(incident));
    expect(toWindowEvent(selected, { kind: 'SECTION', id: 'NE-BF-001' }).status).toBe('REVISED');
    const left = toWindowEvent(selected, { kind: 'SECTION', id: 'NE-ML-002' });
    expect(left).toEqual({ ...toWindowEvent(selected, { kind: 'SECTION', id: 'NE-BF-001' }), status: 'RETRACTED' });
    expect(toWindowEvent(selected, { kind: 'ROUTE', id: 'R-3' })).toMatchObject({ status: 'RETRACTED', revision: 3, chainageKm: null });
  });
});
