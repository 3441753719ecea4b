import { describe, expect, it } from 'vitest';
import { buildInventory, parseManifests, type Inventory } from '@meshlens/mesh';
import { loadDemoManifests, loadTrafficModel, type DemoFile } from './scenarios.js';
import { createSimulator } from './simulator/simulator.js';
import { allClasses } from './traffic/types.js';
import { T, select, total, trace, trafficOf } from './__fixtures__/support.js';

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

describe('the demo scenarios', () => {
  it('load the control plane first, then every scenario by name', () => {
    expect(files[0]!.file).toBe('scenarios/00-istio-system.yaml');
    expect(files.length).toBeGreaterThan(10);
    expect(files.slice(1).map((f) => f.file)).toEqual(files.slice(1).map((f) => f.file).sort());
  });

  it('have a traffic file each, all valid', () => {
    expect(model.errors).toEqual([]);
    // a file's order prefix (`00-istio-system.yaml`) is not part of its scenario's name
    expect(model.scenarios.map((s) => `traffic/${s.scenario}.yaml`).sort()).toEqual(files.map((f) => f.file.replace(/^scenarios\/(\d+-)?/, 'traffic/')).sort());
  });

  const sim = createSimulator(inv, model, { seed: 1, trace });

  it('resolve every class through the routing core without problems', () => {
    expect(sim.problems).toEqual([]);
  });

  it('make every class produce traffic, and 404 NR only where the class says so', () => {
    const classes = allClasses(model);
    const lines: string[] = [];
    classes.forEach((cls, c) => {
      const mine = sim.compiled.series.filter((s) => s.metric === 'istio_requests_total' || s.metric === 'istio_tcp_connections_closed_total');
      const sum = (pred: (l: Record<string, string>) => boolean) => mine.filter((s) => pred(s.labels)).reduce((a, s) => a + s.terms.filter((t) => t.cls === c && t.incident < 0).reduce((x, t) => x + t.coef, 0), 0);
      const all = sum(() => true);
      const nr = sum((l) => l.response_flags === 'NR');
      if (!(all > 0)) lines.push(`${cls.at.file}:${cls.at.line} "${cls.name}": no traffic`);
      else if (nr / all > 0.5 && !/NR|404|no route/i.test(cls.name)) lines.push(`${cls.at.file}:${cls.at.line} "${cls.name}": ${Math.round((nr / all) * 100)}% 404 NR`);
    });
    expect(lines).toEqual([]);
  });

  it('give sane numbers at any time: no NaN, nothing negative', () => {
    for (const [t, d] of [[T, 60], [T + 7 * 3600, 600], [T + 86400 * 3, 86400]] as const) {
      for (const list of Object.values(sim.samplesAt(t, d))) {
        for (const s of list!) {
          const v = Number(s.value[1]);
          expect(Number.isFinite(v) && v > 0, `${JSON.stringify(s.metric)} = ${s.value[1]}`).toBe(true);
        }
      }
    }
  });

  it('show the circuit breaker: about a third of the 3-connection fortio load overflows (503 UO)', () => {
    const s = sim.samplesAt(T, 600);
    const from = { reporter: 'source', source_workload: 'fortio-deploy', source_workload_namespace: 'circuit-breaking' };
    const uo = total(s, 'istio_requests_total', { ...from, response_flags: 'UO' }) / total(s, 'istio_requests_total', from);
    expect(uo).toBeGreaterThan(0.3);
    expect(uo).toBeLessThan(0.34);
  });

  it('show blocked egress as BlackHoleCluster and seed 001\'s traffic leaving through PassthroughCluster', () => {
    const s = sim.samplesAt(T, 600);
    expect(total(s, 'istio_requests_total', { source_workload_namespace: 'egress-registry-only', destination_service_name: 'BlackHoleCluster', response_code: '502' })).toBeGreaterThan(0);
    expect(total(s, 'istio_tcp_connections_closed_total', { source_workload: 'pod1', destination_service_name: 'PassthroughCluster' })).toBeGreaterThan(0);
  });
});

describe('the demo scenarios, changed', () => {
  /** productpage's calls to reviews in the 80/20 scenario, straight from productpage so only the VirtualService decides. */
  const traffic = trafficOf(`
scenario: bookinfo-shifting-80-20
classes:
  - name: productpage to reviews
    source: {kind: workload, namespace: bookinfo-shifting-80-20, name: productpage-v1}
    request: {protocol: http, host: reviews, port: 9080, path: /reviews/0}
    rps: 10
`);
  const split = (i: Inventory) => {
    const s = createSimulator(i, traffic, { seed: 1, trace }).samplesAt(T, 600);
    const all = total(s, 'istio_requests_total', { reporter: 'source' });
    return ['reviews-v1', 'reviews-v2', 'reviews-v3'].map((w) => Math.round((total(s, 'istio_requests_total', { reporter: 'source', destination_workload: w }) / all) * 1e9) / 1e9);
  };

  it('follow a weight changed in the scenario file', () => {
    expect(split(inv)).toEqual([0.8, 0, 0.2]);
    const edited = files.map((f) => f.file !== 'scenarios/bookinfo-shifting-80-20.yaml' ? f : {
      ...f, text: f.text.replace(/weight: 80\b/, 'weight: 35').replace(/weight: 20\b/, 'weight: 65'),
    });
    expect(split(inventoryFrom(edited))).toEqual([0.35, 0, 0.65]);
  });

  it('time out productpage → reviews (504 UT) when ratings is delayed 2 s behind a 0.5 s route timeout', () => {
    const timeouts = trafficOf(`
scenario: bookinfo-timeouts
classes:
  - name: productpage to reviews
    source: {kind: workload, namespace: bookinfo-timeouts, name: productpage-v1}
    request: {protocol: http, host: reviews, port: 9080, path: /reviews/0}
    rps: 5
    latencyMs: {p50: 9, p95: 32}
    calls:
      - request: {protocol: http, host: ratings, port: 9080, path: /ratings/0}
        onlyFromVersions: [v2, v3]
        latencyMs: {p50: 3, p95: 11}
`);
    const s = createSimulator(inv, timeouts, { seed: 1, trace }).samplesAt(T, 600);
    const fromPage = select(s, 'istio_requests_total', { reporter: 'source', source_workload: 'productpage-v1' });
    expect(fromPage.map((x) => [x.metric.destination_workload, x.metric.response_code, x.metric.response_flags])).toEqual([['reviews-v2', '504', 'UT']]);
    // reviews' sidecar sees productpage hang up; its own call to ratings carries the injected delay
    expect(select(s, 'istio_requests_total', { reporter: 'destination', destination_workload: 'reviews-v2' }).map((x) => [x.metric.response_code, x.metric.response_flags])).toEqual([['0', 'DC']]);
    expect(select(s, 'istio_requests_total', { reporter: 'source', source_workload: 'reviews-v2' }).map((x) => [x.metric.destination_workload, x.metric.response_flags])).toEqual([['ratings-v1', 'DI']]);
  });
});
