// The real map, drawn in jsdom (no layout, but Leaflet builds its layers):
// countries from the bundled borders, the route on top, and nothing that
// would make a request — no tile, no image. (Reading the 1:50m borders
// takes a few seconds on a loaded machine.)
import { describe, it, expect } from 'vitest';
import { countries, createMap } from './leafletMap';
import { routeLayers } from './routes';
import { demoRoute } from '../../dev/fixtures';

describe('the Leaflet map', () => {
  it('reads Natural Earth countries from the bundle', async () => {
    const world = await countries();
    expect(world.type).toBe('FeatureCollection');
    expect(world.features.length).toBeGreaterThan(200);
    const names = world.features.map((f) => (f.properties as { name?: string } | null)?.name);
    for (const name of ['Kazakhstan', 'Kyrgyzstan', 'Tajikistan', 'Turkmenistan', 'Uzbekistan', 'Russia']) {
      expect(names).toContain(name);
    }
  }, 60_000);

  it('draws borders and a route without a tile, an image or a remote address', async () => {
    const el = document.createElement('div');
    Object.defineProperty(el, 'clientWidth', { value: 800 });
    Object.defineProperty(el, 'clientHeight', { value: 500 });
    document.body.append(el);
    const map = await createMap(el, {
      popup: (p) => {
        const box = document.createElement('div');
        box.textContent = `popup of place ${p.sequence}`;
        return box;
      },
      label: (p) => `place ${p.sequence}`,
      legLabel: (p) => `leg ${p.from}-${p.to}`,
      attribution: 'Natural Earth',
    });
    map.show(routeLayers([demoRoute()]));
    const paths = el.querySelectorAll('path');
    // Countries, four places and three legs.
    expect(paths.length).toBeGreaterThan(200);
    expect(el.querySelectorAll('path.map-place')).toHaveLength(4);
    expect(el.querySelectorAll('path.map-leg')).toHaveLength(3);
    expect(el.querySelectorAll('path.map-crossing')).toHaveLength(2);
    expect(el.querySelectorAll('img')).toHaveLength(0);
    expect(el.querySelector('.leaflet-tile-pane')?.children.length ?? 0).toBe(0);
    expect(el.innerHTML).not.toMatch(/https?:\/\//);
    expect(el.textContent).toContain('Natural Earth');
    // A place's popup opens on a click, with what the caller built.
    el.querySelector('path.map-place-recruitment')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(el.querySelector('.leaflet-popup-content')?.textContent).toBe('popup of place 1');
    map.destroy();
    el.remove();
  }, 60_000);
});
