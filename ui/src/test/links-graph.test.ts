// The link chart's data as pure functions: which nodes each filter keeps,
// the graph sigma draws, the search, and the preview's generator at the
// size the chart must stay fluid at.
import { describe, it, expect } from 'vitest';
import type { LinkGraph } from '$lib/bindings/LinkGraph';
import type { LinkNode } from '$lib/bindings/LinkNode';
import { visibleNodes, buildGraph, search, NO_FILTER, seedPosition } from '../screens/links/graph';
import { mockLinkGraph } from '../dev/linkFixtures';

// Two cases share a victim and a phone the suspect of the first holds;
// each has an account of its own.
const g: LinkGraph = {
  cases: [
    { id: 'a', reference: 'KZ-1', title: 'Cafe' },
    { id: 'b', reference: 'KG-2', title: 'Market' },
  ],
  nodes: [
    { id: 'c:a', kind: 'case', label: 'KZ-1', cases: ['a'], occurrences: [], roles: [] },
    { id: 'c:b', kind: 'case', label: 'KG-2', cases: ['b'], occurrences: [], roles: [] },
    { id: 'p1', kind: 'person', label: 'V-1 / Aigerim', cases: ['a', 'b'], occurrences: [], roles: ['victim'] },
    { id: 'p2', kind: 'person', label: 'S-1', cases: ['a'], occurrences: [], roles: ['suspect'] },
    { id: 'e1', kind: 'phone', label: 'S-1', cases: ['a', 'b'], occurrences: [], roles: [] },
    { id: 'e2', kind: 'account', label: '', cases: ['a'], occurrences: [], roles: [] },
    { id: 'e3', kind: 'account', label: '', cases: ['b'], occurrences: [], roles: [] },
  ],
  edges: [
    { source: 'p1', target: 'c:a', kind: 'person_case', role: 'victim', case_id: 'a' },
    { source: 'p1', target: 'c:b', kind: 'person_case', role: 'victim', case_id: 'b' },
    { source: 'p2', target: 'c:a', kind: 'person_case', role: 'suspect', case_id: 'a' },
    { source: 'e1', target: 'p2', kind: 'entity_person', role: null, case_id: 'a' },
    { source: 'e1', target: 'c:b', kind: 'entity_case', role: null, case_id: 'b' },
    { source: 'e2', target: 'c:a', kind: 'entity_case', role: null, case_id: 'a' },
    { source: 'e3', target: 'c:b', kind: 'entity_case', role: null, case_id: 'b' },
  ],
  shared: 2,
};
const label = (n: LinkNode) => `${n.kind} ${n.label}`;
const sorted = (s: Set<string>) => [...s].sort();

describe('link chart data', () => {
  it('keeps every node without a filter, and a case\'s nodes with a case filter', () => {
    expect(visibleNodes(g, NO_FILTER).size).toBe(g.nodes.length);
    expect(sorted(visibleNodes(g, { ...NO_FILTER, caseId: 'b' }))).toEqual(['c:b', 'e1', 'e3', 'p1']);
  });

  it('keeps one kind with the cases it links to', () => {
    expect(sorted(visibleNodes(g, { ...NO_FILTER, kind: 'account' }))).toEqual(['c:a', 'c:b', 'e2', 'e3']);
    expect(sorted(visibleNodes(g, { ...NO_FILTER, kind: 'account', caseId: 'a' }))).toEqual(['c:a', 'e2']);
  });

  it('keeps what several cases share, with the people who hold it', () => {
    expect(sorted(visibleNodes(g, { ...NO_FILTER, sharedOnly: true }))).toEqual(['c:a', 'c:b', 'e1', 'p1', 'p2']);
  });

  it('builds the graph sigma draws: positions, sizes by cases, colours by kind, each edge once', () => {
    const graph = buildGraph(g, NO_FILTER, label);
    expect(graph.order).toBe(7);
    expect(graph.size).toBe(7);
    expect(graph.getNodeAttribute('p1', 'size')).toBeGreaterThan(graph.getNodeAttribute('p2', 'size'));
    expect(graph.getNodeAttribute('e1', 'label')).toBe('phone S-1');
    const xs = graph.mapNodes((_, a) => `${a.x},${a.y}`);
    expect(new Set(xs).size).toBe(7);
    const filtered = buildGraph(g, { ...NO_FILTER, kind: 'phone' }, label);
    // The holder is filtered out: the phone keeps its edge to the case only.
    expect(filtered.nodes().sort()).toEqual(['c:a', 'c:b', 'e1']);
    expect(filtered.size).toBe(1);
  });

  it('finds nodes by their label and cases by reference or title', () => {
    expect(sorted(search(g, 'aigerim', label))).toEqual(['p1']);
    expect(sorted(search(g, 'market', label))).toEqual(['c:b']);
    expect(sorted(search(g, 'S-1', label))).toEqual(['e1', 'p2']);
    expect(search(g, '   ', label).size).toBe(0);
  });

  it('seeds distinct starting positions', () => {
    const seen = new Set(Array.from({ length: 1000 }, (_, i) => JSON.stringify(seedPosition(i))));
    expect(seen.size).toBe(1000);
  });

  it('generates 10,000 entities that build into one graph, some shared', () => {
    const big = mockLinkGraph(10_000, 200);
    expect(big.nodes.length).toBe(10_200);
    expect(big.shared).toBeGreaterThan(500);
    const ids = new Set(big.nodes.map((n) => n.id));
    expect(ids.size).toBe(big.nodes.length);
    expect(big.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
    const graph = buildGraph(big, NO_FILTER, label);
    expect(graph.order).toBe(10_200);
    expect(buildGraph(big, { ...NO_FILTER, sharedOnly: true }, label).order).toBeLessThan(graph.order);
  });
});
