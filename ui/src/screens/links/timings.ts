// What the chart's steps took, as performance marks and measures, and on
// `window.__caravanLinkTimings` for the end-to-end test to read.

export type LinkTimings = {
  nodes: number;
  edges: number;
  /** The command's answer (the core reading the cases). */
  fetchMs?: number;
  /** The graphology graph built from the answer. */
  graphBuildMs?: number;
  /** The first frame sigma drew. */
  firstRenderMs?: number;
  /** The worker's layout, until settled or its iteration budget spent. */
  layoutMs?: number;
  layoutIterations?: number;
  layoutSettled?: boolean;
  /** Whether the layout is over. */
  done: boolean;
};

declare global {
  interface Window {
    __caravanLinkTimings?: LinkTimings;
  }
}

/** Starts a measure: returns the function that ends it and gives its
 *  duration in milliseconds. */
export function measure(name: string): () => number {
  const start = `caravan:links:${name}:start`;
  performance.mark(start);
  return () => {
    const end = `caravan:links:${name}:end`;
    performance.mark(end);
    const m = performance.measure(`caravan:links:${name}`, start, end);
    return m?.duration ?? 0;
  };
}

export function record(t: Partial<LinkTimings>): void {
  window.__caravanLinkTimings = { nodes: 0, edges: 0, done: false, ...window.__caravanLinkTimings, ...t };
}

export function resetTimings(): void {
  window.__caravanLinkTimings = { nodes: 0, edges: 0, done: false };
}
