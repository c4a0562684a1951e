// A made-up link graph of any size, for the preview and the chart's
// measurements: `entities` people and identifiers over `cases` cases,
// about one in ten found in a second case. Deterministic (a seed).
import type { LinkGraph } from '$lib/bindings/LinkGraph';
import type { LinkNode } from '$lib/bindings/LinkNode';
import type { LinkEdge } from '$lib/bindings/LinkEdge';
import type { EntityKind } from '$lib/bindings/EntityKind';

const OTHER_KINDS: EntityKind[] = ['phone', 'imei', 'document', 'account', 'email', 'vehicle', 'address', 'organisation'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

export function mockLinkGraph(entities = 10_000, cases = 200, seed = 7): LinkGraph {
  const random = rng(seed);
  const caseIds = Array.from({ length: cases }, (_, i) => `c${String(i).padStart(5, '0')}`);
  const infos = caseIds.map((id, i) => ({ id, reference: `KZ-2026-${String(i + 1).padStart(4, '0')}`, title: `Case ${i + 1}` }));
  const nodes: LinkNode[] = infos.map((c) => ({ id: `c:${c.id}`, kind: 'case', label: c.reference, cases: [c.id], occurrences: [], roles: [] }));
  const edges: LinkEdge[] = [];
  const people: { id: string; cases: string[]; label: string }[] = [];
  let shared = 0;
  for (let i = 0; i < entities; i++) {
    const home = caseIds[Math.floor(random() * cases)];
    const second = random() < 0.1 ? caseIds[Math.floor(random() * cases)] : null;
    const inCases = second && second !== home ? [home, second].sort() : [home];
    if (inCases.length > 1) shared++;
    const person = i % 3 === 0 || people.length === 0;
    if (person) {
      const id = `p${people.length + 1}`;
      const role = (['victim', 'suspect', 'witness'] as const)[i % 3 === 0 ? Math.floor(random() * 3) : 0];
      const label = inCases.map((_, k) => `${role === 'victim' ? 'V' : role === 'suspect' ? 'S' : 'W'}-${i + k}`).join(' / ');
      people.push({ id, cases: inCases, label });
      nodes.push({
        id, kind: 'person', label,
        cases: inCases, occurrences: inCases.map((c) => ({ case_id: c, path: `${role}s/r${i}`, person_id: `r${i}` })), roles: [role],
      });
      for (const c of inCases) edges.push({ source: id, target: `c:${c}`, kind: 'person_case', role, case_id: c });
    } else {
      const id = `e${i}`;
      const kind = OTHER_KINDS[i % OTHER_KINDS.length];
      const holder = random() < 0.6 ? people[Math.floor(random() * people.length)] : null;
      nodes.push({
        id, kind, label: kind === 'organisation' ? `Organisation ${i}` : holder ? holder.label : '',
        cases: inCases, occurrences: inCases.map((c) => ({ case_id: c, path: `identifiers/r${i}/value`, person_id: null })), roles: [],
      });
      for (const c of inCases) {
        if (holder && holder.cases.includes(c)) edges.push({ source: id, target: holder.id, kind: 'entity_person', role: null, case_id: c });
        else edges.push({ source: id, target: `c:${c}`, kind: 'entity_case', role: null, case_id: c });
      }
    }
  }
  return { cases: infos, nodes, edges, shared };
}

/** How many entities the preview's chart holds: `?links=N` in the
 *  address, else 300. */
export function mockLinkSize(): number {
  const n = Number(new URLSearchParams(globalThis.location?.search ?? '').get('links'));
  return Number.isFinite(n) && n > 0 ? Math.min(n, 50_000) : 300;
}
