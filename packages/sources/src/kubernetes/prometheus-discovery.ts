/**
 * Finds the cluster's Prometheus and describes how to reach it through the API server's service proxy, so that
 * `meshlens serve --context prod` needs no --prometheus on a laptop.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type https from 'node:https';
import { createKubeClient, KubeApiError, type KubeClient } from './http.js';

/** How to talk to the Prometheus found: `url`, `headers` and `caFile`/`insecure` fit PrometheusClientOptions. */
export interface DiscoveredPrometheus {
  /** `<server>/api/v1/namespaces/<ns>/services/<name>:<port>/proxy` */
  url: string;
  /** The kubeconfig's credentials (Authorization), as the API server wants them on the proxy path too. */
  headers: Record<string, string>;
  /** The API server's CA, as a file when the kubeconfig names one, else as PEM. */
  caFile?: string;
  ca?: string;
  /** Client certificate and key (PEM) when the kubeconfig authenticates with one. */
  cert?: string;
  key?: string;
  insecure?: boolean;
  service: { namespace: string; name: string; port: string };
  /** For the UI and logs: `Prometheus istio-system/prometheus:9090 through the API server proxy`. */
  description: string;
}

interface ServiceLike {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec?: { ports?: Array<{ name?: string; port: number }> };
}

const WELL_KNOWN = [{ namespace: 'istio-system', name: 'prometheus' }];
const SELECTORS = ['app.kubernetes.io/name=prometheus', 'app=prometheus'];
/** Services that carry a Prometheus label but are not the query API. */
const NOT_PROMETHEUS = /alertmanager|pushgateway|node-exporter|kube-state-metrics|operator|blackbox/;

/** Looks for `prometheus` in istio-system, then for a Service labelled as Prometheus; undefined when none is visible. */
export async function discoverPrometheus(kc: KubeConfig, options: { client?: KubeClient } = {}): Promise<DiscoveredPrometheus | undefined> {
  const client = options.client ?? createKubeClient(kc);
  const service = await findService(client);
  if (!service) return undefined;
  const ports = service.spec?.ports ?? [];
  const port = ports.find((p) => p.port === 9090) ?? ports.find((p) => ['http', 'web', 'http-web', 'http-prometheus'].includes(p.name ?? '')) ?? ports[0];
  if (!port) return undefined;
  const portRef = port.name ? port.name : String(port.port);
  const { namespace, name } = service.metadata;
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  const cluster = kc.getCurrentCluster();
  const pem = (v: unknown) => (v === undefined || v === null ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
  return {
    url: `${client.server}/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}:${encodeURIComponent(portRef)}/proxy`,
    headers,
    ...(cluster?.caFile ? { caFile: cluster.caFile } : {}),
    ...(opts.ca ? { ca: pem(opts.ca) } : {}),
    ...(opts.cert ? { cert: pem(opts.cert) } : {}),
    ...(opts.key ? { key: pem(opts.key) } : {}),
    ...(cluster?.skipTLSVerify ? { insecure: true } : {}),
    service: { namespace, name, port: portRef },
    description: `Prometheus ${namespace}/${name}:${port.port} through the API server proxy`,
  };
}

async function findService(client: KubeClient): Promise<ServiceLike | undefined> {
  for (const { namespace, name } of WELL_KNOWN) {
    try {
      return await client.getJson<ServiceLike>(`/api/v1/namespaces/${namespace}/services/${name}`);
    } catch (e) {
      if (!(e instanceof KubeApiError) || (e.statusCode !== 404 && e.statusCode !== 403)) throw e;
    }
  }
  for (const selector of SELECTORS) {
    let items: ServiceLike[] = [];
    try {
      items = (await client.getJson<{ items?: ServiceLike[] }>(`/api/v1/services?labelSelector=${encodeURIComponent(selector)}`)).items ?? [];
    } catch (e) {
      if (!(e instanceof KubeApiError) || e.statusCode !== 403) throw e;
    }
    // Several candidates: prefer the one next to Istio, then a monitoring namespace.
    const candidates = items.filter((s) => !NOT_PROMETHEUS.test(s.metadata.name));
    const rank = (s: ServiceLike) => (s.metadata.namespace === 'istio-system' ? 0 : /monitoring|prometheus/.test(s.metadata.namespace) ? 1 : 2);
    candidates.sort((a, b) => rank(a) - rank(b) || a.metadata.namespace.localeCompare(b.metadata.namespace) || a.metadata.name.localeCompare(b.metadata.name));
    if (candidates[0]) return candidates[0];
  }
  return undefined;
}
