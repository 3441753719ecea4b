/** What the server reads a mesh from: an inventory plus a telemetry provider. One per cluster (or demo, or file set). */
import type { Inventory } from '@meshlens/mesh';
import type { ObjectRef, SourceStatus, SourceVisibility, TelemetrySamples } from '@meshlens/model';
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
