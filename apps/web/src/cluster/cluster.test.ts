import type { HealthResponse, SourceStatus } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import { currentCluster, currentScope, currentSnapshot, hrefForCluster, pathOutsideObject, withScope } from './clusterParam';
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

  it('adds cluster= and snapshot= to API paths, except the context list, login and opening a file', () => {
    expect(withScope('/api/graph?namespaces=a,b', '?cluster=prod')).toBe('/api/graph?namespaces=a,b&cluster=prod');
    expect(withScope('/api/health', '?cluster=kind-dev%20cluster')).toBe('/api/health?cluster=kind-dev%20cluster');
    expect(withScope('/api/findings?cluster=x', '?cluster=prod')).toBe('/api/findings?cluster=x');
    expect(withScope('/api/clusters', '?cluster=prod')).toBe('/api/clusters');
    expect(withScope('/api/auth/info', '?cluster=prod')).toBe('/api/auth/info');
    expect(withScope('/api/health', '')).toBe('/api/health');
    expect(withScope('/api/graph?namespaces=a', '?namespaces=b&snapshot=Abc-_123')).toBe('/api/graph?namespaces=a&snapshot=Abc-_123');
    expect(withScope('/api/health', '?cluster=prod&snapshot=S1')).toBe('/api/health?cluster=prod&snapshot=S1');
    expect(withScope('/api/snapshots?name=a.json.gz', '?snapshot=S1')).toBe('/api/snapshots?name=a.json.gz');
    expect(withScope('/api/config/VirtualService/ns/vs#x', '?snapshot=S1')).toBe('/api/config/VirtualService/ns/vs?snapshot=S1#x');
    expect(currentSnapshot('?snapshot=S1&cluster=c')).toBe('S1');
    expect(currentScope('?snapshot=S1&cluster=c')).toEqual(['c', 'S1']);
    expect(currentScope('')).toEqual([null, null]);
  });

  it('switching drops what named the old cluster and leaves an object page for the list', () => {
    expect(hrefForCluster('staging', '/', '?namespaces=payments&refresh=5000&focus=n1&cluster=prod')).toBe('/?refresh=5000&cluster=staging');
    expect(hrefForCluster('prod', '/config/VirtualService/bookinfo/reviews', '?kinds=VirtualService')).toBe('/config?kinds=VirtualService&cluster=prod');
    expect(hrefForCluster('prod', '/', '?snapshot=S1&graphType=app')).toBe('/?graphType=app&cluster=prod');
    expect(hrefForCluster('prod', '/namespaces/shop/workloads/cart', '?duration=600')).toBe('/workloads?duration=600&cluster=prod');
  });

  it('leaves a page naming one object for the page listing its kind', () => {
    expect(pathOutsideObject('/config/Namespace/-/shop')).toBe('/config');
    expect(pathOutsideObject('/namespaces/shop/services/cart/')).toBe('/services');
    expect(pathOutsideObject('/namespaces/shop/applications/cart')).toBe('/applications');
    expect(pathOutsideObject('/config')).toBe('/config');
    expect(pathOutsideObject('/graph')).toBe('/graph');
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
