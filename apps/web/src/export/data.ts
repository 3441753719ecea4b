/**
 * Data exports of the view: CSV of the edges (one row per edge with its rates, error share, latency
 * and flags) and Graphviz DOT. Both are built from the API's response, so they hold what the server
 * computed rather than what the canvas happens to draw.
 */
import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import { edgePercentErr, edgeTotal } from '../graph/edgeTraffic';
import { nodeTitle } from '../graph/nodeLabel';
import { visibleText } from '../components/untrustedText';

/** RFC 4180 quoting, plus a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '') : value;
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Envoy response flags over all codes, as "UO 2.1%; UF 0.5%" (share of the edge's requests). */
export function responseFlags(edge: EdgeData): string {
  const shares = new Map<string, number>();
  for (const detail of Object.values(edge.traffic.responses ?? {})) {
    for (const [flag, share] of Object.entries(detail.flags ?? {})) {
      if (flag === '-' || flag === '') continue;
      shares.set(flag, (shares.get(flag) ?? 0) + share);
    }
  }
  return [...shares.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([flag, share]) => `${flag} ${Math.round(share * 10) / 10}%`)
    .join('; ');
}

function edgeFlags(edge: EdgeData): string {
  const flags: string[] = [];
  if (edge.isMirror) flags.push('mirror');
  if (edge.isMTLS !== undefined && edge.isMTLS > 0) flags.push(`mTLS ${Math.round(edge.isMTLS)}%`);
  const envoy = responseFlags(edge);
  if (envoy) flags.push(envoy);
  return flags.join('; ');
}

export const CSV_HEADER = ['source', 'target', 'source_namespace', 'target_namespace', 'protocol', 'rate', 'rate_unit', 'error_percent', 'p50_ms', 'p95_ms', 'p99_ms', 'health', 'flags', 'reporter'];

/** One row per edge, sorted by source then target names so diffs between exports stay small. */
export function edgesCsv(graph: GraphResponse): string {
  const nodes = new Map<string, NodeData>(graph.elements.nodes.map((n) => [n.data.id, n.data]));
  const name = (id: string) => {
    const node = nodes.get(id);
    return node ? nodeTitle(node) : id;
  };
  const rows = graph.elements.edges.map(({ data: e }) => {
    const tcp = e.traffic.protocol === 'tcp';
    return [
      name(e.source),
      name(e.target),
      nodes.get(e.source)?.namespace,
      nodes.get(e.target)?.namespace,
      e.traffic.protocol,
      edgeTotal(e),
      tcp ? 'bytes/s' : 'req/s',
      tcp ? undefined : edgePercentErr(e),
      e.responseTimes?.p50,
      e.responseTimes?.p95 ?? e.responseTime,
      e.responseTimes?.p99,
      e.healthStatus,
      edgeFlags(e),
      e.reporter,
    ].map(csvCell);
  });
  rows.sort((a, b) => (a.join(',') < b.join(',') ? -1 : 1));
  return `${[CSV_HEADER.join(','), ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`;
}

/**
 * A DOT string literal: quotes and backslashes escaped, newlines as \n, and other control, bidi and invisible
 * characters written out as text (`\x1b`), so no line of the file is broken and no viewer reorders it.
 */
export function dotString(text: string): string {
  // Every backslash doubled, the text's own and those of visibleText's `\x1b`: Graphviz shows both as written.
  const lines = text.split(/\r\n|\n|\r/).map((line) => visibleText(line).replace(/\\/g, '\\\\').replace(/"/g, '\\"'));
  return `"${lines.join('\\n')}"`;
}

const DOT_SHAPE: Record<string, string> = { app: 'box', workload: 'ellipse', service: 'triangle', unknown: 'ellipse' };

/** Graphviz DOT: namespaces as clusters, edge labels with rate and error share. */
export function graphDot(graph: GraphResponse): string {
  const leaves = graph.elements.nodes.map((n) => n.data).filter((n) => !n.isBox);
  const byNamespace = new Map<string, NodeData[]>();
  for (const node of leaves) byNamespace.set(node.namespace, [...(byNamespace.get(node.namespace) ?? []), node]);
  const lines = ['digraph meshlens {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];'];
  const nodeLine = (n: NodeData, indent: string) => {
    const shape = n.isServiceEntry ? 'diamond' : (DOT_SHAPE[n.nodeType] ?? 'ellipse');
    const attrs = [`label=${dotString(nodeTitle(n))}`, `shape=${shape}`];
    if (n.health && n.health !== 'NA') attrs.push(`color=${dotString(n.health === 'Healthy' ? '#2e7d32' : n.health === 'Degraded' ? '#b45309' : '#c62828')}`);
    return `${indent}${dotString(n.id)} [${attrs.join(', ')}];`;
  };
  [...byNamespace.keys()].sort().forEach((ns, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${dotString(ns)};`);
    for (const node of byNamespace.get(ns)!.sort((a, b) => (a.id < b.id ? -1 : 1))) lines.push(nodeLine(node, '    '));
    lines.push('  }');
  });
  const ids = new Set(leaves.map((n) => n.id));
  const edges = graph.elements.edges.map((e) => e.data).filter((e) => ids.has(e.source) && ids.has(e.target));
  for (const e of edges.sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1))) {
    const tcp = e.traffic.protocol === 'tcp';
    const rate = edgeTotal(e);
    const err = edgePercentErr(e);
    const label = tcp ? `${Math.round(rate)} B/s` : `${Math.round(rate * 100) / 100} rps${err > 0 ? `\n${Math.round(err * 10) / 10}% err` : ''}`;
    const attrs = [`label=${dotString(label)}`];
    if (e.healthStatus === 'Failure') attrs.push('color="#c62828"');
    else if (e.healthStatus === 'Degraded') attrs.push('color="#b45309"');
    if (tcp) attrs.push('style=dashed');
    lines.push(`  ${dotString(e.source)} -> ${dotString(e.target)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
