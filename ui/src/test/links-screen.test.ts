// The link chart's screen with sigma and the layout worker mocked (jsdom
// has no WebGL and no workers): filters redraw, a click opens the node's
// panel, a reveal goes through the audited command, the i2 export sends
// the filters and the folder.
import { describe, it, expect, vi, beforeEach } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import type { LinkGraph } from '$lib/bindings/LinkGraph';
import { asRole } from './fixtures';
import { mockBackend, renderWithUser } from './backend';

const sigma = vi.hoisted(() => ({
  instances: [] as Array<{ graph: { order: number; nodes: () => string[] }; handlers: Record<string, (e: { node: string }) => void> }>,
}));

vi.mock('sigma', () => ({
  default: class {
    handlers: Record<string, (e: { node: string }) => void> = {};
    constructor(public graph: { order: number; nodes: () => string[] }) {
      sigma.instances.push(this);
    }
    on(event: string, f: (e: { node: string }) => void) {
      this.handlers[event] = f;
      if (event === 'afterRender') queueMicrotask(() => f({ node: '' }));
      return this;
    }
    refresh() {}
    kill() {}
  },
}));

vi.mock('../screens/links/layout', () => ({
  layoutInWorker: (_g: unknown, opts: { onDone?: (d: { iterations: number; settled: boolean; ms: number }) => void }) => {
    queueMicrotask(() => opts.onDone?.({ iterations: 120, settled: true, ms: 5 }));
    return () => {};
  },
}));

import LinksScreen from '../screens/links/LinksScreen.svelte';

const graph: LinkGraph = {
  cases: [
    { id: 'a', reference: 'KZ-1', title: 'Cafe' },
    { id: 'b', reference: 'KG-2', title: 'Market' },
  ],
  nodes: [
    { id: 'c:a', kind: 'case', label: 'KZ-1', cases: ['a'], occurrences: [], roles: [] },
    { id: 'c:b', kind: 'case', label: 'KG-2', cases: ['b'], occurrences: [], roles: [] },
    {
      id: 'p1', kind: 'person', label: 'V-1 / Aigerim', cases: ['a', 'b'], roles: ['victim'],
      occurrences: [{ case_id: 'a', path: 'victims/v1', person_id: 'v1' }, { case_id: 'b', path: 'victims/v9', person_id: 'v9' }],
    },
    { id: 'e1', kind: 'phone', label: '', cases: ['b'], occurrences: [{ case_id: 'b', path: 'identifiers/x/value', person_id: null }], roles: [] },
  ],
  edges: [
    { source: 'p1', target: 'c:a', kind: 'person_case', role: 'victim', case_id: 'a' },
    { source: 'p1', target: 'c:b', kind: 'person_case', role: 'victim', case_id: 'b' },
    { source: 'e1', target: 'c:b', kind: 'entity_case', role: null, case_id: 'b' },
  ],
  shared: 1,
};

beforeEach(() => {
  sigma.instances.length = 0;
  delete window.__caravanLinkTimings;
});

describe('links screen', () => {
  it('draws the graph, records its timings, and redraws on a filter', async () => {
    asRole('supervisor');
    mockBackend({ link_graph: graph });
    const { user } = renderWithUser(LinksScreen, {});
    expect(await screen.findByTestId('links-summary')).toHaveTextContent('4 nodes, 3 links; 1 found in more than one case');
    await waitFor(() => expect(window.__caravanLinkTimings?.done).toBe(true));
    const timings = window.__caravanLinkTimings!;
    expect(timings.nodes).toBe(4);
    expect(timings.layoutIterations).toBe(120);
    expect(timings.graphBuildMs).toBeGreaterThanOrEqual(0);
    expect(timings.firstRenderMs).toBeGreaterThanOrEqual(0);
    expect(screen.getByTestId('links-chart')).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId('links-filter-type'), 'phone');
    await waitFor(() => expect(sigma.instances.at(-1)!.graph.nodes().sort()).toEqual(['c:b', 'e1']));
    await user.selectOptions(screen.getByTestId('links-filter-type'), '');
    await user.selectOptions(screen.getByTestId('links-filter-case'), 'a');
    await waitFor(() => expect(sigma.instances.at(-1)!.graph.nodes().sort()).toEqual(['c:a', 'p1']));
  });

  it('opens a node\'s panel on a click, reveals one occurrence through the audited command', async () => {
    asRole('supervisor');
    const backend = mockBackend({ link_graph: graph, reveal_link_entity: { value: 'Жанар Абдуллаева (1999-04-02)' } });
    const { user } = renderWithUser(LinksScreen, {});
    await screen.findByTestId('links-summary');
    await waitFor(() => expect(sigma.instances.length).toBeGreaterThan(0));
    sigma.instances.at(-1)!.handlers.clickNode({ node: 'p1' });
    const panel = await screen.findByTestId('links-node-panel');
    expect(panel).toHaveTextContent('V-1 / Aigerim');
    expect(panel).toHaveTextContent('KZ-1');
    expect(panel).not.toHaveTextContent('Абдуллаева');
    await user.click(screen.getAllByRole('button', { name: 'Reveal' })[0]);
    expect(await screen.findByTestId('links-revealed')).toHaveTextContent('Жанар Абдуллаева (1999-04-02)');
    expect(backend.argsOf('reveal_link_entity')).toEqual({ case_id: 'a', path: 'victims/v1' });
    expect(screen.getAllByTestId('links-open-case')).toHaveLength(2);
  });

  it('exports for i2 with the filters, into the folder typed, revealing only when asked', async () => {
    asRole('supervisor');
    const backend = mockBackend({
      link_graph: graph,
      export_i2: (a) => ({ entities_file: 'x', links_file: 'y', entities: 4, links: 3, revealed: a.request.reveal }),
    });
    const { user } = renderWithUser(LinksScreen, {});
    await screen.findByTestId('links-summary');
    await user.click(screen.getByTestId('links-shared-only'));
    await user.type(screen.getByTestId('links-export-dir'), '/home/analyst/i2');
    await user.click(screen.getByTestId('links-export-i2'));
    expect(await screen.findByTestId('links-exported')).toHaveTextContent('Written to /home/analyst/i2: 4 entities and 3 links.');
    expect(backend.argsOf('export_i2')).toEqual({
      request: { dir: '/home/analyst/i2', reveal: false, options: { cases: [], kinds: [], shared_only: true } },
    });
  });
});
