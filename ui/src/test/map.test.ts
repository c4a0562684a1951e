// The map views: Leaflet is replaced by a recorder (jsdom draws no map),
// so these check what the views hand it, the legend, the places without
// coordinates, the export, the link from a place to its case's timeline,
// and who is offered the Map screen.
import { describe, it, expect, vi, beforeEach } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import type { RouteLayers } from '$lib/map/routes';
import type { MapOptions } from '$lib/map/leafletMap';
import MapPanel from '../screens/map/MapPanel.svelte';
import Shell from '../screens/Shell.svelte';
import { placePopup, legLabel } from '$lib/map/popup';
import { nav } from '$lib/session.svelte';
import { asRole, caseRoute, demoRoute, routePlace, caseDto } from './fixtures';
import { mockBackend, refuse, renderWithUser } from './backend';

const drawn = vi.hoisted(() => ({ layers: [] as RouteLayers[], options: null as MapOptions | null, destroyed: 0 }));

vi.mock('$lib/map/leafletMap', () => ({
  createMap: async (_el: HTMLElement, options: MapOptions) => {
    drawn.options = options;
    return {
      show: (layers: RouteLayers) => drawn.layers.push(layers),
      destroy: () => (drawn.destroyed += 1),
    };
  },
}));

const second = caseRoute({
  case_id: 'c3',
  reference: 'UZ-2026-0031',
  title: 'Cotton harvest',
  places: [
    routePlace({ event_id: 'u1', sequence: 1, stage: 'recruitment', country: 'UZ', latitude: 40.1, longitude: 67.8 }),
    routePlace({ event_id: 'u2', sequence: 2, stage: 'exploitation', country: 'RU', latitude: 55.75, longitude: 37.61, crosses_border: true }),
  ],
});

beforeEach(() => {
  drawn.layers = [];
  drawn.options = null;
  drawn.destroyed = 0;
});

const last = () => drawn.layers[drawn.layers.length - 1];

describe('the Map screen', () => {
  it('draws every case it is given, with a legend and the places it cannot draw listed', async () => {
    asRole('supervisor');
    const backend = mockBackend({ routes: { cases: [demoRoute(), second] } });
    renderWithUser(MapPanel, {});
    await waitFor(() => expect(drawn.layers.length).toBeGreaterThan(0));
    expect(backend.argsOf('routes')).toEqual({ options: { case: null } });
    expect(screen.getByTestId('map-view')).toBeInTheDocument();
    expect(last().places.features).toHaveLength(6);
    expect(last().legs.features).toHaveLength(4);
    const legend = screen.getByTestId('map-legend');
    expect(legend).toHaveTextContent('recruitment');
    expect(legend).toHaveTextContent('border crossing');
    const rows = within(screen.getByTestId('map-unplaced')).getAllByTestId('map-unplaced-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('KZ-2026-0142, place 3');
    expect(rows[0]).toHaveTextContent('KZ');
  });

  it('filters by case, and exports what is shown to the path given', async () => {
    asRole('supervisor');
    const backend = mockBackend({
      routes: { cases: [demoRoute(), second] },
      export_geojson: { cases: 1, places: 2, legs: 1, unplaced: 0 },
    });
    const { user } = renderWithUser(MapPanel, {});
    await waitFor(() => expect(drawn.layers.length).toBeGreaterThan(0));
    await user.selectOptions(screen.getByTestId('map-case-filter'), 'c3');
    await waitFor(() => expect(last().places.features).toHaveLength(2));
    expect(screen.queryByTestId('map-unplaced')).not.toBeInTheDocument();
    await user.type(screen.getByTestId('map-export-path'), '/tmp/out/routes.geojson');
    await user.click(screen.getByTestId('map-export-geojson'));
    await waitFor(() => expect(screen.getByTestId('map-notice')).toHaveTextContent('/tmp/out/routes.geojson'));
    expect(backend.argsOf('export_geojson')).toEqual({ options: { case: 'c3' }, path: '/tmp/out/routes.geojson' });
    expect(backend.commands()).not.toContain('pick_file');
  });

  it('asks the save dialog for a path when none is typed, and does nothing when it is cancelled', async () => {
    asRole('supervisor');
    const backend = mockBackend({ routes: { cases: [demoRoute()] }, pick_file: null });
    const { user } = renderWithUser(MapPanel, { caseId: 'c1' });
    await waitFor(() => expect(drawn.layers.length).toBeGreaterThan(0));
    expect(screen.queryByTestId('map-case-filter')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('map-export-geojson'));
    await waitFor(() => expect(backend.commands()).toContain('pick_file'));
    expect(backend.argsOf('pick_file')).toEqual({ mode: 'save', kind: 'geojson', default_name: 'KZ-2026-0142.geojson' });
    expect(backend.commands()).not.toContain('export_geojson');
    expect(backend.argsOf('routes')).toEqual({ options: { case: 'c1' } });
  });

  it('shows a refusal by its code', async () => {
    asRole('investigator');
    mockBackend({ routes: refuse('core.no_case_access') });
    renderWithUser(MapPanel, { caseId: 'c9' });
    await waitFor(() => expect(document.body.textContent).toMatch(/may not|access/i));
    expect(screen.queryByTestId('map-view')).not.toBeInTheDocument();
  });

  it('says so when no route has been recorded', async () => {
    asRole('supervisor');
    mockBackend({ routes: { cases: [] } });
    renderWithUser(MapPanel, {});
    await waitFor(() => expect(screen.getByTestId('map-empty')).toBeInTheDocument());
  });
});

describe('a place on the map', () => {
  it('pops up its stage, date, country and crossing, and opens its case at the timeline', () => {
    asRole('supervisor');
    const p = { ...routePlace({ stage: 'transit', crosses_border: true, border_point: '<b>Zhibek Zholy</b>', transport: 'road' }), case_id: 'c1', reference: 'KZ-2026-0142' };
    const box = placePopup(p, (caseId) => {
      nav.screen = 'case';
      nav.caseId = caseId;
      nav.tab = 'timeline';
    });
    expect(box.textContent).toContain('KZ-2026-0142, place 1');
    expect(box.textContent).toContain('transit');
    expect(box.textContent).toContain('KZ');
    // Free text is text, never markup.
    expect(box.textContent).toContain('<b>Zhibek Zholy</b>');
    expect(box.querySelector('b')).toBeNull();
    (box.querySelector('[data-testid="map-open-timeline"]') as HTMLButtonElement).click();
    expect({ screen: nav.screen, caseId: nav.caseId, tab: nav.tab }).toEqual({ screen: 'case', caseId: 'c1', tab: 'timeline' });
  });

  it('labels a leg with its stage, countries and crossing', () => {
    asRole('supervisor');
    const label = legLabel({
      case_id: 'c1', reference: 'KZ-1', from: 1, to: 2, stage: 'transit', date: null, from_country: 'UZ', to_country: 'KZ',
      crosses_border: true, border_point: 'Zhibek Zholy', transport: 'road',
    });
    expect(label).toBe('transit · date unknown · UZ → KZ · border crossed at Zhibek Zholy · road');
  });

  it('the map given to Leaflet opens a case at its timeline from a popup', async () => {
    asRole('supervisor');
    mockBackend({ routes: { cases: [demoRoute()] } });
    renderWithUser(MapPanel, {});
    await waitFor(() => expect(drawn.options).not.toBeNull());
    const place = last().places.features[0].properties;
    const box = drawn.options!.popup(place);
    (box.querySelector('[data-testid="map-open-timeline"]') as HTMLButtonElement).click();
    expect({ screen: nav.screen, caseId: nav.caseId, tab: nav.tab }).toEqual({ screen: 'case', caseId: 'c1', tab: 'timeline' });
  });
});

describe('who is offered the Map screen', () => {
  it('is in the navigation of a supervisor, not of an investigator', async () => {
    asRole('supervisor');
    mockBackend({ list_cases: { cases: [], unreadable: [] } });
    const { unmount } = renderWithUser(Shell, { onlocked: () => {} });
    expect(screen.getByTestId('nav-map')).toBeInTheDocument();
    unmount();
    asRole('investigator');
    renderWithUser(Shell, { onlocked: () => {} });
    expect(screen.queryByTestId('nav-map')).not.toBeInTheDocument();
  });

  it('a case has a Map tab for every role', async () => {
    asRole('investigator');
    mockBackend({ show_case: caseDto(), articles: [], routes: { cases: [demoRoute()] } });
    const CaseView = (await import('../screens/case/CaseView.svelte')).default;
    const { user } = renderWithUser(CaseView, { caseId: 'c1' });
    await user.click(await screen.findByTestId('tab-map'));
    await waitFor(() => expect(screen.getByTestId('map-view')).toBeInTheDocument());
  });
});
