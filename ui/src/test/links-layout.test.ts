// The chart's layout with its real code (matrices, ForceAtlas2 batches,
// positions written back), the Web Worker stood in for by a class that
// runs the worker's loop when posted to.
import { describe, it, expect, vi } from 'vitest';
import { layoutInWorker } from '../screens/links/layout';
import { runLayout, type LayoutMessage, type LayoutRequest } from '../screens/links/layoutLoop';
import { buildGraph, NO_FILTER } from '../screens/links/graph';
import { mockLinkGraph } from '../dev/linkFixtures';
import defaults from 'graphology-layout-forceatlas2/defaults.js';
import { graphToByteArrays } from 'graphology-layout-forceatlas2/helpers.js';

class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((e: { data: LayoutMessage }) => void) | null = null;
  terminated = false;
  constructor(public url: URL, public options: WorkerOptions) {
    FakeWorker.made.push(this);
  }
  postMessage(request: LayoutRequest) {
    setTimeout(() => runLayout(request, (m) => !this.terminated && this.onmessage?.({ data: m })));
  }
  terminate() {
    this.terminated = true;
  }
}

describe('link chart layout', () => {
  it('runs ForceAtlas2 in a module worker until settled or the budget is spent, and moves the nodes', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const graph = buildGraph(mockLinkGraph(400, 20), NO_FILTER, (n) => n.id);
    const start = graph.mapNodes((_, a) => [a.x, a.y]);
    let ticks = 0;
    const done = await new Promise<{ iterations: number; settled: boolean }>((resolve) =>
      layoutInWorker(graph, { maxIterations: 60, batch: 10, onTick: () => ticks++, onDone: resolve }),
    );
    const worker = FakeWorker.made.at(-1)!;
    expect(worker.options).toEqual({ type: 'module' });
    expect(String(worker.url)).toContain('layout.worker');
    expect(worker.terminated).toBe(true);
    expect(done.iterations).toBeGreaterThan(0);
    expect(done.iterations).toBeLessThanOrEqual(60);
    expect(ticks).toBe(done.iterations / 10 + 1);
    const end = graph.mapNodes((_, a) => [a.x, a.y]);
    expect(end).not.toEqual(start);
    expect(end.flat().every(Number.isFinite)).toBe(true);
  });

  it('stops at its time budget, settled or not', () => {
    const graph = buildGraph(mockLinkGraph(200, 10), NO_FILTER, (n) => n.id);
    const { nodes, edges } = graphToByteArrays(graph, () => 1);
    const posted: LayoutMessage[] = [];
    runLayout({ nodes, edges, settings: { ...defaults }, maxIterations: 100, maxMs: 0, batch: 10, settledBelow: 0 }, (m) => posted.push(m));
    expect(posted.map((m) => m.type)).toEqual(['done']);
    expect(posted[0]).toMatchObject({ iterations: 0, settled: false });
  });

  it('stops posting when stopped, and finishes at once for an empty graph', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const graph = buildGraph(mockLinkGraph(50, 5), NO_FILTER, (n) => n.id);
    const onTick = vi.fn();
    const stop = layoutInWorker(graph, { maxIterations: 50, onTick });
    stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(onTick).not.toHaveBeenCalled();
    const onDone = vi.fn();
    layoutInWorker(buildGraph({ cases: [], nodes: [], edges: [], shared: 0 }, NO_FILTER, (n) => n.id), { maxIterations: 5, onDone });
    expect(onDone).toHaveBeenCalledWith({ iterations: 0, settled: true, ms: 0 });
  });
});
