/**
 * The whole graph view as plain values, and its encoding in the URL query string, so that a reload,
 * a bookmark or a link from a test reproduces the same view. Parameter names follow Kiali's where
 * Kiali has one (`graphType`, `duration`, `refresh`, `namespaces`, `layout`), so Kiali users can
 * read them.
 */
import type { GraphType } from '@meshlens/model';
import { decodeReplay, DEFAULT_REPLAY, REPLAY_SPEEDS, type ReplayParams } from '../time/replayParams';
import type { WindowSearch } from '../router/carry';
import { boolParam, defined, enumParam, listParam, numberParam, parseSearch, searchText, stringifySearch, textParam, unixParam, type Explicit, type RawSearch } from '../router/search';

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
  /** Draw ambient waypoints as nodes (client → waypoint → workload); hidden by default, as in Kiali. URL `waypoints=true`. */
  waypoints: boolean;
  /** End of the window (unix seconds); null = now. */
  queryTime: number | null;
  /** Selected node or edge id. */
  focus: string | null;
  /** Show only the neighbourhood of `focus` this many hops away (1-3); null = the whole graph. URL `hops=2`. */
  hops: number | null;
  /** Visible nodes above which namespaces, then apps, collapse into groups; 0 = never. URL `budget=`. */
  budget: number;
  /** Groups kept open: namespaces (`team-04`) or apps (`team-04/reviews`). URL `expand=team-04,team-07`. */
  expand: string[];
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

export const HOPS_OPTIONS: Array<{ value: number; label: string }> = [
  { value: 0, label: 'Whole graph' },
  { value: 1, label: '1 hop' },
  { value: 2, label: '2 hops' },
  { value: 3, label: '3 hops' },
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
  waypoints: false,
  queryTime: null,
  focus: null,
  hops: null,
  budget: 300,
  expand: [],
  legend: false,
  zoom: null,
  pan: null,
  findingsOnly: false,
  ...DEFAULT_REPLAY,
};

/** The graph page's search params, validated: present only when the URL names them with a valid value. */
export interface GraphSearch extends WindowSearch {
  graphType?: GraphType;
  refresh?: number;
  layout?: LayoutName;
  edgeLabels?: EdgeLabelMode;
  find?: string;
  hide?: string;
  idle?: boolean;
  waypoints?: boolean;
  focus?: string;
  hops?: number;
  budget?: number;
  expand?: string[];
  legend?: boolean;
  zoom?: number;
  /** `pan=x,y` */
  pan?: [number, number];
  findings?: 'only';
  replayStart?: number;
  replayEnd?: number;
  replaySpeed?: number;
  replayAt?: number;
}

const values = <T,>(options: ReadonlyArray<{ value: T }>) => options.map((o) => o.value);

/**
 * A group kept open, as the server takes it (`expand` in its graph schema): a namespace, or namespace/app. Anything
 * else in a pasted or hand-edited link is dropped here, so one bad entry does not cost the whole graph.
 */
const EXPAND_KEY = /^[a-z0-9][-a-z0-9]*(\/[^,/]+)?$/;

function panParam(value: unknown): [number, number] | undefined {
  const text = searchText(value);
  const m = text === null ? null : /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * The graph route's `validateSearch`: unknown or invalid values are left out (the view falls back to its defaults)
 * rather than failing. Values equal to a default stay as the URL wrote them.
 */
export function validateGraphSearch(raw: RawSearch): GraphSearch {
  const replay = decodeReplay({ get: (key: string) => searchText(raw[key]) });
  return defined<GraphSearch>({
    namespaces: listParam(raw.namespaces),
    graphType: enumParam(raw.graphType, values(GRAPH_TYPE_OPTIONS)),
    duration: enumParam(numberParam(raw.duration), values(DURATION_OPTIONS)),
    refresh: enumParam(numberParam(raw.refresh), values(REFRESH_OPTIONS)),
    layout: enumParam(raw.layout, values(LAYOUT_OPTIONS)),
    edgeLabels: enumParam(raw.edgeLabels, values(EDGE_LABEL_OPTIONS)),
    find: textParam(raw.find),
    hide: textParam(raw.hide),
    idle: boolParam(raw.idle),
    waypoints: boolParam(raw.waypoints),
    queryTime: unixParam(raw.queryTime),
    focus: textParam(raw.focus),
    hops: numberParam(raw.hops, (h) => Number.isInteger(h) && h >= 1 && h <= 3),
    budget: numberParam(raw.budget, (b) => Number.isInteger(b) && b >= 0 && b <= 100_000),
    expand: listParam(raw.expand)?.filter((key) => EXPAND_KEY.test(key)),
    legend: boolParam(raw.legend),
    // The graph's own zoom limits (GraphView): anything outside is a broken link, so fit instead.
    zoom: numberParam(raw.zoom, (z) => z >= 0.05 && z <= 4),
    pan: panParam(raw.pan),
    findings: raw.findings === 'only' ? 'only' : undefined,
    replayStart: replay.replayStart ?? undefined,
    replayEnd: replay.replayEnd ?? undefined,
    replaySpeed: enumParam(numberParam(raw.replaySpeed), REPLAY_SPEEDS),
    replayAt: replay.replayAt ?? undefined,
  });
}

/** The whole view from the validated search (defaults for what it leaves out). */
export function viewFromSearch(search: GraphSearch): ViewState {
  return {
    namespaces: search.namespaces ?? null,
    graphType: search.graphType ?? DEFAULT_VIEW.graphType,
    duration: search.duration ?? DEFAULT_VIEW.duration,
    refresh: search.refresh ?? DEFAULT_VIEW.refresh,
    layout: search.layout ?? DEFAULT_VIEW.layout,
    edgeLabels: search.edgeLabels ?? DEFAULT_VIEW.edgeLabels,
    find: search.find ?? '',
    hide: search.hide ?? '',
    idle: search.idle ?? DEFAULT_VIEW.idle,
    waypoints: search.waypoints ?? DEFAULT_VIEW.waypoints,
    queryTime: search.queryTime ?? null,
    focus: search.focus ?? null,
    hops: search.hops ?? null,
    budget: search.budget ?? DEFAULT_VIEW.budget,
    expand: search.expand ?? [],
    legend: search.legend ?? DEFAULT_VIEW.legend,
    zoom: search.zoom ?? null,
    pan: search.pan ? { x: search.pan[0], y: search.pan[1] } : null,
    findingsOnly: search.findings === 'only',
    replayStart: search.replayStart ?? null,
    replayEnd: search.replayEnd ?? null,
    replaySpeed: (search.replaySpeed as ViewState['replaySpeed'] | undefined) ?? DEFAULT_REPLAY.replaySpeed,
    replayAt: search.replayAt ?? null,
  };
}

/**
 * The search for a view, every key present: defaults are `undefined` (left out of the URL, and not carried over
 * from the page being left, see router/carry.ts), except `namespaces`, whose absence means "pick the default
 * selection": an explicit empty selection is the empty list (`namespaces=`). Keys in the order links show them.
 */
export function searchFromView(view: ViewState): Explicit<GraphSearch> {
  const replaying = view.replayStart !== null && view.replayEnd !== null;
  const differs = <K extends keyof ViewState>(key: K) => (view[key] !== DEFAULT_VIEW[key] ? view[key] : undefined);
  return {
    namespaces: view.namespaces ?? undefined,
    graphType: differs('graphType'),
    duration: differs('duration'),
    refresh: differs('refresh'),
    layout: differs('layout'),
    edgeLabels: differs('edgeLabels'),
    find: view.find || undefined,
    hide: view.hide || undefined,
    idle: differs('idle'),
    waypoints: differs('waypoints'),
    queryTime: view.queryTime ?? undefined,
    focus: view.focus || undefined,
    hops: view.hops ?? undefined,
    budget: differs('budget'),
    expand: view.expand.length > 0 ? view.expand : undefined,
    legend: differs('legend'),
    zoom: view.zoom !== null ? Math.round(view.zoom * 1000) / 1000 : undefined,
    pan: view.pan !== null ? [Math.round(view.pan.x), Math.round(view.pan.y)] : undefined,
    findings: view.findingsOnly ? 'only' : undefined,
    replayStart: replaying ? view.replayStart! : undefined,
    replayEnd: replaying ? view.replayEnd! : undefined,
    replaySpeed: replaying && view.replaySpeed !== DEFAULT_REPLAY.replaySpeed ? view.replaySpeed : undefined,
    replayAt: replaying && view.replayAt !== null ? view.replayAt : undefined,
  };
}

/** Reads a view from a query string; unknown or invalid values fall back to the defaults rather than failing. */
export function decodeViewState(search: string): ViewState {
  return viewFromSearch(validateGraphSearch(parseSearch(search)));
}

/** Writes a view as a query string (without `?`), defaults left out to keep links short. */
export function encodeViewState(view: ViewState): string {
  return stringifySearch(searchFromView(view)).replace(/^\?/, '');
}

/** System namespaces left out of the default selection: they hold the control plane, not the user's apps. */
export const SYSTEM_NAMESPACES = new Set(['istio-system', 'kube-system']);

/** The selection used when the URL names no namespace. */
export function defaultNamespaces(available: string[]): string[] {
  return available.filter((n) => !SYSTEM_NAMESPACES.has(n));
}
