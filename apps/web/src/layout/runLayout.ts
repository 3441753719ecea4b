/**
 * Applying a layout to cytoscape. The layered layout is computed in the worker and applied as a
 * `preset`; grid and concentric are cytoscape's built-ins, cheap enough for the main thread.
 */
import type cytoscape from 'cytoscape';
import type { LayoutName } from '../url/viewState';
import { canvasTextMeasure, layoutRequest } from './footprint';
import { computeLayeredLayout } from './layoutClient';
import type { LayoutAlgorithm } from './types';

// Room at the edges for the zoom buttons and the footer line drawn over the canvas.
const FIT_PADDING = 44;
/** A tiny graph fitted to a wall screen would be drawn huge; cap the zoom that fitting may reach. */
const MAX_FIT_ZOOM = 1.6;

export function fitGraph(cy: cytoscape.Core): void {
  const visible = cy.elements(':visible');
  if (visible.empty()) return;
  cy.fit(visible, FIT_PADDING);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center(visible);
  }
}

/** Lays the graph out; resolves with the algorithm used, or null when `isStale()` says a newer layout took over. */
export async function runLayout(
  cy: cytoscape.Core,
  layout: LayoutName,
  roomForEdgeLabels: boolean,
  isStale: () => boolean,
): Promise<LayoutAlgorithm | LayoutName | null> {
  const leaves = cy.nodes().not('.box');
  if (layout === 'layered') {
    const request = layoutRequest(
      cy.nodes().map((n) => ({ data: n.data() })),
      cy.edges().map((e) => ({ data: e.data() })),
      canvasTextMeasure(),
      roomForEdgeLabels,
    );
    const result = await computeLayeredLayout(request);
    if (isStale()) return null;
    // A map rather than a function: cytoscape's preset takes either, and the map is what the worker sent.
    leaves.layout({ name: 'preset', positions: result.positions, fit: false, animate: false }).run();
    fitGraph(cy);
    return result.algorithm;
  }
  const options: cytoscape.LayoutOptions =
    layout === 'grid'
      ? { name: 'grid', fit: false, avoidOverlap: true, avoidOverlapPadding: 30, nodeDimensionsIncludeLabels: true, animate: false }
      : {
          name: 'concentric',
          fit: false,
          avoidOverlap: true,
          minNodeSpacing: 24,
          animate: false,
          // Busiest nodes in the middle, as a hub-and-spoke picture of the mesh.
          concentric: (node: cytoscape.NodeSingular) => node.degree(false),
          levelWidth: (nodes: cytoscape.NodeCollection) => Math.max(1, nodes.maxDegree(false) / 4),
        };
  leaves.layout(options).run();
  fitGraph(cy);
  return layout;
}
