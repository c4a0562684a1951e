// The map itself, loaded only when a map is shown (a dynamic import of this
// module: Leaflet and the borders stay out of the app's first load).
// Countries are drawn from Natural Earth's 1:50m borders bundled with the
// app (world-atlas, public domain) on a plain background: no tile layer,
// no image, nothing fetched. Places are circle markers, so Leaflet's
// default marker images are never requested.
import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { feature } from 'topojson-client';
import type { FeatureCollection, Geometry } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { bounds, legStyle, placeStyle, type LegProps, type PlaceProps, type RouteLayers } from './routes';

let world: Promise<FeatureCollection<Geometry>> | null = null;

/** The countries of Natural Earth 1:50m as GeoJSON (read once). */
export function countries(): Promise<FeatureCollection<Geometry>> {
  world ??= import('world-atlas/countries-50m.json').then((m) => {
    const topo = (m.default ?? m) as unknown as Topology<{ countries: GeometryCollection }>;
    return feature(topo, topo.objects.countries) as FeatureCollection<Geometry>;
  });
  return world;
}

export type MapOptions = {
  /** The popup of a place: built by the caller, as DOM (never HTML text). */
  popup: (p: PlaceProps) => HTMLElement;
  /** The label read out for a place (its marker's title). */
  label: (p: PlaceProps) => string;
  /** The leg's tooltip. */
  legLabel: (p: LegProps) => string;
  attribution: string;
};

export type RouteMap = {
  show: (layers: RouteLayers) => void;
  destroy: () => void;
};

// Central Asia, for a map with no place yet.
/** A tooltip's content as an element holding text: Leaflet inserts a
 *  string as HTML, and a label holds text another member typed (a
 *  crossing point). */
function asText(label: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = label;
  return span;
}

const REGION: L.LatLngBoundsExpression = [
  [35, 46],
  [56, 88],
];

export async function createMap(el: HTMLElement, opts: MapOptions): Promise<RouteMap> {
  const map = L.map(el, {
    attributionControl: false,
    zoomSnap: 0.5,
    minZoom: 1,
    maxZoom: 12,
    maxBounds: [
      [-85, -200],
      [85, 200],
    ],
    worldCopyJump: false,
  });
  L.control.attribution({ prefix: false }).addAttribution(opts.attribution).addTo(map);
  map.fitBounds(REGION);
  const borders = L.geoJSON(await countries(), {
    interactive: false,
    style: { color: '#8a8f98', weight: 0.8, fillColor: '#f7f5ef', fillOpacity: 1 },
  }).addTo(map);
  borders.bringToBack();
  let drawn: L.LayerGroup = L.layerGroup().addTo(map);

  function show(layers: RouteLayers) {
    drawn.remove();
    drawn = L.layerGroup().addTo(map);
    L.geoJSON(layers.legs, {
      // Classes name what each path is, for the end-to-end test and styles.
      style: (f) => {
        const p = f!.properties as LegProps;
        return { ...legStyle(p), className: p.crosses_border ? 'map-leg map-crossing' : 'map-leg' };
      },
      onEachFeature: (f, layer) => layer.bindTooltip(asText(opts.legLabel(f.properties as LegProps)), { sticky: true }),
    }).addTo(drawn);
    L.geoJSON(layers.places, {
      pointToLayer: (f, at) => {
        const p = f.properties as PlaceProps;
        return L.circleMarker(at, { ...placeStyle(p), bubblingMouseEvents: false, className: `map-place map-place-${p.stage}` });
      },
      onEachFeature: (f, layer) => {
        const p = f.properties as PlaceProps;
        layer.bindPopup(() => opts.popup(p));
        layer.bindTooltip(asText(opts.label(p)));
      },
    }).addTo(drawn);
    const b = bounds(layers);
    if (b) map.fitBounds(b, { padding: [30, 30], maxZoom: 7 });
    else map.fitBounds(REGION);
  }

  // The container is sized by the page: read its size again when it changes
  // (a phone turned, a tab shown).
  const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => map.invalidateSize());
  resize?.observe(el);

  return {
    show,
    destroy: () => {
      resize?.disconnect();
      map.remove();
    },
  };
}
