/**
 * What one console user sees: their own live source (listed and watched with their identity, so the API server's
 * RBAC decides), plus two guards for what the user's source does not read itself:
 * - telemetry comes from the cluster's Prometheus, queried with Meshlens's identity, so samples that name a
 *   namespace the user cannot see are dropped: an edge to a hidden namespace is that namespace's traffic;
 * - namespaces where the user can read nothing are not named in the visibility report (their names came from
 *   Meshlens's own list, which the user may not be allowed to see).
 */
import type { PromSample, SourceStatus, SourceVisibility, TelemetrySamples } from '@meshlens/model';
import type { FamilySeries, KubernetesSource, MeshSource, TelemetryMatrix, TelemetryMatrixQuery, TelemetryProvider } from '@meshlens/sources';

/** The labels of the Istio metrics that name a namespace (either end of an edge). */
const NAMESPACE_LABELS = ['source_workload_namespace', 'destination_service_namespace', 'destination_workload_namespace'];

/** True when every namespace the sample names is visible (Istio writes `unknown` for traffic from outside). */
export function sampleVisible(sample: Pick<PromSample, 'metric'>, visible: ReadonlySet<string>): boolean {
  for (const label of NAMESPACE_LABELS) {
    const ns = sample.metric[label];
    if (ns && ns !== 'unknown' && !visible.has(ns)) return false;
  }
  return true;
}

/** Telemetry limited to `visibleNamespaces()`, reading through to whatever provider `base()` currently returns. */
export function scopedTelemetry(base: () => TelemetryProvider, visibleNamespaces: () => ReadonlySet<string>): TelemetryProvider {
  return {
    get kind() {
      return base().kind;
    },
    get url() {
      return base().url;
    },
    async samples(query) {
      const visible = visibleNamespaces();
      const namespaces = query.namespaces.filter((n) => visible.has(n));
      if (namespaces.length === 0) return {};
      const all = await base().samples({ ...query, namespaces });
      const out: TelemetrySamples = {};
      for (const [metric, samples] of Object.entries(all) as Array<[keyof TelemetrySamples, PromSample[] | undefined]>) {
        if (samples) out[metric] = samples.filter((s) => sampleVisible(s, visible));
      }
      return out;
    },
    async range(query) {
      const provider = base();
      if (!provider.range) throw new Error('this telemetry has no history');
      const visible = visibleNamespaces();
      // A chart of one node or edge: refuse when it names a namespace the user cannot see.
      const hidden = query.matchers.find((m) => NAMESPACE_LABELS.includes(m.label) && m.op === '=' && m.value !== 'unknown' && !visible.has(m.value));
      if (hidden) throw Object.assign(new Error(`namespace "${hidden.value}" is not visible to you`), { statusCode: 403 });
      return provider.range(query);
    },
    timeInfo: () => base().timeInfo?.() ?? Promise.resolve({ scrapeInterval: 15, notes: [] }),
    // A snapshot's charts, taken by this user: the visible namespaces only, and no series naming a hidden one.
    get rangeMatrix() {
      const provider = base();
      if (!provider.rangeMatrix) return undefined;
      return async (query: TelemetryMatrixQuery): Promise<TelemetryMatrix> => {
        const visible = visibleNamespaces();
        const m = await provider.rangeMatrix!({ ...query, namespaces: query.namespaces.filter((n) => visible.has(n)) });
        const families: TelemetryMatrix['families'] = {};
        for (const [family, list] of Object.entries(m.families) as Array<[keyof TelemetryMatrix['families'], FamilySeries[] | undefined]>) {
          if (list) families[family] = list.filter((s) => sampleVisible(s, visible));
        }
        return { ...m, families };
      };
    },
  };
}

/** Drops the forbidden entries of namespaces the user cannot see at all. */
export function scopedVisibility(v: SourceVisibility, visible: ReadonlySet<string>): SourceVisibility {
  const forbidden = v.forbidden.filter((f) => f.namespace === undefined || visible.has(f.namespace));
  return { complete: forbidden.length === 0, hiddenKinds: v.hiddenKinds, hiddenNamespaces: v.hiddenNamespaces.filter((n) => visible.has(n)), forbidden };
}

export interface IdentityView extends MeshSource {
  user: string;
}

/** Wraps a user's source: names it after the user and applies the two guards above. */
export function identityView(source: KubernetesSource, user: string): IdentityView {
  const visible = () => new Set(source.inventory().namespaces.keys());
  const view: IdentityView = {
    user,
    get name() {
      return `${source.name} as ${user}`;
    },
    kind: 'kubernetes',
    telemetry: source.telemetry,
    inventory: () => source.inventory(),
    visibility: () => scopedVisibility(source.visibility(), visible()),
    status: (): SourceStatus => {
      const s = source.status();
      return { ...s, name: view.name, ...(s.visibility ? { visibility: scopedVisibility(s.visibility, visible()) } : {}) };
    },
    subscribe: (listener) => source.subscribe(listener),
    synced: (timeoutMs) => source.synced(timeoutMs),
    // Logs are read with the user's own credentials (the source's kubeconfig), so RBAC on pods/log decides.
    ...(source.podLogs ? { podLogs: source.podLogs.bind(source) } : {}),
    ...(source.podStatus ? { podStatus: source.podStatus } : {}),
    close: () => source.close(),
  };
  return view;
}
