/**
 * Time and metrics-over-time payloads: `GET /api/time-options` (which windows the telemetry can answer) and
 * `GET /api/metrics` (range series for the side panel's charts of a node or an edge).
 *
 * The same contract is served from Prometheus range queries and, in demo mode, from the simulator.
 */
import type { SourceStatus } from './api.js';

/** One duration the toolbar may offer. */
export interface DurationOption {
  /** Window length in seconds (the graph's `duration`). */
  seconds: number;
  /** Short human label: `1m`, `10m`, `1h`, `1d`, `30d`. */
  label: string;
}

/**
 * `GET /api/time-options`: durations from 1m to 30d, filtered by what the telemetry can answer
 * (no window longer than the retention, none shorter than ~4 scrape intervals, which `rate()` needs).
 */
export interface TimeOptionsResponse {
  /** Allowed durations, shortest first. Never empty. */
  durations: DurationOption[];
  /** The duration to select when the URL has none (600 when allowed, else the nearest allowed). */
  defaultDuration: number;
  /** Server clock, unix seconds, so the UI can compute "now" and "live" without trusting the browser's clock. */
  now: number;
  /**
   * The source's clock stands still at `now` (a snapshot: nothing exists after its capture), so "now" must not
   * advance with the browser's clock. Absent: a running clock.
   */
  frozen?: boolean;
  /** Prometheus' scrape interval in seconds (the simulator: 15). The finest useful chart `step`. */
  scrapeInterval: number;
  /** Telemetry retention in seconds, when known. */
  retention?: number;
  /**
   * Oldest `queryTime − duration` that has data, unix seconds (now − retention), when known. A replay or
   * a past `queryTime` earlier than this shows no traffic.
   */
  earliest?: number;
  telemetry: SourceStatus['telemetry']['kind'];
  /** Why a value is a default rather than read from Prometheus (e.g. "/api/v1/status/flags: 403 …"). */
  notes: string[];
}

/** Which graph node (or, with a peer, which edge) the series are about. Mirrors the labels a graph node carries. */
export interface MetricsTarget {
  namespace: string;
  /** Exactly one of workload / app / service selects the node. `version` narrows an `app` (versionedApp nodes). */
  workload?: string;
  app?: string;
  version?: string;
  service?: string;
}

/**
 * Query string of `GET /api/metrics` (all optional except `namespace` and one of workload/app/service):
 *
 * - `namespace`, `workload` | `app` [+ `version`] | `service`: the node, as in its `NodeData`.
 * - `direction` = `inbound` (default: traffic the node receives) | `outbound` (traffic it sends).
 *   Service nodes only have `inbound`.
 * - `peerNamespace`, `peerWorkload` | `peerApp` [+ `peerVersion`] | `peerService`: restrict to an edge. For an
 *   edge S → T ask for T with `direction=inbound` and S as the peer (or S with `direction=outbound` and T as
 *   the peer, e.g. when T is a service node with no workload).
 * - `start`, `end`: unix seconds (default: end = now, start = end − 600). For the graph's window use
 *   `start = queryTime − duration`, `end = queryTime`.
 * - `step`: seconds between points (default: (end − start) / 60, at least the scrape interval).
 *   At most 1000 points per request (400 otherwise).
 * - `rateInterval`: the `rate()` window per point in seconds (default: max(step, 4 × scrape interval)).
 *
 * Example (edge productpage v1 → reviews v2):
 * `/api/metrics?namespace=bookinfo&app=reviews&version=v2&direction=inbound&peerNamespace=bookinfo&peerApp=productpage&peerVersion=v1&start=…&end=…&step=30`
 */
export interface MetricsQuery extends MetricsTarget {
  direction?: 'inbound' | 'outbound';
  peerNamespace?: string;
  peerWorkload?: string;
  peerApp?: string;
  peerVersion?: string;
  peerService?: string;
  start?: number;
  end?: number;
  step?: number;
  rateInterval?: number;
}

/**
 * Series ids, grouped by the chart they belong to:
 * - `requests`: `requests.2xx`, `requests.3xx`, `requests.4xx`, `requests.5xx`, `requests.noResponse`
 *   (response code 0: reset, timeout, no upstream) in requests/second.
 * - `errors`: `errors.percent`: (4xx + 5xx + noResponse) / all × 100, as the graph's `httpPercentErr`.
 * - `latency`: `latency.p50`, `latency.p95`, `latency.p99` in milliseconds (from the duration histogram).
 * - `tcp`: `tcp.sent` (client → server bytes/s), `tcp.received` (server → client bytes/s), from the
 *   client's point of view whatever proxy reported it.
 */
export type MetricSeriesId =
  | 'requests.2xx'
  | 'requests.3xx'
  | 'requests.4xx'
  | 'requests.5xx'
  | 'requests.noResponse'
  | 'errors.percent'
  | 'latency.p50'
  | 'latency.p95'
  | 'latency.p99'
  | 'tcp.sent'
  | 'tcp.received';

export type MetricChart = 'requests' | 'errors' | 'latency' | 'tcp';

export interface MetricSeries {
  id: MetricSeriesId;
  chart: MetricChart;
  /** Legend text: `2xx`, `p95`, `sent`… */
  label: string;
  unit: 'req/s' | '%' | 'ms' | 'B/s';
  /**
   * One value per entry of `MetricsResponse.timestamps` (uPlot's columnar layout); `null` where there is no
   * data (no traffic, or a gap in scraping) so charts draw a gap rather than a false zero.
   */
  values: Array<number | null>;
}

/**
 * `GET /api/metrics` answer. Series with no value at any timestamp are left out, so an HTTP-only node
 * has no `tcp.*` series and the UI can hide that chart. `errors.percent` =
 * (4xx + 5xx + noResponse) / all × 100, Kiali's error rate, `null` where there were no requests.
 */
export interface MetricsResponse {
  target: MetricsTarget;
  direction: 'inbound' | 'outbound';
  peer?: MetricsTarget;
  start: number;
  end: number;
  step: number;
  rateInterval: number;
  /** Unix seconds, start..end by step (inclusive). */
  timestamps: number[];
  series: MetricSeries[];
  /** Things the user should know (telemetry down, series capped…); the series may then be empty. */
  warnings?: string[];
}
