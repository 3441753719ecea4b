/** What the server reads a mesh from: an inventory plus a telemetry provider. One per cluster (or demo, or file set). */
import type { Inventory } from '@meshlens/mesh';
import type { SourceStatus, TelemetrySamples } from '@meshlens/model';

export interface TelemetryQuery {
  /** End of the window, unix seconds. */
  queryTime: number;
  /** Window length, seconds. */
  duration: number;
  namespaces: string[];
}

export interface TelemetryProvider {
  kind: SourceStatus['telemetry']['kind'];
  url?: string;
  /** Rates of the Istio metrics over the window, as Prometheus instant vectors. */
  samples(query: TelemetryQuery): Promise<TelemetrySamples>;
}

export interface MeshSource {
  name: string;
  kind: SourceStatus['kind'];
  inventory(): Inventory;
  /** Namespaces the console opens on when the user has chosen none (the demo's showcase). */
  defaultNamespaces?: string[];
  telemetry: TelemetryProvider;
  status(): SourceStatus;
}

/** Telemetry that is not there: the graph still shows the configuration topology. */
export const noTelemetry: TelemetryProvider = {
  kind: 'none',
  async samples() {
    return {};
  },
};
