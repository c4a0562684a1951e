// Routes as map layers: GeoJSON positions in [longitude, latitude] order,
// legs only between places that have coordinates, border crossings
// standing out, and a legend of what is drawn.
import { describe, it, expect } from 'vitest';
import { bounds, CROSSING_COLOUR, legend, legStyle, placeStyle, routeLayers, STAGE_COLOURS, unplaced } from './routes';
import { caseRoute, demoRoute, routePlace } from '../../dev/fixtures';

describe('route layers', () => {
  it('draws each placed event as a point at [longitude, latitude], in route order', () => {
    const layers = routeLayers([demoRoute()]);
    const points = layers.places.features;
    expect(points.map((f) => f.properties.sequence)).toEqual([1, 2, 4, 5]);
    expect(points[0].geometry).toEqual({ type: 'Point', coordinates: [67.842222, 40.115833] });
    for (const f of points) {
      const [lon, lat] = f.geometry.coordinates;
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
    }
    expect(points[0].properties).toMatchObject({ case_id: 'c1', reference: 'KZ-2026-0142', stage: 'recruitment', country: 'UZ' });
  });

  it('joins consecutive placed events with legs that carry the crossing of the event they lead to', () => {
    const legs = routeLayers([demoRoute()]).legs.features;
    expect(legs.map((f) => [f.properties.from, f.properties.to])).toEqual([[1, 2], [2, 4], [4, 5]]);
    expect(legs[0].geometry.coordinates).toEqual([[67.842222, 40.115833], [69.113611, 41.366389]]);
    expect(legs.map((f) => f.properties.crosses_border)).toEqual([true, false, true]);
    expect(legs[2].properties).toMatchObject({ from_country: 'KZ', to_country: 'RU', border_point: 'Zhaisan – Orenburg', transport: 'rail' });
  });

  it('lists the places without coordinates instead of dropping them', () => {
    const missing = unplaced([demoRoute(), caseRoute({ case_id: 'c2', reference: 'KZ-2', places: [routePlace({ sequence: 1, country: null, date: null })] })]);
    expect(missing).toEqual([
      { case_id: 'c1', reference: 'KZ-2026-0142', sequence: 3, stage: 'transit', date: '2026-09-15', country: 'KZ' },
      { case_id: 'c2', reference: 'KZ-2', sequence: 1, stage: 'transit', date: null, country: null },
    ]);
  });

  it('draws nothing, and frames nothing, for a route without coordinates', () => {
    const layers = routeLayers([caseRoute({ places: [routePlace()] })]);
    expect(layers.places.features).toEqual([]);
    expect(layers.legs.features).toEqual([]);
    expect(bounds(layers)).toBeNull();
    expect(legend(layers)).toEqual([]);
  });

  it('refuses a position out of range rather than drawing it elsewhere', () => {
    const layers = routeLayers([caseRoute({ places: [routePlace({ latitude: 95, longitude: 10 }), routePlace({ sequence: 2, latitude: 10, longitude: 10 })] })]);
    expect(layers.places.features.map((f) => f.properties.sequence)).toEqual([2]);
    expect(layers.legs.features).toEqual([]);
  });

  it('frames every place: south-west and north-east corners as [lat, lon]', () => {
    expect(bounds(routeLayers([demoRoute()]))).toEqual([
      [40.115833, 55.096955],
      [51.768199, 76.623889],
    ]);
  });
});

describe('the legend and styles', () => {
  it('names the stages drawn, in stage order, then the legs and the crossings', () => {
    const entries = legend(routeLayers([demoRoute()]));
    expect(entries).toEqual([
      { kind: 'stage', stage: 'recruitment', colour: STAGE_COLOURS.recruitment },
      { kind: 'stage', stage: 'transit', colour: STAGE_COLOURS.transit },
      { kind: 'stage', stage: 'exploitation', colour: STAGE_COLOURS.exploitation },
      { kind: 'leg', colour: '#334155' },
      { kind: 'crossing', colour: CROSSING_COLOUR },
    ]);
    const onlyRecruitment = legend(routeLayers([caseRoute({ places: [routePlace({ stage: 'recruitment', latitude: 1, longitude: 2 })] })]));
    expect(onlyRecruitment).toEqual([{ kind: 'stage', stage: 'recruitment', colour: STAGE_COLOURS.recruitment }]);
  });

  it('draws a border crossing thicker and dashed, a place by its stage', () => {
    const [crossing, plain] = routeLayers([demoRoute()]).legs.features.map((f) => legStyle(f.properties));
    expect(crossing).toMatchObject({ color: CROSSING_COLOUR, dashArray: '10 6' });
    expect(crossing.weight).toBeGreaterThan(plain.weight);
    expect(plain.dashArray).toBeUndefined();
    const [first] = routeLayers([demoRoute()]).places.features;
    expect(placeStyle(first.properties).fillColor).toBe(STAGE_COLOURS.recruitment);
  });
});
