/** Payloads of the HTTP API other than the graph. */
import type { LoadError } from './kube.js';

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  /** Sidecar injection enabled by label (istio-injection=enabled or istio.io/rev). */
  injection: boolean;
  counts: { services: number; workloads: number; istioObjects: number };
}

export interface NamespacesResponse {
  namespaces: NamespaceInfo[];
  /**
   * What the console selects when the URL names no namespace: the source's showcase (the demo's
   * Bookinfo), or every application namespace when there are few; none on a big cluster, where
   * drawing everything at once is what makes graphs slow.
   */
  defaultNamespaces: string[];
}

export interface SourceStatus {
  name: string;
  kind: 'demo' | 'files' | 'kubernetes' | 'snapshot';
  state: 'ready' | 'loading' | 'error';
  objects: number;
  errors: LoadError[];
  telemetry: { kind: 'simulator' | 'prometheus' | 'samples' | 'none'; url?: string };
  /** Live sources: the kubeconfig context (or `in-cluster`) and its API server. */
  cluster?: string;
  server?: string;
  /** Live sources: every watch is open (false while any reconnects). */
  connected?: boolean;
  /** Live sources: when the last watch event (or list) arrived, ISO 8601. */
  lastEventTime?: string;
  /**
   * Live sources: since when some lists/watches cannot reach the API server (ISO 8601), and how many; the inventory
   * is then the one of that moment for those kinds, and Meshlens reconnects by itself (with backoff up to 30 s).
   */
  disconnectedSince?: string;
  disconnectedKinds?: number;
  objectsByKind?: Record<string, number>;
  /** Snapshot sources: when the snapshot was taken, ISO 8601 (UTC); the source it was taken from is `snapshotOf`. */
  capturedAt?: string;
  snapshotOf?: string;
  /** Live sources: what the identity may not read, and why. */
  visibility?: SourceVisibility;
}

/** A list or watch the API server refused (403): the RBAC verb and resource, and where. */
export interface ForbiddenAccess {
  kind: string;
  /** `pods`, `virtualservices.networking.istio.io` */
  resource: string;
  verb: 'list' | 'watch';
  /** Absent: across all namespaces, or a cluster-scoped kind. */
  namespace?: string;
  message: string;
}

/** Kinds and namespaces the console cannot show because RBAC denies them; empty lists when it sees everything. */
export interface SourceVisibility {
  complete: boolean;
  /** Kinds not visible in any namespace. */
  hiddenKinds: string[];
  /** Namespaces where at least one kind is not visible. */
  hiddenNamespaces: string[];
  forbidden: ForbiddenAccess[];
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version: string;
  /** Each source's state; empty for a caller without a session in token and header modes (liveness only). */
  sources: SourceStatus[];
}

export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
}

/** One kubeconfig context the server can show (`GET /api/clusters`). */
export interface ClusterInfo {
  /** Context name, the value of `?cluster=`. */
  context: string;
  cluster: string;
  server?: string;
  user?: string;
  namespace?: string;
  /** The kubeconfig's current-context. */
  current: boolean;
  /** The one served when a request names none. */
  default: boolean;
  /** Its source has been started (by a request or at start-up). */
  started: boolean;
  state?: SourceStatus['state'];
}

/** `GET /api/clusters`: the kubeconfig's contexts; none for the demo, files and snapshots. */
export interface ClustersResponse {
  /** The context served when a request names none; absent when the server reads no kubeconfig. */
  default?: string;
  clusters: ClusterInfo[];
}

/**
 * `POST /api/snapshots`: a snapshot file the browser sent (dropped on the page or chosen with "Open snapshot"),
 * now open on the server. Every API request with `?snapshot=<id>` is answered from it, offline.
 */
export interface OpenedSnapshot {
  /** The value of `?snapshot=`: derived from the file's content, so the same file always opens under the same id. */
  id: string;
  /** The source name its requests report ("Snapshot of Demo mesh taken 2026-11-22T03:57:00Z"). */
  name: string;
  /** The source the snapshot was taken from. */
  snapshotOf: string;
  /** When it was taken, ISO 8601 (UTC). */
  capturedAt: string;
  /** The console view (URL query) it was taken for: namespaces, graph type, duration, queryTime. */
  view: string;
  objects: number;
  /** Bytes of the file as sent. */
  bytes: number;
}

/**
 * What `GET /api/drafts/base` adds to the engine's input (DraftBaseResponse of @meshlens/mesh) for the what-if graph:
 * the inventory's version, and what the browser needs to re-run the demo's traffic simulator over drafted objects.
 */
export interface DraftBaseExtras {
  /** Changes whenever the source's inventory changes (also sent as the ETag, so a refresh can be a 304). */
  version: string;
  simulation: DraftSimulation;
}

/** `demo`: the traffic model and simulator options the server's simulator runs with; `none`: why there is none. */
export type DraftSimulation =
  | { kind: 'demo'; seed: number; cluster: string; /** @meshlens/demo's TrafficModel, as JSON. */ trafficModel: unknown }
  | { kind: 'none'; reason: string };
