/**
 * A node's footprint for the layout: its shape plus the label below it. Label widths are measured
 * with the same font as the canvas when a canvas is available, so long names get room and labels
 * never overlap at zoom 1.
 */
import type cytoscape from 'cytoscape';
import { FONT_FAMILY, LABEL_FONT_SIZE, LABEL_LINE_HEIGHT, LABEL_MARGIN_Y, NODE_SHAPE_SIZE } from '../graph/stylesheet';
import type { LayoutNode, LayoutRequest } from './types';

export type MeasureText = (text: string) => number;

/** A width estimate for environments without a canvas (tests): average glyph width of an 11px sans font. */
export const estimateTextWidth: MeasureText = (text) => text.length * LABEL_FONT_SIZE * 0.6;

let canvasMeasure: MeasureText | null = null;

/** Measures with a 2D canvas in the page's font; falls back to the estimate. */
export function canvasTextMeasure(): MeasureText {
  if (canvasMeasure) return canvasMeasure;
  const context = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  if (!context) return estimateTextWidth;
  context.font = `${LABEL_FONT_SIZE}px ${FONT_FAMILY}`;
  const cache = new Map<string, number>();
  canvasMeasure = (text) => {
    let width = cache.get(text);
    if (width === undefined) {
      width = context.measureText(text).width;
      cache.set(text, width);
    }
    return width;
  };
  return canvasMeasure;
}

/** Footprint of one node from its label lines. */
export function footprint(lines: string[], measure: MeasureText, shape: { width: number; height: number } = NODE_SHAPE_SIZE): Pick<LayoutNode, 'width' | 'height' | 'anchorDy'> {
  const labelWidth = Math.max(0, ...lines.map(measure)) + 8;
  const labelHeight = lines.length * LABEL_FONT_SIZE * LABEL_LINE_HEIGHT + 4;
  const width = Math.ceil(Math.max(shape.width + 8, labelWidth));
  const height = Math.ceil(shape.height + LABEL_MARGIN_Y + labelHeight);
  return { width, height, anchorDy: -height / 2 + shape.height / 2 };
}

/** A collapsed group's shape (stylesheet.ts `node.group`: 58×40) with its 6 px double border, half of it outside. */
const GROUP_SHAPE = { width: 64, height: 46 };

/** The layout request for a set of element definitions. */
export function layoutRequest(
  nodes: cytoscape.NodeDefinition[],
  edges: cytoscape.EdgeDefinition[],
  measure: MeasureText,
  roomForEdgeLabels = false,
  aspect?: number,
): LayoutRequest {
  return {
    roomForEdgeLabels,
    ...(aspect && Number.isFinite(aspect) && aspect > 0 ? { aspect } : {}),
    nodes: nodes.map((n) => {
      const isBox = Boolean(n.data.isBox);
      const lines = String(n.data.mlLabel ?? '').split('\n');
      // A box's label (13px bold, wider than the 11px text measured) may be wider than its members: packing leaves room.
      const boxLabel = isBox ? Math.ceil(measure(lines[0] ?? '') * 1.3) : 0;
      // A flat box's members (graph/elements.ts flattenBoxes) name it in `mlArea`.
      // A collapsed group's label is bold and its shape wider: measured a size up.
      const group = Boolean(n.data.group);
      const size = isBox ? { width: boxLabel, height: 0, anchorDy: 0 } : (group ? footprint(lines, (text) => measure(text) * 1.2 + 12, GROUP_SHAPE) : footprint(lines, measure));
      return { id: String(n.data.id), parent: n.data.parent ?? n.data.mlArea, isBox, ...size };
    }),
    edges: edges.map((e) => ({ source: e.data.source, target: e.data.target })),
  };
}
