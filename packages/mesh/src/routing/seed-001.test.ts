import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

describe("traceRequest on seed 001 (egress gateway for *.wikipedia.org)", () => {
  it("sends curl https://en.wikipedia.org from default/pod1 to PassthroughCluster: no ServiceEntry, so VirtualService eg1 is ignored", () => {
    const r = traceRequest(inventoryOf('seed-001.yaml'), { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443, path: '/wiki/Main_Page' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:default/pod1(1) -> passthrough:en.wikipedia.org:443 [https]",
            "decidedBy": [
              "VirtualService istio-system/eg1 spec.hosts[0] @41"
            ]
          }
        ],
        "destination": "passthrough:en.wikipedia.org:443",
        "tls": "NONE"
      }
    ]);
  });

  it("with the ServiceEntry, subset and gateway rule fixed, goes through the egress gateway to www.wikipedia.org", () => {
    const r = traceRequest(inventoryOf('seed-001-fixed.yaml'), { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443, path: '/wiki/Main_Page' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:default/pod1(1) -> service:istio-egressgateway.istio-system.svc.cluster.local:443/wildcard [https]",
            "decidedBy": [
              "VirtualService istio-system/eg1 spec.tls[0] @46",
              "VirtualService istio-system/eg1 spec.tls[0].match[0].sniHosts[0] @51",
              "VirtualService istio-system/eg1 spec.tls[0].match[0].port @49",
              "VirtualService istio-system/eg1 spec.tls[0].match[0].gateways @47",
              "VirtualService istio-system/eg1 spec.tls[0].route[0] @53",
              "DestinationRule istio-system/egressgateway spec.subsets[0] @78"
            ]
          },
          {
            "step": "service:istio-egressgateway.istio-system.svc.cluster.local:443/wildcard -> gateway:istio-system/istio-egressgateway:443 [https]",
            "decidedBy": [
              "DestinationRule istio-system/egressgateway spec.subsets[0] @78",
              "Service istio-system/istio-egressgateway spec.selector @122"
            ]
          },
          {
            "step": "gateway:istio-system/istio-egressgateway:443 -> serviceEntry:istio-system/www-wikipedia:www.wikipedia.org:443 [https]",
            "decidedBy": [
              "Gateway istio-system/egressgateway spec.servers[0] @25",
              "VirtualService istio-system/eg1 spec.tls[1] @57",
              "VirtualService istio-system/eg1 spec.tls[1].match[0].sniHosts[0] @62",
              "VirtualService istio-system/eg1 spec.tls[1].match[0].port @60",
              "VirtualService istio-system/eg1 spec.tls[1].match[0].gateways @58",
              "VirtualService istio-system/eg1 spec.tls[1].route[0] @64"
            ]
          },
          {
            "step": "serviceEntry:istio-system/www-wikipedia:www.wikipedia.org:443 -> external:www.wikipedia.org:443 [https]",
            "decidedBy": [
              "ServiceEntry istio-system/www-wikipedia spec.hosts[0] @102"
            ]
          }
        ],
        "destination": "external:www.wikipedia.org:443",
        "dsh": "www.wikipedia.org",
        "tls": "NONE"
      }
    ]);
  });

  it("with the ServiceEntry only, fails 503 UH on subset wildcard, which selects no egress gateway pod", () => {
    const r = traceRequest(inventoryOf('seed-001.yaml', 'seed-001-serviceentry.yaml'), { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443, path: '/wiki/Main_Page' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-healthy-upstream 503 UH",
        "hops": [
          {
            "step": "workload:default/pod1(1) -> service:istio-egressgateway.istio-system.svc.cluster.local:443/wildcard [https]",
            "decidedBy": [
              "VirtualService istio-system/eg1 spec.tls[0] @46",
              "VirtualService istio-system/eg1 spec.tls[0].match[0].sniHosts[0] @51",
              "VirtualService istio-system/eg1 spec.tls[0].match[0].port @49",
              "VirtualService istio-system/eg1 spec.tls[0].match[0].gateways @47",
              "VirtualService istio-system/eg1 spec.tls[0].route[0] @53",
              "DestinationRule istio-system/egressgateway spec.subsets[0] @66"
            ]
          }
        ],
        "destination": "service:istio-egressgateway.istio-system.svc.cluster.local:443/wildcard",
        "dsh": "istio-egressgateway.istio-system.svc.cluster.local"
      }
    ]);
  });

  it("at the egress gateway of the seed, no tls rule matches (the only rule is for gateways: mesh): connection refused", () => {
    const r = traceRequest(inventoryOf('seed-001.yaml', 'seed-001-serviceentry.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-egressgateway' }, protocol: 'https', host: 'en.wikipedia.org', port: 443 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "connection-refused 503 UF",
        "hops": [
          {
            "step": "gateway:istio-system/istio-egressgateway:443 -> external:en.wikipedia.org:443 [https]",
            "decidedBy": [
              "Gateway istio-system/egressgateway spec.servers[0] @25",
              "VirtualService istio-system/eg1 spec.hosts[0] @41"
            ]
          }
        ],
        "destination": "external:en.wikipedia.org:443"
      }
    ]);
  });

  it('explains the passthrough in words that name the ignored VirtualService and the missing ServiceEntry', () => {
    const r = traceRequest(inventoryOf('seed-001.yaml'), { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443 });
    const hop = r.paths[0]!.hops[0]!;
    expect(hop.explanation).toBe(
      'For the sidecar of default/pod1, no Service or ServiceEntry visible from namespace default defines en.wikipedia.org; '
      + 'outboundTrafficPolicy is ALLOW_ANY (from Istio\'s default), so the connection leaves through PassthroughCluster straight to the original destination, without mTLS or routing rules. '
      + 'VirtualService istio-system/eg1 names *.wikipedia.org but is not applied: a sidecar only applies VirtualService rules to hosts of the service registry (a ServiceEntry for *.wikipedia.org would make it apply).',
    );
    expect(hop.decidedBy[0]).toEqual({
      object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.hosts[0]', file: 'seed-001.yaml', line: 41, column: 5,
      note: 'Ignored: VirtualService istio-system/eg1 names *.wikipedia.org, but no Service or ServiceEntry defines en.wikipedia.org, so the sidecar builds no route for it.',
    });
    // TLS passthrough is TCP proxying: Istio reports destination_service "unknown" (reference §4.3), so none is set
    expect(r.paths[0]!.destinationServiceHost).toBeUndefined();
  });

  it('explains the 503 of the half-fixed variant with the subset labels and the pods the Service selects', () => {
    const r = traceRequest(inventoryOf('seed-001.yaml', 'seed-001-serviceentry.yaml'), { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443 });
    expect(r.paths[0]!.hops[0]!.explanation).toContain('subset wildcard selects labels version=v1 and no pod of the Service carries them (the Service selects: istio-system/istio-egressgateway (istio=egressgateway))');
  });
});
