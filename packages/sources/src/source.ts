/** What the server reads a mesh from: an inventory plus a telemetry provider. One per cluster (or demo, or file set). */
import type { Inventory, PodStatusProvider } from '@meshlens/mesh';
import type { GraphType, ObjectRef, SourceStatus, SourceVisibility, TelemetrySamples } from '@meshlens/model';
import type { TelemetryMatrix, TelemetryMatrixQuery, TelemetryRangePoints, TelemetryRangeQuery, TelemetryTimeInfo } from './telemetry-range.js';

export interface TelemetryQuery {
  /** End of the window, unix seconds. */
  queryTime: number;
  /** Window length, seconds. */
  duration: number;
  namespaces: string[];
  /**
   * Also fetch the request-duration histogram (edge p50/p95/p99). It is by far the largest query — one series
   * per edge, reporter and bucket — so, as Kiali does with its responseTime appender, callers ask for it only
   * when they show response times. Default true.
   */
  responseTimes?: boolean;
  /**
   * The graph type the samples are drawn as, when known: Prometheus then computes each edge's quantiles itself
   * (`istio_request_duration_milliseconds_quantile`) and sends buckets only for edges of several pairs. Without
   * it (snapshots, entity pages), every pair's buckets, which draw any graph type.
   */
  graphType?: GraphType;
}

export interface TelemetryProvider {
  kind: SourceStatus['telemetry']['kind'];
  url?: string;
  /** Rates of the Istio metrics over the window, as Prometheus instant vectors. */
  samples(query: TelemetryQuery): Promise<TelemetrySamples>;
  /** Series over time for one node or edge (side-panel charts); absent when the provider has no history. */
  range?(query: TelemetryRangeQuery): Promise<TelemetryRangePoints>;
  /** Scrape interval and retention, for the durations the UI offers. */
  timeInfo?(): Promise<TelemetryTimeInfo>;
  /**
   * The chart families of every namespace over a window (what a snapshot records for its charts): a constant
   * number of queries; absent when the provider has no history.
   */
  rangeMatrix?(query: TelemetryMatrixQuery): Promise<TelemetryMatrix>;
  /**
   * A sentence for the graph's warnings when `samples(query)` answers another window than the one asked (a
   * snapshot holds only its recorded windows); undefined when the answer is the window asked.
   */
  windowNote?(query: TelemetryQuery): string | undefined;
}

export interface MeshSource {
  name: string;
  kind: SourceStatus['kind'];
  inventory(): Inventory;
  /** Namespaces the console opens on when the user has chosen none (the demo's showcase). */
  defaultNamespaces?: string[];
  /** The moment (unix seconds) views without a `queryTime` show; absent = now. A snapshot has only its capture moment. */
  defaultQueryTime?: number;
  telemetry: TelemetryProvider;
  status(): SourceStatus;
  /** Live sources: called after each inventory rebuild with the objects that changed; returns unsubscribe. */
  subscribe?(listener: (change: InventoryChange) => void): () => void;
  /** Live sources: the kinds and namespaces RBAC hides. */
  visibility?(): SourceVisibility;
  /** Live sources: resolves true once every kind has been listed, false after `timeoutMs`. */
  synced?(timeoutMs?: number): Promise<boolean>;
  /** Live sources: stops every watch. */
  close?(): Promise<void>;
  /**
   * A pod's log (`GET …/pods/{pod}/log` with `timestamps=true`), read with this source's identity. Absent: the source
   * has no logs (manifest files, snapshots); callers answer with `podLogsUnavailable(kind)`. Fails with a PodLogError.
   */
  podLogs?(query: PodLogQuery): Promise<PodLogStream>;
  /** Pod runtime state the inventory does not carry (the demo's simulated pods); absent: Pod objects' own status only. */
  podStatus?: PodStatusProvider;
}

/** A request for one container's log: the API server's `pods/log` parameters. */
export interface PodLogQuery {
  namespace: string;
  pod: string;
  /** Required when the pod has several containers (the API server answers 400 otherwise). */
  container?: string;
  /** The newest lines only. */
  tailLines?: number;
  /** Lines of the last seconds only. */
  sinceSeconds?: number;
  /** Keep the stream open and send new lines as they are written. */
  follow?: boolean;
  /** Stops a followed stream (the client went away). */
  signal?: AbortSignal;
}

/** A container's log as the kubelet serves it with `timestamps=true`: lines `<RFC 3339 nano> <message>`, oldest first. */
export interface PodLogStream {
  /** The container read (the only one when the query named none). */
  container: string;
  /** Lines without their newline; with `follow`, new lines as they come until the container stops or the signal aborts. */
  lines: AsyncIterable<string>;
}

/**
 * Why a log cannot be read, with the HTTP status the API answers: 404 (no such pod or container), 400 (which
 * container?), 403 (RBAC: the message names the verb, resource and namespace), 501 (the source has no logs), 502
 * (the API server failed).
 */
export class PodLogError extends Error {
  constructor(readonly statusCode: 400 | 403 | 404 | 501 | 502, message: string) {
    super(message);
    this.name = 'PodLogError';
  }
}

/** The answer of a source that has no logs, in words the page can show. */
export function podLogsUnavailable(kind: MeshSource['kind']): PodLogError {
  const what = kind === 'snapshot'
    ? 'Snapshots do not carry logs: a snapshot records the configuration and the telemetry of its window, never pod logs.'
    : kind === 'files'
      ? 'Manifest files do not carry logs: Meshlens reads logs from a live cluster (--kubeconfig, --context or --in-cluster).'
      : `This source (${kind}) has no pod logs.`;
  return new PodLogError(501, what);
}

/** What one rebuild of a live inventory changed. */
export interface InventoryChange {
  inventory: Inventory;
  /** Objects added or modified since the previous rebuild. */
  changed: ObjectRef[];
  removed: ObjectRef[];
  /** When the first of these watch events arrived (performance.now()), to measure event-to-inventory time. */
  firstEventAt: number;
}

/** Telemetry that is not there: the graph still shows the configuration topology. */
export const noTelemetry: TelemetryProvider = {
  kind: 'none',
  async samples() {
    return {};
  },
};
