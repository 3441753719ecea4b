import { describe, expect, it } from 'vitest';
import { buildInventory, parseManifests, traceRequest, type Inventory } from '@meshlens/mesh';
import { loadDemoManifests, loadTrafficModel, type DemoFile } from './scenarios.js';
import { createSimulator } from './simulator/simulator.js';
import { T, total, trace } from './__fixtures__/support.js';

function inventoryFrom(files: DemoFile[]): Inventory {
  const objects = [];
  const errors = [];
  for (const f of files) {
    const parsed = parseManifests(f.text, { file: f.file, source: 'demo' });
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  }
  return buildInventory(objects, errors);
}

const files = loadDemoManifests();
const inv = inventoryFrom(files);
const model = loadTrafficModel();
const sim = createSimulator(inv, model, { seed: 1, trace });
const mine = ['gateway-api-ingress', 'gateway-api-bookinfo', 'gateway-api-egress'];

describe('the Gateway API demo scenarios', () => {
  it('load without errors, each with its traffic file, in namespaces of their own', () => {
    const own = files.filter((f) => mine.some((m) => f.file === `scenarios/${m}.yaml`));
    expect(own.map((f) => f.file).sort()).toEqual(mine.map((m) => `scenarios/${m}.yaml`).sort());
    expect(inv.errors.filter((e) => e.file !== undefined && mine.some((m) => e.file!.includes(m)))).toEqual([]);
    expect(model.scenarios.filter((s) => mine.includes(s.scenario)).map((s) => s.scenario).sort()).toEqual([...mine].sort());
    const namespaces = inv.objects.filter((o) => o.origin.file !== undefined && mine.some((m) => o.origin.file!.includes(m))).map((o) => o.ref.namespace).filter((n) => n !== undefined);
    expect([...new Set(namespaces)].sort()).toEqual(['gwapi-bookinfo', 'gwapi-egress', 'gwapi-ingress']);
    expect(inv.gatewayApi.Gateway.map((g) => `${g.ref.namespace}/${g.ref.name}`).filter((n) => n.startsWith('gwapi-')).sort())
      .toEqual(['gwapi-bookinfo/bookinfo-gateway', 'gwapi-egress/cnn-egress-gateway', 'gwapi-ingress/httpbin-gateway']);
  });

  it('resolve every class through the routing core without problems', () => {
    expect(sim.problems).toEqual([]);
  });

  it('send httpbin.gwapi.example.com from the Gateway API gateway workload to httpbin, and /headers to 404 NR', () => {
    const s = sim.samplesAt(T, 600);
    const from = { reporter: 'source', source_workload: 'httpbin-gateway-istio', source_workload_namespace: 'gwapi-ingress' };
    const ok = total(s, 'istio_requests_total', { ...from, destination_workload: 'httpbin', destination_workload_namespace: 'gwapi-ingress', response_code: '200' });
    const nr = total(s, 'istio_requests_total', { ...from, response_code: '404', response_flags: 'NR' });
    expect(ok).toBeGreaterThan(0);
    expect(nr).toBeGreaterThan(0);
    // /status and /delay (3.5 rps) against /headers (0.3 rps)
    expect(nr / (ok + nr)).toBeGreaterThan(0.05);
    expect(nr / (ok + nr)).toBeLessThan(0.1);
  });

  it('split productpage → reviews as HTTPRoute reviews declares: 80/20 v1/v3 for anonymous users, v2 for jason', () => {
    const s = sim.samplesAt(T, 600);
    const from = { reporter: 'source', source_workload: 'productpage-v1', source_workload_namespace: 'gwapi-bookinfo', destination_service_namespace: 'gwapi-bookinfo' };
    const v1 = total(s, 'istio_requests_total', { ...from, destination_workload: 'reviews-v1' });
    const v2 = total(s, 'istio_requests_total', { ...from, destination_workload: 'reviews-v2' });
    const v3 = total(s, 'istio_requests_total', { ...from, destination_workload: 'reviews-v3' });
    expect(v1 / (v1 + v3)).toBeCloseTo(0.8, 1);
    expect(v3 / (v1 + v3)).toBeCloseTo(0.2, 1);
    // jason is 2 of 10 rps
    expect(v2 / (v1 + v2 + v3)).toBeCloseTo(0.2, 1);
    // the gateway's requests reach productpage through the Gateway API gateway
    expect(total(s, 'istio_requests_total', { reporter: 'source', source_workload: 'bookinfo-gateway-istio', destination_workload: 'productpage-v1' })).toBeGreaterThan(0);
  });

  it('send sleep → edition.cnn.com through the Gateway API egress gateway, never PassthroughCluster', () => {
    const s = sim.samplesAt(T, 600);
    const toGateway = total(s, 'istio_requests_total', { reporter: 'source', source_workload: 'sleep', source_workload_namespace: 'gwapi-egress', destination_workload: 'cnn-egress-gateway-istio' });
    const out = total(s, 'istio_requests_total', { reporter: 'source', source_workload: 'cnn-egress-gateway-istio', source_workload_namespace: 'gwapi-egress', destination_service: 'edition.cnn.com' });
    expect(toGateway).toBeGreaterThan(0);
    expect(out).toBeGreaterThan(0);
    expect(total(s, 'istio_requests_total', { source_workload: 'sleep', source_workload_namespace: 'gwapi-egress', destination_service_name: 'PassthroughCluster' })).toBe(0);
  });

  it('explain the egress path hop by hop with the deciding HTTPRoute rules', () => {
    const r = traceRequest(inv, { source: { kind: 'workload', namespace: 'gwapi-egress', name: 'sleep' }, protocol: 'http', host: 'edition.cnn.com', port: 80, path: '/politics' });
    expect(r.problems).toEqual([]);
    expect(r.paths.map((p) => p.hops.map((h) => `${h.decidedBy.map((d) => `${d.object.kind.split('.')[0]} ${d.object.name} ${d.path}`).join('; ')}`))).toEqual([[
      'HTTPRoute direct-cnn-to-egress-gateway spec.parentRefs[0]; HTTPRoute direct-cnn-to-egress-gateway spec.rules[0]; HTTPRoute direct-cnn-to-egress-gateway spec.rules[0].backendRefs[0]',
      'Service cnn-egress-gateway-istio spec.selector',
      'Gateway cnn-egress-gateway spec.listeners[0]; HTTPRoute forward-cnn-from-egress-gateway spec.parentRefs[0]; HTTPRoute forward-cnn-from-egress-gateway spec.hostnames[0]; HTTPRoute forward-cnn-from-egress-gateway spec.rules[0]; HTTPRoute forward-cnn-from-egress-gateway spec.rules[0].backendRefs[0]',
      'ServiceEntry cnn spec.hosts[0]',
    ]]);
    expect(r.paths[0]!.destination).toEqual({ kind: 'external', host: 'edition.cnn.com', port: 80 });
  });
});
