import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { InventoryObject, LoadError } from '@meshlens/model';
import { buildInventory, parseManifests } from '../inventory/index.js';
import { checkInventory } from './index.js';
import { inventoryOf } from './__fixtures__/load.js';

/** The demo mesh, loaded the way @meshlens/demo's loadDemoManifests() does: istio-system.yaml first, then by name. */
function demoInventory() {
  const dir = new URL('../../../demo/scenarios/', import.meta.url);
  const names = readdirSync(fileURLToPath(dir)).filter((n) => n.endsWith('.yaml'));
  names.sort((a, b) => (a === 'istio-system.yaml' ? -1 : b === 'istio-system.yaml' ? 1 : a.localeCompare(b)));
  const objects: InventoryObject[] = [];
  const errors: LoadError[] = [];
  for (const n of names) {
    const p = parseManifests(readFileSync(fileURLToPath(new URL(n, dir)), 'utf8'), { file: `scenarios/${n}`, source: 'demo' });
    objects.push(...p.objects);
    errors.push(...p.errors);
  }
  return buildInventory(objects, errors);
}

const short = (f: ReturnType<typeof checkInventory>[number]) => `${f.code} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.path}`;

describe('the demo mesh', () => {
  const findings = checkInventory(demoInventory());
  const byNs = (ns: string) => findings.filter((f) => f.object.namespace === ns).map(short);

  it('shows every finding of seed 001 in istio-system (egress-gateway-broken), each naming the objects involved', () => {
    expect(byNs('istio-system')).toEqual([
      // the VirtualService's mesh host *.wikipedia.org has no ServiceEntry: sidecars send the traffic to PassthroughCluster
      'MLS1001 VirtualService istio-system/eg1 spec.hosts[0]',
      // it binds gateway egressgateway, but its only tls rule matches gateways: [mesh]
      'MLS1002 VirtualService istio-system/eg1 spec.gateways[1]',
      // so the mesh → egress gateway hop has no gateway → wikipedia hop
      'MLS1003 VirtualService istio-system/eg1 spec.tls[0].route[0].destination.host',
      // subset wildcard selects version: v1, which no egress-gateway pod carries…
      'KIA0203 DestinationRule istio-system/egressgateway spec.subsets[0].labels',
      // …but the client pod default/pod1 does (the author labelled it)
      'MLS1004 DestinationRule istio-system/egressgateway spec.subsets[0].labels',
      // the hand-written Service/Deployment replace the installed istio-egressgateway
      'MLS0000 Service istio-system/istio-egressgateway ',
      'MLS1005 Service istio-system/istio-egressgateway metadata.name',
      'MLS0000 Deployment istio-system/istio-egressgateway ',
      'MLS1005 Deployment istio-system/istio-egressgateway metadata.name',
      // the installed istiod Service is not flagged: installer-labelled objects are skipped by KIA0601/KIA0701
    ]);
    const mls1004 = findings.find((f) => f.code === 'MLS1004')!;
    expect(mls1004.message).toMatch(/but default\/pod1, /);
    expect(mls1004.references.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name}`)).toEqual(['Pod default/pod1']);
    const mls1001 = findings.find((f) => f.code === 'MLS1001')!;
    expect(mls1001.message).toContain('PassthroughCluster');
    expect(mls1001.file).toBe('scenarios/egress-gateway-broken.yaml');
  });

  it('lists exactly these findings in the other namespaces (reviewed: each is true of the combined demo mesh)', () => {
    const others = findings.filter((f) => f.object.namespace !== 'istio-system').map(short);
    expect(others).toEqual([
      // Every bookinfo scenario binds its own Gateway with hosts "*" on port 80 of the one shared ingress gateway:
      // in the combined mesh they really conflict (one listener, one "*" virtual host). istioctl reports IST0145 too.
      'KIA0301 Gateway bookinfo-abort/bookinfo-gateway spec.servers[0].port.number',
      // Istio's own bookinfo samples trigger IST0140: the gateway VS routes to productpage without subset while the
      // mesh VS routes productpage to subset v1.
      'MLS0105 VirtualService bookinfo-abort/bookinfo spec.http[0].route[0].destination.host',
      'KIA0301 Gateway bookinfo-faults/bookinfo-gateway spec.servers[0].port.number',
      'MLS0105 VirtualService bookinfo-faults/bookinfo spec.http[0].route[0].destination.host',
      // destination-rule-all.yaml defines subsets for versions the scenario does not deploy (Kiali flags these too)
      'KIA0203 DestinationRule bookinfo-routing/ratings spec.subsets[1].labels',
      'KIA0203 DestinationRule bookinfo-routing/ratings spec.subsets[2].labels',
      'KIA0203 DestinationRule bookinfo-routing/ratings spec.subsets[3].labels',
      'KIA0203 DestinationRule bookinfo-routing/details spec.subsets[1].labels',
      'KIA0301 Gateway bookinfo-routing/bookinfo-gateway spec.servers[0].port.number',
      'MLS0105 VirtualService bookinfo-routing/bookinfo spec.http[0].route[0].destination.host',
      'KIA0301 Gateway bookinfo-shifting-80-20/bookinfo-gateway spec.servers[0].port.number',
      'MLS0105 VirtualService bookinfo-shifting-80-20/bookinfo spec.http[0].route[0].destination.host',
      'KIA0301 Gateway bookinfo-shifting/bookinfo-gateway spec.servers[0].port.number',
      'MLS0105 VirtualService bookinfo-shifting/bookinfo spec.http[0].route[0].destination.host',
      'KIA0301 Gateway bookinfo-timeouts/bookinfo-gateway spec.servers[0].port.number',
      'MLS0105 VirtualService bookinfo-timeouts/bookinfo spec.http[0].route[0].destination.host',
      // two scenarios each declare a ServiceEntry for httpbin.org:80 exported everywhere
      'KIA1211 ServiceEntry egress-registry-only/httpbin-ext spec.hosts[0]',
      'KIA0301 Gateway ingress/httpbin-gateway spec.servers[0].port.number',
      // seed 004: the TCP gateway and the SNI gateway claim port 31400 of the same ingress pods
      'KIA0301 Gateway sni-conflict/echo-tcp-gateway spec.servers[0].port.number',
      'KIA0301 Gateway sni-conflict/sni-passthrough-gateway spec.servers[0].port.number',
      'KIA0301 Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway spec.servers[0].port.number',
    ]);
  });
});

describe('routing-chain checks on seed 001 fixtures of the routing core', () => {
  const chain = (file: string) => checkInventory(inventoryOf(`../../routing/__fixtures__/${file}`)).filter((f) => /^MLS100[1-4]/.test(f.code)).map(short);
  it('report the whole broken chain', () => {
    expect(chain('seed-001.yaml').length).toBeGreaterThanOrEqual(3);
  });
  // (the fixed fixture keeps the hand-written Service/Deployment, so MLS1005 stays: it is not part of this assertion)
  it('report nothing once the ServiceEntry, subset and gateway rule are fixed', () => {
    expect(chain('seed-001-fixed.yaml')).toEqual([]);
  });
});
