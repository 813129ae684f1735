// The JavaScript peer of Vigil's correlation benchmark (tests/correlate_bench.rs): what a
// JavaScript tool would use to group alerts through shared entities, graphology with
// graphology-components from npm. `cargo xtask bench` bundles this file with esbuild into
// tests/bench/generated/graphology.js (not committed), which the benchmark imports.
import Graph from 'graphology';
import { connectedComponents } from 'graphology-components';

/// The alert-entity graph (alert `owners[j]` names entity `keys[j]`) built and split into
/// connected components; returns [build ms, components ms, component count].
export function graphologyComponents(alerts, owners, keys) {
  const t0 = performance.now();
  const g = new Graph({ type: 'undirected', allowSelfLoops: false });
  for (let i = 0; i < alerts; i++) g.addNode(`a${i}`);
  for (let j = 0; j < keys.length; j++) {
    g.mergeNode(keys[j]);
    g.mergeEdge(`a${owners[j]}`, keys[j]);
  }
  const t1 = performance.now();
  const components = connectedComponents(g);
  const t2 = performance.now();
  return [t1 - t0, t2 - t1, components.length];
}
