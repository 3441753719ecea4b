/**
 * GraphResponse → cytoscape element definitions. The server's data is kept whole (the side panel and
 * browser tests read it back from cytoscape); what the canvas needs is added as `ml*` fields and
 * classes, computed once per response.
 */
import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import type cytoscape from 'cytoscape';
import { edgeLabelFields } from './edgeLabel';
import { edgeTotal } from './edgeTraffic';
import { nodeLabelLines } from './nodeLabel';
import { CANVAS_TEXT_MAX, shortText } from '../components/untrustedText';
import { configClass } from '../config/graphFindings';
import type { DiffFields, WhatIfEdgeFields } from '../drafts/graphDiff';

/** Classes that style a node (one selector per concept in stylesheet.ts). */
export function nodeClasses(node: NodeData): string[] {
  if (node.isBox) return ['box', `box-${node.isBox}`];
  if (node.group) {
    const classes = ['group', `group-${node.group.kind}`, `health-${node.health ?? 'NA'}`];
    if (node.group.unhealthy > 0) classes.push('group-unhealthy');
    if (node.isOutside) classes.push('outside');
    return classes;
  }
  const classes = [`node-${node.nodeType}`, `health-${node.health ?? 'NA'}`];
  if (node.isServiceEntry) classes.push('service-entry');
  if (node.isEgressCluster) classes.push('egress-cluster');
  if (node.isExternalIP) classes.push('external-ip');
  if (node.isGateway) classes.push('gateway');
  if (node.isWaypoint) classes.push('waypoint');
  if (node.isEgressRouter) classes.push('egress-router');
  if (node.isOutside) classes.push('outside');
  if (node.isIdle) classes.push('idle');
  if (node.isDead) classes.push('dead');
  const config = configClass(node);
  if (config) classes.push(config);
  const diff = (node as NodeData & DiffFields).mlDiff;
  if (diff) classes.push(`diff-${diff}`);
  return classes;
}

/** Classes that style an edge. */
export function edgeClasses(edge: EdgeData): string[] {
  const classes = [`proto-${edge.traffic.protocol}`];
  if (edge.traffic.protocol === 'tcp') classes.push('tcp');
  if (edge.isMirror) classes.push('mirror');
  if (edge.isConfigured) classes.push('configured');
  if (edge.group) classes.push('group-edge');
  if (edgeTotal(edge) <= 0) classes.push('idle');
  else if (edge.healthStatus && edge.healthStatus !== 'Healthy') classes.push(`health-${edge.healthStatus}`);
  // what-if (drafts/graphDiff.ts): a tracer's prediction, and Compare's marks
  const whatIf = edge as EdgeData & DiffFields & WhatIfEdgeFields;
  if (whatIf.mlPredicted) classes.push('predicted');
  if (whatIf.mlDiff) classes.push(`diff-${whatIf.mlDiff}`);
  return classes;
}

/**
 * Line width from the edge's rate on a log scale: 0.1 rps and 1000 rps must both stay readable.
 * TCP rates are bytes/s, so they are scaled to "KiB/s" first to land in a comparable range.
 */
export function edgeWidth(edge: EdgeData): number {
  const total = edgeTotal(edge);
  if (total <= 0) return 1;
  const comparable = edge.traffic.protocol === 'tcp' ? total / 1024 : total;
  const width = 1.5 + Math.log10(1 + comparable) * 1.6;
  return Math.round(Math.min(8, Math.max(1.5, width)) * 10) / 10;
}

export interface GraphElements {
  nodes: cytoscape.NodeDefinition[];
  edges: cytoscape.EdgeDefinition[];
}

/** A collapsed group's label: its name, then how many it holds and how many of them are unhealthy. */
export function groupLabelLines(node: NodeData): string[] {
  const group = node.group!;
  const name = group.kind === 'app' ? (node.app ?? group.key) : node.namespace;
  return [name, `+${group.count}${group.unhealthy > 0 ? ` · ${group.unhealthy} unhealthy` : ''}`];
}

/** Converts the response, dropping references the response itself cannot satisfy (a parent or endpoint that is not in it). */
export function toElements(graph: GraphResponse): GraphElements {
  const ids = new Set(graph.elements.nodes.map((n) => n.data.id));
  const nodes = graph.elements.nodes.map(({ data }) => {
    const lines = data.group ? groupLabelLines(data) : nodeLabelLines(data, graph.graphType, data.isOutside === true);
    const parent = data.parent && ids.has(data.parent) ? data.parent : undefined;
    return {
      group: 'nodes' as const,
      // Cluster text on the canvas: escaped and capped (the panel and tooltip give it whole).
      data: { ...data, parent, mlLabel: lines.map((l) => shortText(l, CANVAS_TEXT_MAX)).join('\n'), mlLines: lines.length },
      classes: nodeClasses(data),
    };
  });
  const edges = graph.elements.edges
    .filter(({ data }) => ids.has(data.source) && ids.has(data.target))
    .map(({ data }) => ({
      group: 'edges' as const,
      data: { ...data, mlWidth: edgeWidth(data), ...edgeLabelFields(data) },
      classes: edgeClasses(data),
    }));
  return { nodes, edges };
}

/**
 * A key that changes only when the layout must be recomputed: the set of nodes and their boxes.
 * Rates, health and edges change on every refresh and only need a data update.
 */
export function topologyKey(graph: GraphResponse): string {
  return graph.elements.nodes
    .map((n) => `${n.data.id}<${n.data.parent ?? ''}`)
    .sort()
    .join('|');
}

/**
 * The elements without app boxes: members move to their namespace box. For large graphs only: cytoscape restyles an
 * element's box and all the box's members on every style change of the element, so five hundred app boxes of two
 * versions each turn a refresh of a 1k-workload mesh into seconds of main-thread work; namespace boxes alone keep
 * the picture's structure.
 */
export function withoutAppBoxes(elements: GraphElements): GraphElements {
  const appBoxParent = new Map<string, string | undefined>();
  for (const n of elements.nodes) if (n.data.isBox === 'app') appBoxParent.set(String(n.data.id), n.data.parent);
  if (appBoxParent.size === 0) return elements;
  const nodes = elements.nodes
    .filter((n) => n.data.isBox !== 'app')
    .map((n) => (n.data.parent && appBoxParent.has(n.data.parent) ? { ...n, data: { ...n.data, parent: appBoxParent.get(n.data.parent) } } : n));
  return { nodes, edges: elements.edges };
}

/** An element definition's classes as a list (cytoscape takes a list or a space-separated string). */
export function classList(classes: string[] | string | undefined): string[] {
  return Array.isArray(classes) ? classes : String(classes ?? '').split(' ').filter(Boolean);
}

/**
 * The elements with no compound nodes at all: namespace boxes become plain nodes drawn under everything and sized
 * around their members after the layout (sizeFlatBoxes), members remember their box in `mlArea`. For large graphs:
 * with any compound node in the graph, cytoscape's first style pass dirties, for every property of every element,
 * the caches of its box, the box's members and their edges: seconds of main-thread work at 1k nodes and 5k edges.
 */
export function flattenBoxes(elements: GraphElements): GraphElements {
  const boxes = new Set(elements.nodes.filter((n) => n.data.isBox).map((n) => String(n.data.id)));
  if (boxes.size === 0) return elements;
  const nodes = elements.nodes.map((n) => {
    if (n.data.isBox) {
      return { ...n, data: { ...n.data, parent: undefined, mlW: 1, mlH: 1 }, classes: [...classList(n.classes), 'box-flat'] };
    }
    return n.data.parent && boxes.has(n.data.parent) ? { ...n, data: { ...n.data, parent: undefined, mlArea: n.data.parent } } : n;
  });
  return { nodes, edges: elements.edges };
}
