// The link chart's data, as pure functions (tested without WebGL): which
// nodes a filter keeps, the graphology graph sigma draws, the search.
// Values are never here: the core sends masked labels only.
import Graph from 'graphology';
import type { LinkGraph } from '$lib/bindings/LinkGraph';
import type { LinkNode } from '$lib/bindings/LinkNode';
import type { EntityKind } from '$lib/bindings/EntityKind';

export type Filters = {
  /** A case id, or '' for every case. */
  caseId: string;
  /** A kind, or '' for every kind. */
  kind: EntityKind | '';
  sharedOnly: boolean;
};

export const NO_FILTER: Filters = { caseId: '', kind: '', sharedOnly: false };

/** Every kind a node may be, in the order the filter lists them. */
export const KINDS: EntityKind[] = [
  'person', 'phone', 'imei', 'email', 'online', 'document', 'account', 'vehicle', 'address', 'organisation',
];

/** Colours by kind (cases dark blue; people by their own colour). */
export const COLOURS: Record<EntityKind, string> = {
  case: '#14365e',
  person: '#c0392b',
  phone: '#2e86c1',
  imei: '#1abc9c',
  email: '#8e44ad',
  online: '#af7ac5',
  document: '#d68910',
  account: '#27ae60',
  vehicle: '#7f8c8d',
  address: '#a04000',
  organisation: '#34495e',
};

/** The ids of the nodes a filter keeps: a case filter keeps what was
 *  read in that case; a kind filter keeps that kind and the cases it
 *  links to; "shared only" keeps what appears in more than one case,
 *  with the people who hold it, and their cases. */
export function visibleNodes(g: LinkGraph, f: Filters): Set<string> {
  const keep = new Set<string>();
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const n of g.nodes) {
    if (n.kind === 'case') continue;
    if (f.caseId && !n.cases.includes(f.caseId)) continue;
    if (f.kind && n.kind !== f.kind) continue;
    if (f.sharedOnly && n.cases.length < 2) continue;
    keep.add(n.id);
  }
  if (f.sharedOnly) {
    for (const e of g.edges) {
      if (e.kind === 'entity_person' && keep.has(e.source)) {
        const holder = byId.get(e.target);
        if (holder && (!f.kind || f.kind === 'person') && (!f.caseId || holder.cases.includes(f.caseId))) keep.add(e.target);
      }
    }
  }
  const cases = new Set<string>();
  for (const id of keep) for (const c of byId.get(id)?.cases ?? []) cases.add(c);
  for (const n of g.nodes) {
    if (n.kind !== 'case') continue;
    const caseId = n.cases[0];
    const unfiltered = !f.kind && !f.sharedOnly;
    if (f.caseId ? caseId === f.caseId : unfiltered || cases.has(caseId)) keep.add(n.id);
  }
  return keep;
}

/** Where a node starts before the layout: a sunflower spiral by index
 *  (deterministic; ForceAtlas2 needs distinct starting points). */
export function seedPosition(i: number): { x: number; y: number } {
  const angle = i * 2.399963229728653;
  const r = Math.sqrt(i + 1) * 10;
  return { x: r * Math.cos(angle), y: r * Math.sin(angle) };
}

/** The graphology graph of the nodes a filter keeps, with sigma's
 *  attributes (label, size by cases, colour by kind) and starting
 *  positions. `label` gives a node's text (kind and masked label). */
export function buildGraph(g: LinkGraph, f: Filters, label: (n: LinkNode) => string): Graph {
  const keep = visibleNodes(g, f);
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  let i = 0;
  for (const n of g.nodes) {
    if (!keep.has(n.id)) continue;
    const { x, y } = seedPosition(i++);
    graph.addNode(n.id, {
      x,
      y,
      label: label(n),
      size: n.kind === 'case' ? 9 : 3 + Math.min(6, 2 * (n.cases.length - 1)),
      color: COLOURS[n.kind],
      kind: n.kind,
      shared: n.cases.length > 1,
    });
  }
  for (const e of g.edges) {
    if (graph.hasNode(e.source) && graph.hasNode(e.target) && !graph.hasEdge(e.source, e.target)) {
      graph.addEdge(e.source, e.target, { size: 1, color: e.kind === 'person_case' ? '#9aa9bb' : '#cfd8e3' });
    }
  }
  return graph;
}

/** The ids of the nodes whose text matches `query` (case-insensitive; a
 *  case's reference and title count for it). Empty query: none. */
export function search(g: LinkGraph, query: string, label: (n: LinkNode) => string): Set<string> {
  const q = query.trim().toLocaleLowerCase();
  const hits = new Set<string>();
  if (!q) return hits;
  const titles = new Map(g.cases.map((c) => [`c:${c.id}`, `${c.reference} ${c.title}`]));
  for (const n of g.nodes) {
    const text = `${label(n)} ${titles.get(n.id) ?? ''}`.toLocaleLowerCase();
    if (text.includes(q)) hits.add(n.id);
  }
  return hits;
}

/** A case's reference by id. */
export function references(g: LinkGraph): Map<string, string> {
  return new Map(g.cases.map((c) => [c.id, c.reference]));
}
