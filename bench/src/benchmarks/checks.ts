/**
 * Config checks over a synthetic inventory of 10,000 Istio objects (VirtualServices, DestinationRules, Gateways)
 * and 5,000 Services: a full validation (target 1 s), and one object's change re-validated incrementally (10 ms).
 */
import type { InventoryObject, KubeObject } from '@meshlens/model';
import { buildInventory, checkInventory, createCheckEngine, type CheckEngine, type Inventory } from '@meshlens/mesh';
import type { Benchmark } from '../benchmark.js';

const NAMESPACES = 50;
const SERVICES_PER_NS = 100;

function obj(o: KubeObject, line: number): InventoryObject {
  return { ref: { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }, object: o, origin: { source: 'file', file: `synthetic/${o.metadata.namespace}.yaml`, line, column: 1 } };
}

function virtualService(ns: string, svc: string, subset: string): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: svc, namespace: ns },
    spec: { hosts: [svc], http: [{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: svc, subset: 'v2' } }] }, { route: [{ destination: { host: svc, subset }, weight: 90 }, { destination: { host: svc, subset: 'v2' }, weight: 10 }] }] },
  };
}

/** 50 namespaces × 100 services, each with 2 versioned Deployments, a VirtualService and a DestinationRule. */
function syntheticObjects(): InventoryObject[] {
  const out: InventoryObject[] = [];
  let line = 1;
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    out.push(obj({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } }, line++));
    for (let s = 0; s < SERVICES_PER_NS; s++) {
      const svc = `svc-${s}`;
      out.push(obj({ apiVersion: 'v1', kind: 'Service', metadata: { name: svc, namespace: ns }, spec: { selector: { app: svc }, ports: [{ name: 'http', port: 8080 }] } }, line++));
      for (const v of ['v1', 'v2']) {
        out.push(obj({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${svc}-${v}`, namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: svc, version: v } }, template: { metadata: { labels: { app: svc, version: v } }, spec: { containers: [{ name: 'app', image: 'app', ports: [{ containerPort: 8080 }] }] } } } }, line++));
      }
      out.push(obj(virtualService(ns, svc, 'v1'), line++));
      out.push(obj({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: svc, namespace: ns }, spec: { host: svc, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } }, line++));
    }
  }
  return out;
}

function istioCount(inv: Inventory): number {
  return Object.values(inv.istio).reduce((a, l) => a + l.length, 0);
}

const full: Benchmark<{ inv: Inventory }> = {
  name: 'config checks, full validation, 10k Istio objects / 5k Services',
  target: { ms: 1000 },
  iterations: 5,
  setup: () => ({ inv: buildInventory(syntheticObjects()) }),
  run: ({ inv }) => checkInventory(inv),
  describe: ({ inv }) => `${istioCount(inv)} Istio objects, ${inv.services.length} Services, ${inv.workloads.length} workloads, ${checkInventory(inv).length} findings`,
};

interface IncState { engine: CheckEngine; a: Inventory; b: Inventory; flip: boolean }

const incremental: Benchmark<IncState> = {
  name: 'config checks, one VirtualService changed, incremental update',
  target: { ms: 10 },
  iterations: 50,
  setup: () => {
    const objects = syntheticObjects();
    const a = buildInventory(objects);
    // b: the same mesh with VirtualService ns-7/svc-42 routing to a subset that does not exist
    const i = objects.findIndex((o) => o.ref.kind === 'VirtualService' && o.ref.namespace === 'ns-7' && o.ref.name === 'svc-42');
    const changed = [...objects];
    changed[i] = obj(virtualService('ns-7', 'svc-42', 'v3'), objects[i]!.origin.line!);
    const b = buildInventory(changed);
    return { engine: createCheckEngine(a), a, b, flip: false };
  },
  run: (s) => {
    s.flip = !s.flip;
    const { added, removed } = s.engine.update(s.flip ? s.b : s.a, [{ kind: 'VirtualService', namespace: 'ns-7', name: 'svc-42' }]);
    if (added.length + removed.length !== 1) throw new Error(`expected one finding to change, got +${added.length} -${removed.length}`);
  },
  describe: (s) => `${istioCount(s.a)} Istio objects, ${s.a.services.length} Services; each run re-validates after one VirtualService edit (a missing subset appears or disappears)`,
};

export const checksBenchmarks: Benchmark<any>[] = [full, incremental];
