/**
 * Applying a layout to cytoscape. The layered layout is computed in the worker and applied as a
 * `preset`; grid and concentric are cytoscape's built-ins, cheap enough for the main thread.
 */
import type cytoscape from 'cytoscape';
import type { LayoutName } from '../url/viewState';
import { canvasTextMeasure, layoutRequest } from './footprint';
import { computeLayeredLayout } from './layoutClient';
import type { LayoutAlgorithm } from './types';
import { fitViewport, type Padding } from '../layout-store/placement';

// Room at the edges for the zoom buttons and the footer line drawn over the canvas.
export const FIT_PADDING = 44;
/** A tiny graph fitted to a wall screen would be drawn huge; cap the zoom that fitting may reach. */
export const MAX_FIT_ZOOM = 1.6;

/** The canvas's width / height, the shape many namespaces are packed to (layout/packed.ts). */
export function canvasAspect(cy: cytoscape.Core): number | undefined {
  // The picture is fitted inside the padding: that is the shape to fill.
  const w = cy.width() - 2 * FIT_PADDING;
  const h = cy.height() - 2 * FIT_PADDING;
  return w > 0 && h > 0 ? w / h : undefined;
}

/**
 * Flat boxes (graph/elements.ts flattenBoxes, large graphs): each sized and placed around its members' current
 * positions, labels included, as cytoscape would draw a compound box.
 */
export function sizeFlatBoxes(cy: cytoscape.Core): void {
  const flat = cy.nodes('.box-flat');
  if (flat.empty()) return;
  const extent = new Map<string, { x1: number; y1: number; x2: number; y2: number }>();
  cy.nodes().forEach((n) => {
    const area = n.data('mlArea') as string | undefined;
    if (!area || n.hasClass('hidden')) return;
    const b = n.boundingBox({ includeLabels: true, includeOverlays: false });
    const e = extent.get(area);
    if (!e) extent.set(area, { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
    else {
      e.x1 = Math.min(e.x1, b.x1);
      e.y1 = Math.min(e.y1, b.y1);
      e.x2 = Math.max(e.x2, b.x2);
      e.y2 = Math.max(e.y2, b.y2);
    }
  });
  cy.batch(() => {
    flat.forEach((box) => {
      const e = extent.get(box.id());
      if (!e) return;
      box.data({ mlW: e.x2 - e.x1 + 28, mlH: e.y2 - e.y1 + 28 });
      box.position({ x: (e.x1 + e.x2) / 2, y: (e.y1 + e.y2) / 2 });
    });
  });
}

/**
 * The room to keep free around a fitted graph: FIT_PADDING, and at the top whatever the page draws over the canvas
 * there (the graph's scale bar: what the node budget collapsed, find matches in groups), so that no node sits under it.
 */
export function fitPadding(cy: cytoscape.Core): Padding {
  const container = cy.container();
  // The bar is drawn over the canvas, beside it in the canvas' wrapper (graph/GraphView.tsx).
  const bar = container?.closest('.graph-canvas-wrap')?.querySelector('.graph-scale-bar');
  let top = FIT_PADDING;
  if (container && bar) {
    const below = bar.getBoundingClientRect().bottom - container.getBoundingClientRect().top + 8;
    if (Number.isFinite(below) && below < cy.height() / 3) top = Math.max(top, below);
  }
  return { top, right: FIT_PADDING, bottom: FIT_PADDING, left: FIT_PADDING };
}

export function fitGraph(cy: cytoscape.Core): void {
  sizeFlatBoxes(cy);
  const visible = cy.elements(':visible');
  if (visible.empty()) return;
  cy.viewport(fitViewport(visible.boundingBox({}), cy.width(), cy.height(), fitPadding(cy), { min: cy.minZoom(), max: MAX_FIT_ZOOM }));
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
      canvasAspect(cy),
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
