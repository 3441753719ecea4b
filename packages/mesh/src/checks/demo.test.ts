import { describe, expect, it } from 'vitest';
import { checkInventory } from './index.js';
import { demoInventory, inventoryOf } from './__fixtures__/load.js';

const short = (f: ReturnType<typeof checkInventory>[number]) => `${f.code} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.path}`;

describe('the demo mesh', () => {
  const findings = checkInventory(demoInventory());
  const byNs = (ns: string) => findings.filter((f) => f.object.namespace === ns).map(short);

  it('shows every finding of seed 001 in istio-system (egress-gateway-broken), each problem once, each naming the objects involved', () => {
    expect(byNs('istio-system')).toEqual([
      // the VirtualService's mesh host *.wikipedia.org has no ServiceEntry: sidecars send the traffic to PassthroughCluster
      'MLS1001 VirtualService istio-system/eg1 spec.hosts[0]',
      // it binds gateway egressgateway, but its only tls rule matches gateways: [mesh] — so the mesh → egress gateway
      // hop has no gateway → wikipedia hop: one dead end, told once (MLS1003 is its alias)
      'MLS1002 VirtualService istio-system/eg1 spec.gateways[1]',
      // subset wildcard selects version: v1, which no egress-gateway pod carries — but the client pod default/pod1 does
      // (the author labelled it): one problem, told once (MLS1004 is its alias)
      'KIA0203 DestinationRule istio-system/egressgateway spec.subsets[0].labels',
      // the hand-written Service/Deployment replace the installed istio-egressgateway
      'MLS0000 Service istio-system/istio-egressgateway ',
      'MLS1005 Service istio-system/istio-egressgateway metadata.name',
      'MLS0000 Deployment istio-system/istio-egressgateway ',
      'MLS1005 Deployment istio-system/istio-egressgateway metadata.name',
      // the installed istiod Service is not flagged: installer-labelled objects are skipped by KIA0601/KIA0701
    ]);
    const refs = (f: (typeof findings)[number]) => f.references.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name} ${r.path ?? ''} @${r.line}`);

    // MLS1001 traces from the pod that sends the traffic (seed 001: pod1 in default curls wikipedia), not from the
    // first workload of the inventory: pod1 is the one sidecar workload no Service selects, made by hand
    const mls1001 = findings.find((f) => f.code === 'MLS1001')!;
    expect(mls1001.message).toContain('Asked where https://www.wikipedia.org:443 from default/pod1 (the likely client: a hand-made pod no Service selects, so it only sends traffic; also gwapi-egress/sleep) goes');
    expect(mls1001.message).toContain('PassthroughCluster');
    expect(mls1001.message).not.toContain('bookinfo');
    expect(mls1001.file).toBe('scenarios/egress-gateway-broken.yaml');
    expect(refs(mls1001)).toEqual(['Pod default/pod1  @167']);
    expect(mls1001.fix).toContain('exported to the clients\' namespaces (default)');

    // KIA0203 keeps Kiali's code and istioctl's IST0173, and tells MLS1004's part: the labels are on pod1 only —
    // the bookinfo pods whose own templates say version: v1 are not listed ("and 40 more" is gone)
    const subset = findings.find((f) => f.code === 'KIA0203' && f.object.namespace === 'istio-system')!;
    expect(subset.istioCode).toBe('IST0173');
    expect(subset.aliases).toEqual(['MLS1004']);
    expect(subset.message).toMatch(/carries these labels: traffic routed to this subset fails with 503 UH \(no healthy upstream\)\. The labels are elsewhere: default\/pod1 \(set on the pod by hand\) carries version=v1 but is not an endpoint of this host, so labelling it changes nothing for this subset \(MLS1004\)\.$/);
    expect(subset.message).not.toMatch(/more/);
    expect(subset.fix).toContain('Remove version=v1 from default/pod1 if it was added for this subset');
    expect(refs(subset)).toEqual([
      'Service istio-system/istio-egressgateway spec.selector @105',
      'Pod default/pod1 metadata.labels @173',
    ]);

    // MLS1002 tells MLS1003's part and keeps its line as a reference to the VirtualService itself
    const deadEnd = findings.find((f) => f.code === 'MLS1002')!;
    expect(deadEnd.aliases).toEqual(['MLS1003']);
    expect(deadEnd.message).toContain('Its mesh rule spec.tls[0] sends *.wikipedia.org to this gateway');
    expect(deadEnd.message.match(/connection-refused/g)).toHaveLength(1); // the trace is quoted once
    expect(refs(deadEnd)).toEqual([
      'Gateway istio-system/egressgateway spec.servers @46',
      'VirtualService istio-system/eg1 spec.tls[0].route[0].destination.host @76',
      'Service istio-system/istio-egressgateway spec.selector @105',
    ]);
    // one per problem: 3 errors in istio-system where there were 5
    expect(findings.filter((f) => f.object.namespace === 'istio-system' && f.severity === 'error')).toHaveLength(3);
  });

  it('lists exactly these findings in the other namespaces (reviewed: each is true of the combined demo mesh)', () => {
    const others = findings.filter((f) => f.object.namespace !== 'istio-system').map(short);
    expect(others).toEqual([
      // Every bookinfo scenario binds its own Gateway with hosts "*" on port 80 of the one shared ingress gateway:
      // in the combined mesh they really conflict (one listener, one "*" virtual host). istioctl reports IST0145 too.
      // The ambient Bookinfo's own host overlaps those "*" hosts on the same listener.
      'KIA0301 Gateway ambient-bookinfo/bookinfo-gateway spec.servers[0].port.number',
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
  // a grouped finding tells its aliases' problems too: count every code told
  const chain = (file: string) => checkInventory(inventoryOf(`../../routing/__fixtures__/${file}`))
    .flatMap((f) => [f.code, ...(f.aliases ?? [])].filter((c) => /^MLS100[1-4]/.test(c)).map((c) => `${c} ${short(f)}`));
  it('report the whole broken chain', () => {
    expect(chain('seed-001.yaml').length).toBeGreaterThanOrEqual(3);
  });
  // (the fixed fixture keeps the hand-written Service/Deployment, so MLS1005 stays: it is not part of this assertion)
  it('report nothing once the ServiceEntry, subset and gateway rule are fixed', () => {
    expect(chain('seed-001-fixed.yaml')).toEqual([]);
  });
});
