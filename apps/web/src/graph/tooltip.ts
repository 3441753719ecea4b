/** The graph's tooltip: what is under the pointer or the keyboard cursor, placed beside it in canvas pixels. */
import type { EdgeData, NodeData } from '@meshlens/model';
import type cytoscape from 'cytoscape';
import { edgeWords, nodeWords, type ElementWords } from './describeElement';

export interface Tip extends ElementWords {
  /** Canvas pixels, from its top-left corner: where the tooltip's left edge goes… */
  x: number;
  y: number;
  /** …or its right edge, when the right side has no room. */
  xLeft: number;
}

/**
 * The tooltip's CSS position inside a canvas `width` pixels wide, for a tooltip `tipWidth` pixels wide: beside the
 * element on its right, or on its left when the right has no room (and the left has).
 */
export function tipStyle(tip: Tip, width: number, tipWidth: number): { left?: number; right?: number; top: number } {
  const top = Math.max(4, tip.y);
  if (tip.x + tipWidth <= width - 4 || tip.xLeft < tipWidth) return { left: Math.max(4, Math.min(tip.x, width - tipWidth - 4)), top };
  return { right: width - tip.xLeft, top };
}

/** The tooltip of an element: beside a node, just off an edge's midpoint; none for namespace and app boxes. */
export function tipFor(ele: cytoscape.SingularElementReturnValue): Tip | null {
  if (ele.isNode()) {
    if (ele.data('isBox')) return null;
    // Beside the node and its label (which is wider than the node), never over either.
    const box = ele.renderedBoundingBox({ includeLabels: true, includeOverlays: false });
    return { ...nodeWords(ele.data() as NodeData), x: box.x2 + 8, xLeft: box.x1 - 8, y: box.y1 };
  }
  const edge = ele as cytoscape.EdgeSingular;
  const p = edge.renderedMidpoint();
  return { ...edgeWords(edge.data() as EdgeData, edge.source().data() as NodeData, edge.target().data() as NodeData), x: p.x + 12, xLeft: p.x - 12, y: p.y + 8 };
}
