import type { HealthResponse, SourceStatus } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import { carryCluster, currentCluster, hrefForCluster, withCluster } from './clusterParam';
import { describeHealth, displayTelemetryUrl } from './sourceText';
import { visibilityNotices } from './visibility';

const live = (over: Partial<SourceStatus>): SourceStatus => ({
  name: 'kubernetes prod', kind: 'kubernetes', state: 'ready', objects: 12, errors: [], telemetry: { kind: 'none' }, cluster: 'prod', connected: true, ...over,
});
const health = (sources: SourceStatus[]): HealthResponse => ({ status: 'ok', version: '0.1.0', sources });

describe('cluster parameter', () => {
  it('reads the selection from the page URL', () => {
    expect(currentCluster('?namespaces=a&cluster=prod')).toBe('prod');
    expect(currentCluster('?cluster=')).toBeNull();
    expect(currentCluster('')).toBeNull();
  });

  it('adds cluster= to API paths, except the context list and login', () => {
    expect(withCluster('/api/graph?namespaces=a,b', 'prod')).toBe('/api/graph?namespaces=a,b&cluster=prod');
    expect(withCluster('/api/health', 'kind-dev cluster')).toBe('/api/health?cluster=kind-dev%20cluster');
    expect(withCluster('/api/findings?cluster=x', 'prod')).toBe('/api/findings?cluster=x');
    expect(withCluster('/api/clusters', 'prod')).toBe('/api/clusters');
    expect(withCluster('/api/auth/info', 'prod')).toBe('/api/auth/info');
    expect(withCluster('/api/health', null)).toBe('/api/health');
  });

  it('keeps the cluster across in-app links that do not name one', () => {
    expect(carryCluster('/config?namespaces=bookinfo', '?cluster=staging')).toBe('/config?namespaces=bookinfo&cluster=staging');
    expect(carryCluster('/', '?cluster=staging')).toBe('/?cluster=staging');
    expect(carryCluster('/?cluster=prod', '?cluster=staging')).toBe('/?cluster=prod');
    expect(carryCluster('/config', '')).toBe('/config');
  });

  it('switching drops what named the old cluster and leaves an object page for the list', () => {
    expect(hrefForCluster('staging', '/', '?namespaces=payments&refresh=5000&focus=n1&cluster=prod')).toBe('/?refresh=5000&cluster=staging');
    expect(hrefForCluster('prod', '/config/VirtualService/bookinfo/reviews', '?kinds=VirtualService')).toBe('/config?kinds=VirtualService&cluster=prod');
  });
});

describe('status line', () => {
  it('names the cluster and the Prometheus behind the API server proxy', () => {
    const url = 'https://10.0.0.1:6443/api/v1/namespaces/istio-system/services/prometheus:9090/proxy';
    expect(describeHealth(health([live({ telemetry: { kind: 'prometheus', url } })]))).toBe('cluster prod · Prometheus http://prometheus.istio-system:9090 (via API server proxy)');
    expect(displayTelemetryUrl('https://a:6443/api/v1/namespaces/monitoring/services/https:prom-k8s:web/proxy/')).toBe('https://prom-k8s.monitoring:web (via API server proxy)');
  });

  it('never shows credentials, tokens in the query, or a broken URL', () => {
    expect(displayTelemetryUrl('https://admin:s3cret@prom.example.com:9090/?token=abc#x')).toBe('https://prom.example.com:9090');
    expect(displayTelemetryUrl('user:pw@nohost')).toBe('(URL not shown)');
    expect(describeHealth(health([live({ telemetry: { kind: 'prometheus', url: 'http://u:p@prom:9090' } })]))).not.toMatch(/u:p|@/);
  });

  it('says when watches reconnect or the first sync is running, and leaves other sources as they were', () => {
    expect(describeHealth(health([live({ connected: false })]))).toBe('cluster prod · no telemetry (configured topology only) · reconnecting');
    expect(describeHealth({ ...health([live({ state: 'loading' })]), status: 'degraded' })).toBe('cluster prod · no telemetry (configured topology only) · loading · degraded');
    expect(describeHealth(health([{ name: 'Demo mesh', kind: 'demo', state: 'ready', objects: 3, errors: [], telemetry: { kind: 'simulator' } }]))).toBe('Demo mesh · simulated telemetry');
  });
});

describe('visibility notices', () => {
  it('lists what is hidden and why, one line per verb and place', () => {
    const notices = visibilityNotices(health([live({
      visibility: {
        complete: false, hiddenKinds: ['Secret'], hiddenNamespaces: ['payments'],
        forbidden: [
          { kind: 'VirtualService', resource: 'virtualservices.networking.istio.io', verb: 'list', namespace: 'payments', message: 'virtualservices.networking.istio.io is forbidden: User "jane" cannot list resource' },
          { kind: 'VirtualService', resource: 'virtualservices.networking.istio.io', verb: 'list', namespace: 'payments', message: 'again' },
          { kind: 'DestinationRule', resource: 'destinationrules.networking.istio.io', verb: 'list', namespace: 'payments', message: 'destinationrules forbidden' },
          { kind: 'Secret', resource: 'secrets', verb: 'watch', message: 'secrets is forbidden' },
        ],
      },
    }), live({ cluster: 'staging', visibility: { complete: true, hiddenKinds: [], hiddenNamespaces: [], forbidden: [] } })]));
    expect(notices).toEqual([{
      source: 'prod',
      summary: 'Not visible to this identity: namespace payments; kind Secret. The graph and findings leave them out.',
      reasons: [
        { text: 'cannot list virtualservices.networking.istio.io, destinationrules.networking.istio.io in namespace payments (RBAC: verb list)', message: 'virtualservices.networking.istio.io is forbidden: User "jane" cannot list resource\ndestinationrules forbidden' },
        { text: 'cannot watch secrets across all namespaces (RBAC: verb watch)', message: 'secrets is forbidden' },
      ],
    }]);
    expect(visibilityNotices(undefined)).toEqual([]);
  });
});
