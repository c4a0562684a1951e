// The chart's layout worker: ForceAtlas2 off the window's thread (the
// loop is in layoutLoop.ts). Positions go back as transferred copies.
import { runLayout, type LayoutRequest } from './layoutLoop';

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  runLayout(event.data, (m) => (self as unknown as Worker).postMessage(m, [m.nodes.buffer]));
};
