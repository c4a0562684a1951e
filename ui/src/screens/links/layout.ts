// Runs ForceAtlas2 on a graph in the chart's Web Worker (layout.worker.ts)
// and writes the positions back after each batch, so sigma redraws while
// the window's thread stays free. The worker is our own module (served
// by the app like any script): the app's content security policy admits
// no worker made from a blob, which the package's own worker is.
import type Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import defaults from 'graphology-layout-forceatlas2/defaults.js';
import { graphToByteArrays, assignLayoutChanges } from 'graphology-layout-forceatlas2/helpers.js';
import type { LayoutMessage, LayoutRequest } from './layoutLoop';

export type LayoutDone = { iterations: number; settled: boolean; ms: number };

/** Lays `graph` out; `onTick` after each batch of iterations (positions
 *  written), `onDone` at the end. Returns the function that stops it. */
export function layoutInWorker(
  graph: Graph,
  opts: { maxIterations: number; maxMs?: number; batch?: number; onTick?: () => void; onDone?: (d: LayoutDone) => void },
): () => void {
  if (graph.order === 0) {
    opts.onDone?.({ iterations: 0, settled: true, ms: 0 });
    return () => {};
  }
  const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  // Every edge weighs the same.
  const { nodes, edges } = graphToByteArrays(graph, () => 1);
  const settings = { ...defaults, ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 500 };
  worker.onmessage = (event: MessageEvent<LayoutMessage>) => {
    const m = event.data;
    assignLayoutChanges(graph, m.nodes);
    opts.onTick?.();
    if (m.type === 'done') {
      worker.terminate();
      opts.onDone?.({ iterations: m.iterations, settled: m.settled, ms: m.ms });
    }
  };
  const request: LayoutRequest = {
    nodes,
    edges,
    settings,
    maxIterations: opts.maxIterations,
    maxMs: opts.maxMs,
    batch: opts.batch ?? 10,
    settledBelow: 0.05,
  };
  worker.postMessage(request, [nodes.buffer, edges.buffer]);
  return () => worker.terminate();
}
