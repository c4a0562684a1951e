// Routes of cases as map layers: pure functions from the core's routes to
// GeoJSON (positions [longitude, latitude]), styles and the legend. The
// map (leafletMap.ts) draws what these return; the tests check them
// without a browser.
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { CaseRoute } from '$lib/bindings/CaseRoute';
import type { EventKind } from '$lib/bindings/EventKind';
import type { TransportMode } from '$lib/bindings/TransportMode';

export const STAGES: readonly EventKind[] = ['recruitment', 'transit', 'exploitation'];

/** A marker's colour by stage (distinct for colour-blind readers too:
 *  blue, orange, dark red). */
export const STAGE_COLOURS: Record<EventKind, string> = {
  recruitment: '#1f5fa8',
  transit: '#d97706',
  exploitation: '#9b1c1c',
};

/** A leg that crosses a border: thicker, dashed, in this colour. */
export const CROSSING_COLOUR = '#7e22ce';
export const LEG_COLOUR = '#334155';

export type PlaceProps = {
  case_id: string;
  reference: string;
  sequence: number;
  stage: EventKind;
  date: string | null;
  country: string | null;
  crosses_border: boolean | null;
  border_point: string | null;
  transport: TransportMode | null;
};

export type LegProps = {
  case_id: string;
  reference: string;
  from: number;
  to: number;
  stage: EventKind;
  date: string | null;
  from_country: string | null;
  to_country: string | null;
  crosses_border: boolean;
  border_point: string | null;
  transport: TransportMode | null;
};

export type RouteLayers = {
  places: FeatureCollection<Point, PlaceProps>;
  legs: FeatureCollection<LineString, LegProps>;
};

/** A place of a route that has no coordinates: listed beside the map. */
export type Unplaced = {
  case_id: string;
  reference: string;
  sequence: number;
  stage: EventKind;
  date: string | null;
  country: string | null;
};

function position(lat: number | null, lon: number | null): [number, number] | null {
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return [lon, lat];
}

/** The places (points) and legs (lines) of `routes`, in route order. */
export function routeLayers(routes: readonly CaseRoute[]): RouteLayers {
  const places: Feature<Point, PlaceProps>[] = [];
  const legs: Feature<LineString, LegProps>[] = [];
  for (const r of routes) {
    const at = new Map<number, [number, number]>();
    for (const p of r.places) {
      const pos = position(p.latitude, p.longitude);
      if (!pos) continue;
      at.set(p.sequence, pos);
      places.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: pos },
        properties: {
          case_id: r.case_id,
          reference: r.reference,
          sequence: p.sequence,
          stage: p.stage,
          date: p.date,
          country: p.country,
          crosses_border: p.crosses_border,
          border_point: p.border_point,
          transport: p.transport,
        },
      });
    }
    for (const l of r.legs) {
      const from = at.get(l.from);
      const to = at.get(l.to);
      if (!from || !to) continue;
      legs.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [from, to] },
        properties: {
          case_id: r.case_id,
          reference: r.reference,
          from: l.from,
          to: l.to,
          stage: l.stage,
          date: l.date,
          from_country: l.from_country,
          to_country: l.to_country,
          crosses_border: l.crosses_border === true,
          border_point: l.border_point,
          transport: l.transport,
        },
      });
    }
  }
  return {
    places: { type: 'FeatureCollection', features: places },
    legs: { type: 'FeatureCollection', features: legs },
  };
}

/** The places of `routes` that cannot be drawn: no coordinates. */
export function unplaced(routes: readonly CaseRoute[]): Unplaced[] {
  return routes.flatMap((r) =>
    r.places
      .filter((p) => position(p.latitude, p.longitude) === null)
      .map((p) => ({
        case_id: r.case_id,
        reference: r.reference,
        sequence: p.sequence,
        stage: p.stage,
        date: p.date,
        country: p.country,
      })),
  );
}

export type LegendEntry =
  | { kind: 'stage'; stage: EventKind; colour: string }
  | { kind: 'leg'; colour: string }
  | { kind: 'crossing'; colour: string };

/** What the map shows, for its legend: the stages of its places (in
 *  stage order), the legs, and the border crossings if any. */
export function legend(layers: RouteLayers): LegendEntry[] {
  const stages = new Set(layers.places.features.map((f) => f.properties.stage));
  const out: LegendEntry[] = STAGES.filter((s) => stages.has(s)).map((stage) => ({
    kind: 'stage',
    stage,
    colour: STAGE_COLOURS[stage],
  }));
  if (layers.legs.features.some((f) => !f.properties.crosses_border)) out.push({ kind: 'leg', colour: LEG_COLOUR });
  if (layers.legs.features.some((f) => f.properties.crosses_border)) out.push({ kind: 'crossing', colour: CROSSING_COLOUR });
  return out;
}

/** How a leg is drawn: a border crossing stands out. */
export function legStyle(p: LegProps): { color: string; weight: number; dashArray?: string; opacity: number } {
  return p.crosses_border
    ? { color: CROSSING_COLOUR, weight: 5, dashArray: '10 6', opacity: 0.95 }
    : { color: LEG_COLOUR, weight: 3, opacity: 0.85 };
}

/** How a place is drawn: a circle in its stage's colour (no image). */
export function placeStyle(p: PlaceProps): {
  radius: number;
  color: string;
  fillColor: string;
  fillOpacity: number;
  weight: number;
} {
  return {
    radius: p.crosses_border ? 9 : 8,
    color: p.crosses_border ? CROSSING_COLOUR : '#ffffff',
    fillColor: STAGE_COLOURS[p.stage],
    fillOpacity: 0.95,
    weight: p.crosses_border ? 3 : 2,
  };
}

/** South-west and north-east corners ([lat, lon]) around every place, or
 *  null when there is none. */
export function bounds(layers: RouteLayers): [[number, number], [number, number]] | null {
  const pts = layers.places.features.map((f) => f.geometry.coordinates);
  if (pts.length === 0) return null;
  const lats = pts.map((p) => p[1]);
  const lons = pts.map((p) => p[0]);
  return [
    [Math.min(...lats), Math.min(...lons)],
    [Math.max(...lats), Math.max(...lons)],
  ];
}
