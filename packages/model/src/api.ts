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
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version: string;
  sources: SourceStatus[];
}

export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
}
