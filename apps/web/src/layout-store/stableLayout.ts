/**
 * Laying out with memory: saved positions of the view are applied as they are, the layout algorithm
 * only decides where new nodes go (see merge.ts), and the result is saved for the next refresh,
 * reload or time window. Dragging a node saves it too and pins it. A picture that mostly changed is
 * laid out anew, as the layered layout's placement does (placement.ts positionsToKeep).
 */
import type cytoscape from 'cytoscape';
import { canvasTextMeasure, layoutRequest } from '../layout/footprint';
import { canvasAspect, fitGraph, runLayout } from '../layout/runLayout';
import type { LayoutName } from '../url/viewState';
import { mergePositions } from './merge';
import { positionsToKeep } from './placement';
import { positionStore, type Point } from './positionStore';

export interface StableLayoutResult {
  /** What placed the nodes, for the footer ("dagre", "saved positions"…). */
  algorithm: string;
  kept: number;
  placed: number;
}

/** Positions of the leaf (non-box) nodes, in model coordinates. */
export function leafPositions(cy: cytoscape.Core): Record<string, Point> {
  const positions: Record<string, Point> = {};
  cy.nodes()
    .not('.box')
    .forEach((n) => {
      const p = n.position();
      positions[n.id()] = { x: p.x, y: p.y };
    });
  return positions;
}

function applyPositions(cy: cytoscape.Core, positions: Record<string, Point>): void {
  cy.nodes()
    .not('.box')
    .layout({ name: 'preset', positions, fit: false, animate: false })
    .run();
}

/**
 * Lays the graph out, keeping saved nodes in place. Resolves with null when `isStale()` says a newer
 * layout took over. The viewport is fitted; the caller may then apply a viewport from the URL.
 */
export async function runStableLayout(
  cy: cytoscape.Core,
  layout: LayoutName,
  roomForEdgeLabels: boolean,
  key: string,
  isStale: () => boolean,
): Promise<StableLayoutResult | null> {
  const store = positionStore();
  const leaves = cy.nodes().not('.box');
  const saved = positionsToKeep(leaves.map((n) => n.id()), store.get(key));
  const kept = leaves.filter((n) => saved[n.id()] !== undefined).length;
  if (leaves.nonempty() && kept === leaves.length) {
    // Nothing new: no layout to compute at all.
    applyPositions(cy, saved);
    fitGraph(cy);
    store.save(key, leafPositions(cy));
    return { algorithm: 'saved positions', kept, placed: 0 };
  }
  const algorithm = await runLayout(cy, layout, roomForEdgeLabels, isStale);
  if (algorithm === null) return null;
  if (kept === 0) {
    store.save(key, leafPositions(cy));
    return { algorithm, kept: 0, placed: leaves.length };
  }
  const request = layoutRequest(
    cy.nodes().map((n) => ({ data: n.data() })),
    cy.edges().map((e) => ({ data: e.data() })),
    canvasTextMeasure(),
    roomForEdgeLabels,
    canvasAspect(cy),
  );
  const merged = mergePositions(request, leafPositions(cy), saved);
  applyPositions(cy, merged.positions);
  fitGraph(cy);
  store.save(key, merged.positions);
  return { algorithm, kept, placed: merged.placed.length };
}

/** Saves the view after a drag and pins the dragged nodes (a dragged box pins its members). */
export function saveDragged(cy: cytoscape.Core, key: string, dragged: cytoscape.NodeCollection): void {
  const pinned = dragged.union(dragged.descendants()).not('.box').map((n) => n.id());
  positionStore().save(key, leafPositions(cy), pinned);
}

/** "Re-layout": forgets the view's saved positions. */
export function forgetLayout(key: string): void {
  positionStore().clear(key);
}
