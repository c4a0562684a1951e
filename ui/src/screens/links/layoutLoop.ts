// ForceAtlas2 iterations in batches until the nodes settle or the budget
// is spent: the body of the chart's layout worker (layout.worker.ts),
// apart from it so that it runs in tests too.
import iterate from 'graphology-layout-forceatlas2/iterate.js';

export type LayoutRequest = {
  nodes: Float32Array;
  edges: Float32Array;
  settings: Record<string, unknown>;
  maxIterations: number;
  /** Milliseconds after which the layout stops, settled or not. */
  maxMs?: number;
  batch: number;
  /** Mean movement per node per iteration below which the layout counts
   *  as settled. */
  settledBelow: number;
};

export type LayoutMessage =
  | { type: 'tick'; nodes: Float32Array; iterations: number }
  | { type: 'done'; nodes: Float32Array; iterations: number; settled: boolean; ms: number };

/** Values per node in graphology-layout-forceatlas2's node matrix. */
const PPN = 10;

/** Runs the layout of `request`, posting the positions after each batch
 *  and once more when it is over (each a copy, to be transferred). */
export function runLayout(request: LayoutRequest, post: (m: LayoutMessage) => void): void {
  const { nodes, edges, settings, maxIterations, batch, settledBelow, maxMs = Infinity } = request;
  const start = performance.now();
  const order = nodes.length / PPN;
  const before = new Float32Array(order * 2);
  let iterations = 0;
  let settled = order === 0;
  while (iterations < maxIterations && !settled && performance.now() - start < maxMs) {
    for (let n = 0; n < order; n++) {
      before[2 * n] = nodes[n * PPN];
      before[2 * n + 1] = nodes[n * PPN + 1];
    }
    const steps = Math.max(1, Math.min(batch, maxIterations - iterations));
    for (let i = 0; i < steps; i++) iterate(settings, nodes, edges);
    iterations += steps;
    let moved = 0;
    for (let n = 0; n < order; n++) {
      moved += Math.hypot(nodes[n * PPN] - before[2 * n], nodes[n * PPN + 1] - before[2 * n + 1]);
    }
    settled = moved / order / steps < settledBelow;
    post({ type: 'tick', nodes: nodes.slice(), iterations });
  }
  post({ type: 'done', nodes: nodes.slice(), iterations, settled, ms: performance.now() - start });
}
