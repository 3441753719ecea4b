/**
 * The whole graph view as plain values, and its encoding in the URL query string, so that a reload,
 * a bookmark or a link from a test reproduces the same view. Parameter names follow Kiali's where
 * Kiali has one (`graphType`, `duration`, `refresh`, `namespaces`, `layout`), so Kiali users can
 * read them.
 */
import type { GraphType } from '@meshlens/model';
import { decodeReplay, DEFAULT_REPLAY, encodeReplay, type ReplayParams } from '../time/replayParams';

export type LayoutName = 'layered' | 'grid' | 'concentric';
export type EdgeLabelMode = 'none' | 'requestRate' | 'errorRate' | 'responseTime' | 'trafficShare';

/** The replay fields (`replayStart`, `replayEnd`, `replaySpeed`, `replayAt`) are defined in time/replayParams.ts. */
export interface ViewState extends ReplayParams {
  /** null: the URL names none, so the app picks its default selection (all non-system namespaces). */
  namespaces: string[] | null;
  graphType: GraphType;
  /** Window in seconds. */
  duration: number;
  /** Refresh interval in milliseconds; 0 = off. Milliseconds, as in Kiali's `refresh`. */
  refresh: number;
  layout: LayoutName;
  edgeLabels: EdgeLabelMode;
  find: string;
  hide: string;
  /** Include idle nodes (defined but without traffic). */
  idle: boolean;
  /** End of the window (unix seconds); null = now. */
  queryTime: number | null;
  /** Selected node or edge id. */
  focus: string | null;
  legend: boolean;
  /** Viewport zoom applied once after the first layout (from a copied link); null = fit. */
  zoom: number | null;
  /** Viewport pan (rendered px) applied with `zoom`; null = fit. URL form `pan=x,y`. */
  pan: { x: number; y: number } | null;
  /** Only nodes that configuration findings concern (config/graphFindings.ts). URL form `findings=only`. */
  findingsOnly: boolean;
}

export const GRAPH_TYPE_OPTIONS: Array<{ value: GraphType; label: string }> = [
  { value: 'versionedApp', label: 'Versioned app graph' },
  { value: 'app', label: 'App graph' },
  { value: 'workload', label: 'Workload graph' },
  { value: 'service', label: 'Service graph' },
];

export const DURATION_OPTIONS: Array<{ value: number; label: string }> = [
  { value: 60, label: 'Last 1m' },
  { value: 300, label: 'Last 5m' },
  { value: 600, label: 'Last 10m' },
  { value: 1800, label: 'Last 30m' },
  { value: 3600, label: 'Last 1h' },
  { value: 10800, label: 'Last 3h' },
  { value: 21600, label: 'Last 6h' },
  { value: 43200, label: 'Last 12h' },
  { value: 86400, label: 'Last 1d' },
  { value: 604800, label: 'Last 7d' },
  { value: 2592000, label: 'Last 30d' },
];

export const REFRESH_OPTIONS: Array<{ value: number; label: string }> = [
  { value: 0, label: 'Off' },
  { value: 10_000, label: 'Every 10s' },
  { value: 15_000, label: 'Every 15s' },
  { value: 30_000, label: 'Every 30s' },
  { value: 60_000, label: 'Every 1m' },
  { value: 300_000, label: 'Every 5m' },
];

export const LAYOUT_OPTIONS: Array<{ value: LayoutName; label: string }> = [
  { value: 'layered', label: 'Layered' },
  { value: 'grid', label: 'Grid' },
  { value: 'concentric', label: 'Concentric' },
];

export const EDGE_LABEL_OPTIONS: Array<{ value: EdgeLabelMode; label: string }> = [
  { value: 'none', label: 'No edge labels' },
  { value: 'requestRate', label: 'Request rate' },
  { value: 'errorRate', label: 'Error %' },
  { value: 'responseTime', label: 'Response time p95' },
  { value: 'trafficShare', label: 'Traffic share %' },
];

export const DEFAULT_VIEW: ViewState = {
  namespaces: null,
  graphType: 'versionedApp',
  duration: 600,
  refresh: 10_000,
  layout: 'layered',
  edgeLabels: 'none',
  find: '',
  hide: '',
  idle: false,
  queryTime: null,
  focus: null,
  legend: false,
  zoom: null,
  pan: null,
  findingsOnly: false,
  ...DEFAULT_REPLAY,
};

function oneOf<T>(value: string | null, allowed: ReadonlyArray<{ value: T }>, fallback: T, parse: (s: string) => T): T {
  if (value === null) return fallback;
  const parsed = parse(value);
  return allowed.some((o) => o.value === parsed) ? parsed : fallback;
}

function parseBool(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  return value === 'true' || value === '1';
}

function parseZoom(value: string | null): number | null {
  const zoom = Number(value ?? NaN);
  // The graph's own zoom limits (GraphView): anything outside is a broken link, so fit instead.
  return value !== null && Number.isFinite(zoom) && zoom >= 0.05 && zoom <= 4 ? zoom : null;
}

function parsePan(value: string | null): { x: number; y: number } | null {
  const m = value === null ? null : /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(value.trim());
  return m ? { x: Number(m[1]), y: Number(m[2]) } : null;
}

/** Reads a view from a query string; unknown or invalid values fall back to the defaults rather than failing. */
export function decodeViewState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const ns = p.get('namespaces');
  const queryTime = Number(p.get('queryTime'));
  return {
    namespaces:
      ns === null
        ? null
        : [...new Set(ns.split(',').map((s) => s.trim()).filter((s) => s.length > 0))],
    graphType: oneOf(p.get('graphType'), GRAPH_TYPE_OPTIONS, DEFAULT_VIEW.graphType, (s) => s as GraphType),
    duration: oneOf(p.get('duration'), DURATION_OPTIONS, DEFAULT_VIEW.duration, Number),
    refresh: oneOf(p.get('refresh'), REFRESH_OPTIONS, DEFAULT_VIEW.refresh, Number),
    layout: oneOf(p.get('layout'), LAYOUT_OPTIONS, DEFAULT_VIEW.layout, (s) => s as LayoutName),
    edgeLabels: oneOf(p.get('edgeLabels'), EDGE_LABEL_OPTIONS, DEFAULT_VIEW.edgeLabels, (s) => s as EdgeLabelMode),
    find: p.get('find') ?? '',
    hide: p.get('hide') ?? '',
    idle: parseBool(p.get('idle'), DEFAULT_VIEW.idle),
    queryTime: Number.isInteger(queryTime) && queryTime > 0 ? queryTime : null,
    focus: p.get('focus') || null,
    legend: parseBool(p.get('legend'), DEFAULT_VIEW.legend),
    zoom: parseZoom(p.get('zoom')),
    pan: parsePan(p.get('pan')),
    findingsOnly: p.get('findings') === 'only',
    ...decodeReplay(p),
  };
}

/**
 * Writes a view as a query string (without `?`). Values equal to the default are left out to keep
 * links short, except `namespaces`, whose absence means "pick the default selection": an explicit
 * empty selection is written as `namespaces=`.
 */
export function encodeViewState(view: ViewState): string {
  const p = new URLSearchParams();
  if (view.namespaces !== null) p.set('namespaces', view.namespaces.join(','));
  if (view.graphType !== DEFAULT_VIEW.graphType) p.set('graphType', view.graphType);
  if (view.duration !== DEFAULT_VIEW.duration) p.set('duration', String(view.duration));
  if (view.refresh !== DEFAULT_VIEW.refresh) p.set('refresh', String(view.refresh));
  if (view.layout !== DEFAULT_VIEW.layout) p.set('layout', view.layout);
  if (view.edgeLabels !== DEFAULT_VIEW.edgeLabels) p.set('edgeLabels', view.edgeLabels);
  if (view.find) p.set('find', view.find);
  if (view.hide) p.set('hide', view.hide);
  if (view.idle !== DEFAULT_VIEW.idle) p.set('idle', String(view.idle));
  if (view.queryTime !== null) p.set('queryTime', String(view.queryTime));
  if (view.focus) p.set('focus', view.focus);
  if (view.legend !== DEFAULT_VIEW.legend) p.set('legend', String(view.legend));
  if (view.zoom !== null) p.set('zoom', String(Math.round(view.zoom * 1000) / 1000));
  if (view.pan !== null) p.set('pan', `${Math.round(view.pan.x)},${Math.round(view.pan.y)}`);
  if (view.findingsOnly) p.set('findings', 'only');
  encodeReplay(view, p);
  // Commas in namespace lists are legal in a query string; keeping them readable makes links shareable.
  return p.toString().replace(/%2C/g, ',');
}

/** System namespaces left out of the default selection: they hold the control plane, not the user's apps. */
export const SYSTEM_NAMESPACES = new Set(['istio-system', 'kube-system']);

/** The selection used when the URL names no namespace. */
export function defaultNamespaces(available: string[]): string[] {
  return available.filter((n) => !SYSTEM_NAMESPACES.has(n));
}
