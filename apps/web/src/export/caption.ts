/**
 * The caption band of an exported picture: which mesh, which namespaces and graph, which absolute
 * time window (UTC, so a reader in another time zone reads the same moment), what was filtered out,
 * and which Meshlens drew it. Pure, so the exact wording is unit-tested.
 */
import type { GraphResponse, GraphType } from '@meshlens/model';
import { shortText } from '../components/untrustedText';
import { EDGE_LABEL_OPTIONS, GRAPH_TYPE_OPTIONS, type EdgeLabelMode } from '../url/viewState';

export interface CaptionInfo {
  /** The source's name from /api/health (cluster, demo, snapshot…). */
  source: string;
  namespaces: string[];
  graphType: GraphType;
  /** End of the window, unix seconds (the graph's `timestamp`). */
  windowEnd: number;
  /** Window length in seconds. */
  duration: number;
  find: string;
  /** Nodes matching find, when find is set. */
  findCount?: number;
  hide: string;
  /** Nodes hidden by `hide`. */
  hiddenCount?: number;
  idle: boolean;
  edgeLabels: EdgeLabelMode;
  version: string;
  /** What part of the graph is in the picture. */
  area: 'full' | 'visible';
  /** Export time, unix ms. */
  exportedAt: number;
  /** What the node budget collapsed and the neighbourhood shown, when either applies (scaleLine). */
  scale?: string;
}

/** The caption's line for a grouped graph or a neighbourhood; undefined for a whole graph drawn as it is. */
export function scaleLine(graph: Pick<GraphResponse, 'grouping' | 'neighbourhood'>): string | undefined {
  const parts: string[] = [];
  if (graph.neighbourhood) parts.push(`neighbourhood of ${graph.neighbourhood.focus}, ${graph.neighbourhood.hops} ${graph.neighbourhood.hops === 1 ? 'hop' : 'hops'}`);
  const g = graph.grouping;
  if (g && g.visible < g.total) parts.push(`${g.visible} of ${g.total} nodes drawn, groups collapsed above ${g.budget}${g.expanded.length ? `, expanded: ${g.expanded.join(', ')}` : ''}`);
  return parts.length ? `View: ${parts.join(' · ')}` : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

function utcParts(unixSeconds: number) {
  const d = new Date(unixSeconds * 1000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const seconds = d.getUTCSeconds();
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(seconds)}` : ''}`;
  return { date, time };
}

/** "2026-11-22 02:50–03:00 UTC"; both dates when the window crosses midnight. */
export function formatWindow(windowEnd: number, duration: number): string {
  const start = utcParts(windowEnd - duration);
  const end = utcParts(windowEnd);
  return start.date === end.date ? `${start.date} ${start.time}–${end.time} UTC` : `${start.date} ${start.time} – ${end.date} ${end.time} UTC`;
}

/** "10 min", "1 h", "1 d", "90 s". */
export function formatDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function graphTypeLabel(graphType: GraphType): string {
  return GRAPH_TYPE_OPTIONS.find((o) => o.value === graphType)?.label ?? graphType;
}

/** What the picture leaves out or highlights, in words; "no filters" when nothing. */
export function filterSummary(info: Pick<CaptionInfo, 'find' | 'findCount' | 'hide' | 'hiddenCount' | 'idle' | 'area'>): string {
  const parts: string[] = [];
  if (info.hide.trim()) parts.push(`hidden: “${shortText(info.hide.trim(), 60)}”${info.hiddenCount !== undefined ? ` (${info.hiddenCount} node${info.hiddenCount === 1 ? '' : 's'})` : ''}`);
  if (info.find.trim()) parts.push(`highlighted: “${shortText(info.find.trim(), 60)}”${info.findCount !== undefined ? ` (${info.findCount} match${info.findCount === 1 ? '' : 'es'})` : ''}`);
  parts.push(info.idle ? 'idle nodes shown' : 'idle nodes not shown');
  if (info.area === 'visible') parts.push('visible part only');
  return parts.join(' · ');
}

/** The caption's lines, first one the title. */
export function captionLines(info: CaptionInfo): string[] {
  const labels = EDGE_LABEL_OPTIONS.find((o) => o.value === info.edgeLabels)?.label ?? info.edgeLabels;
  const exported = utcParts(Math.floor(info.exportedAt / 1000));
  return [
    `${info.source} · ${graphTypeLabel(info.graphType)}`,
    `Namespaces: ${info.namespaces.length ? info.namespaces.join(', ') : '(none)'}`,
    `Time window: ${formatWindow(info.windowEnd, info.duration)} (${formatDuration(info.duration)})`,
    `Filters: ${filterSummary(info)} · edge labels: ${labels.toLowerCase()}`,
    ...(info.scale ? [info.scale] : []),
    `Meshlens ${info.version} · exported ${exported.date} ${exported.time} UTC`,
    // Names and filters come from the cluster and the URL: written out and capped, so a line cannot run off the picture.
  ].map((line) => shortText(line, CAPTION_LINE_MAX));
}

/** Characters of a caption line at most (find and hide are capped at 60 on their own). */
export const CAPTION_LINE_MAX = 200;

/** The UTC moment for file names: 20261122T0300Z. */
export function fileTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${d.getUTCSeconds() ? pad(d.getUTCSeconds()) : ''}Z`;
}

/**
 * `meshlens-<namespaces>-<graphType>-<UTC time>.<ext>`. Namespaces are joined with "_" (never in a
 * namespace name, so the name stays unambiguous); long selections are shortened to stay a sane file name.
 */
export function exportFileName(namespaces: string[], graphType: GraphType, windowEnd: number, ext: string): string {
  const sorted = [...namespaces].sort();
  const ns = sorted.length > 3 ? `${sorted.slice(0, 3).join('_')}_and-${sorted.length - 3}-more` : sorted.join('_') || 'none';
  return `meshlens-${ns.replace(/[^a-z0-9._-]/gi, '-')}-${graphType}-${fileTime(windowEnd)}.${ext}`;
}
