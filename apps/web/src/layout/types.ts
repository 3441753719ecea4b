/** Messages between the page and the layout worker: plain data only (structured clone). */

export interface LayoutNode {
  id: string;
  /** The box (namespace or app) this node sits in. */
  parent?: string;
  /** Box nodes get no position: cytoscape sizes them around their children. */
  isBox: boolean;
  /** Footprint of the node including its label, in model units (px at zoom 1); for a box, its label's width. */
  width: number;
  height: number;
  /**
   * Where the node's position (its shape's centre) lies relative to the footprint's centre: the
   * label hangs below the shape, so the shape sits high in the footprint.
   */
  anchorDy: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayoutRequest {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Edge labels need room between ranks; without them the graph can be tighter (and drawn larger). */
  roomForEdgeLabels?: boolean;
  /** The canvas's width / height: many namespaces are packed to this shape (packed.ts). */
  aspect?: number;
}

export type LayoutAlgorithm = 'dagre' | 'dagre-flat' | 'fast-layered' | 'packed';

export interface LayoutResult {
  positions: Record<string, { x: number; y: number }>;
  algorithm: LayoutAlgorithm;
  /** Time spent computing, for the status line and performance checks. */
  ms: number;
}

export interface LayoutMessage {
  requestId: number;
  request: LayoutRequest;
}

export interface LayoutReply {
  requestId: number;
  /** The result with its positions packed in the request's node order (transfer.ts), the buffer transferred. */
  result?: Omit<LayoutResult, 'positions'> & { xy: Float64Array };
  error?: string;
}
