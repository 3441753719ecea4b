/** Gateway conflicts on one port: istiod merges Gateways oldest first (creationTimestamp), not in file order. */
import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';
import { sortByCreationTime } from './gateway-merge.js';

const INGRESS = { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' } as const;
// the demo loads sni-conflict.yaml before tcp-traffic-shifting.yaml; both orders must give the same answer
const ORDERS = [
  ['istio-system.yaml', 'gw-conflict-sni.yaml', 'gw-conflict-tcp-shifting.yaml'],
  ['istio-system.yaml', 'gw-conflict-tcp-shifting.yaml', 'gw-conflict-sni.yaml'],
];
const SNI_1 = 'simple-sni-1.istioinaction.io';
const SNI_2 = 'simple-sni-2.istioinaction.io';

describe('Gateways claiming ingress port 31400 (demo: tcp-traffic-shifting + sni-conflict)', () => {
  for (const files of ORDERS) {
    describe(`loaded as ${files.slice(1).join(', ')}`, () => {
      const inv = inventoryOf(...files);

      it('sends TCP (nc / telnet to the ingress IP) to the oldest Gateway\'s VirtualService: tcp-echo v1 80% / v2 20%', () => {
        const r = traceRequest(inv, { source: INGRESS, protocol: 'tcp', ip: '192.168.10.10', port: 31400 });
        expect(r.problems).toEqual([]);
        expect(project(r.paths)).toEqual([
          {
            "weight": 0.8,
            "outcome": "delivered",
            "hops": [
              {
                "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v1 [tcp]",
                "decidedBy": [
                  "Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway spec.servers[0] @167",
                  "Gateway sni-conflict/echo-tcp-gateway spec.servers[0] @103",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0] @200",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].match[0].port @201",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].route[0] @203",
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[0] @182"
                ]
              },
              {
                "step": "service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v1 -> workload:istio-io-tcp-traffic-shifting/tcp-echo-v1(1) [tcp]",
                "decidedBy": [
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[0] @182",
                  "Service istio-io-tcp-traffic-shifting/tcp-echo spec.selector @35"
                ]
              }
            ],
            "destination": "workload:istio-io-tcp-traffic-shifting/tcp-echo-v1(1)",
            "dsh": "tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local",
            "tls": "ISTIO_MUTUAL"
          },
          {
            "weight": 0.2,
            "outcome": "delivered",
            "hops": [
              {
                "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v2 [tcp]",
                "decidedBy": [
                  "Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway spec.servers[0] @167",
                  "Gateway sni-conflict/echo-tcp-gateway spec.servers[0] @103",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0] @200",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].match[0].port @201",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].route[1] @209",
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[1] @185"
                ]
              },
              {
                "step": "service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v2 -> workload:istio-io-tcp-traffic-shifting/tcp-echo-v2(1) [tcp]",
                "decidedBy": [
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[1] @185",
                  "Service istio-io-tcp-traffic-shifting/tcp-echo spec.selector @35"
                ]
              }
            ],
            "destination": "workload:istio-io-tcp-traffic-shifting/tcp-echo-v2(1)",
            "dsh": "tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local",
            "tls": "ISTIO_MUTUAL"
          }
        ]);
        expect(r.paths[0]!.hops[0]!.explanation).toBe(
          'Server spec.servers[0] of Gateway sni-conflict/echo-tcp-gateway (port 31400 TCP, hosts *) would take this request but is rejected: '
          + 'port 31400 is already held by the plain-text server spec.servers[0] of Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway (port 31400 TCP, hosts *), '
          + 'created 2022-12-01T09:00:00Z, before sni-conflict/echo-tcp-gateway (created 2022-12-24T13:05:12Z), and istiod merges Gateways oldest first; '
          + 'a later server joins a plain-text port only when both are HTTP, so this TCP server conflicts (IST0145) and is dropped. '
          + 'Gateway istio-system/istio-ingressgateway accepted the request on server spec.servers[0] of Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway (port 31400 TCP, hosts *), '
          + 'matched rule spec.tcp[0] of VirtualService istio-io-tcp-traffic-shifting/tcp-echo (port 31400) and sent 80% of the requests (spec.tcp[0].route[0], weight 80 of 100) '
          + 'to subset v1 (labels version=v1) of tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000, selected by DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination.',
        );
      });

      it('sends TLS for simple-sni-1 to tcp-echo too: the SNI passthrough server is rejected', () => {
        const r = traceRequest(inv, { source: INGRESS, protocol: 'tls', host: SNI_1, sni: SNI_1, port: 31400 });
        expect(r.problems).toEqual([]);
        expect(project(r.paths)).toEqual([
          {
            "weight": 0.8,
            "outcome": "delivered",
            "hops": [
              {
                "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v1 [tcp]",
                "decidedBy": [
                  "Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway spec.servers[0] @167",
                  "Gateway sni-conflict/echo-tcp-gateway spec.servers[0] @103",
                  "Gateway sni-conflict/sni-passthrough-gateway spec.servers[0] @317",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0] @200",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].match[0].port @201",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].route[0] @203",
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[0] @182"
                ]
              },
              {
                "step": "service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v1 -> workload:istio-io-tcp-traffic-shifting/tcp-echo-v1(1) [tcp]",
                "decidedBy": [
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[0] @182",
                  "Service istio-io-tcp-traffic-shifting/tcp-echo spec.selector @35"
                ]
              }
            ],
            "destination": "workload:istio-io-tcp-traffic-shifting/tcp-echo-v1(1)",
            "dsh": "tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local",
            "tls": "ISTIO_MUTUAL"
          },
          {
            "weight": 0.2,
            "outcome": "delivered",
            "hops": [
              {
                "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v2 [tcp]",
                "decidedBy": [
                  "Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway spec.servers[0] @167",
                  "Gateway sni-conflict/echo-tcp-gateway spec.servers[0] @103",
                  "Gateway sni-conflict/sni-passthrough-gateway spec.servers[0] @317",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0] @200",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].match[0].port @201",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].route[1] @209",
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[1] @185"
                ]
              },
              {
                "step": "service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v2 -> workload:istio-io-tcp-traffic-shifting/tcp-echo-v2(1) [tcp]",
                "decidedBy": [
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[1] @185",
                  "Service istio-io-tcp-traffic-shifting/tcp-echo spec.selector @35"
                ]
              }
            ],
            "destination": "workload:istio-io-tcp-traffic-shifting/tcp-echo-v2(1)",
            "dsh": "tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local",
            "tls": "ISTIO_MUTUAL"
          }
        ]);
        const why = r.paths[0]!.hops[0]!.explanation;
        expect(why).toContain('Server spec.servers[0] of Gateway sni-conflict/sni-passthrough-gateway (port 31400 TLS PASSTHROUGH, hosts simple-sni-1.istioinaction.io) would take this request but is rejected');
        expect(why).toContain('before sni-conflict/sni-passthrough-gateway (created 2022-12-25T04:45:31Z)');
      });

      it('sends TLS for simple-sni-2 to tcp-echo too, rejecting the second passthrough server', () => {
        const r = traceRequest(inv, { source: INGRESS, protocol: 'tls', host: SNI_2, sni: SNI_2, port: 31400 });
        expect(r.problems).toEqual([]);
        expect(project(r.paths)).toEqual([
          {
            "weight": 0.8,
            "outcome": "delivered",
            "hops": [
              {
                "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v1 [tcp]",
                "decidedBy": [
                  "Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway spec.servers[0] @167",
                  "Gateway sni-conflict/echo-tcp-gateway spec.servers[0] @103",
                  "Gateway sni-conflict/sni-passthrough-gateway spec.servers[1] @325",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0] @200",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].match[0].port @201",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].route[0] @203",
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[0] @182"
                ]
              },
              {
                "step": "service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v1 -> workload:istio-io-tcp-traffic-shifting/tcp-echo-v1(1) [tcp]",
                "decidedBy": [
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[0] @182",
                  "Service istio-io-tcp-traffic-shifting/tcp-echo spec.selector @35"
                ]
              }
            ],
            "destination": "workload:istio-io-tcp-traffic-shifting/tcp-echo-v1(1)",
            "dsh": "tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local",
            "tls": "ISTIO_MUTUAL"
          },
          {
            "weight": 0.2,
            "outcome": "delivered",
            "hops": [
              {
                "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v2 [tcp]",
                "decidedBy": [
                  "Gateway istio-io-tcp-traffic-shifting/tcp-echo-gateway spec.servers[0] @167",
                  "Gateway sni-conflict/echo-tcp-gateway spec.servers[0] @103",
                  "Gateway sni-conflict/sni-passthrough-gateway spec.servers[1] @325",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0] @200",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].match[0].port @201",
                  "VirtualService istio-io-tcp-traffic-shifting/tcp-echo spec.tcp[0].route[1] @209",
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[1] @185"
                ]
              },
              {
                "step": "service:tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local:9000/v2 -> workload:istio-io-tcp-traffic-shifting/tcp-echo-v2(1) [tcp]",
                "decidedBy": [
                  "DestinationRule istio-io-tcp-traffic-shifting/tcp-echo-destination spec.subsets[1] @185",
                  "Service istio-io-tcp-traffic-shifting/tcp-echo spec.selector @35"
                ]
              }
            ],
            "destination": "workload:istio-io-tcp-traffic-shifting/tcp-echo-v2(1)",
            "dsh": "tcp-echo.istio-io-tcp-traffic-shifting.svc.cluster.local",
            "tls": "ISTIO_MUTUAL"
          }
        ]);
      });
    });
  }

  it('without tcp-traffic-shifting, the older echo-tcp-gateway keeps 31400 and the SNI passthrough Gateway is rejected (seed 004)', () => {
    const r = traceRequest(inventoryOf('istio-system.yaml', 'gw-conflict-sni.yaml'), { source: INGRESS, protocol: 'tls', host: SNI_1, sni: SNI_1, port: 31400 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo-service.sni-conflict.svc.cluster.local:2701 [tcp]",
            "decidedBy": [
              "Gateway sni-conflict/echo-tcp-gateway spec.servers[0] @103",
              "Gateway sni-conflict/sni-passthrough-gateway spec.servers[0] @317",
              "VirtualService sni-conflict/tcp-echo-vs-from-gw spec.tcp[0] @121",
              "VirtualService sni-conflict/tcp-echo-vs-from-gw spec.tcp[0].match[0].port @122",
              "VirtualService sni-conflict/tcp-echo-vs-from-gw spec.tcp[0].route[0] @124"
            ]
          },
          {
            "step": "service:tcp-echo-service.sni-conflict.svc.cluster.local:2701 -> workload:sni-conflict/tcp-echo-deployment(1) [tcp]",
            "decidedBy": [
              "Service sni-conflict/tcp-echo-service spec.selector @82"
            ]
          }
        ],
        "destination": "workload:sni-conflict/tcp-echo-deployment(1)",
        "dsh": "tcp-echo-service.sni-conflict.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths[0]!.hops[0]!.explanation).toContain('already held by the plain-text server spec.servers[0] of Gateway sni-conflict/echo-tcp-gateway (port 31400 TCP, hosts *), created 2022-12-24T13:05:12Z, before sni-conflict/sni-passthrough-gateway (created 2022-12-25T04:45:31Z)');
  });

  it('orders Gateways as pilot sortConfigByCreationTime: no timestamp first, then oldest; equal times by name, then namespace', () => {
    const inv = inventoryOf('istio-system.yaml', 'gw-conflict-sni.yaml', 'gw-conflict-tcp-shifting.yaml', 'httpbin.yaml', 'bookinfo.yaml', 'gateway-binding.yaml');
    expect(sortByCreationTime(inv.istio.Gateway).map((g) => `${g.ref.namespace}/${g.ref.name}`)).toEqual([
      'demo/demo-gateway',
      'istio-system/public-gateway',
      'istio-io-tcp-traffic-shifting/tcp-echo-gateway',
      'sni-conflict/echo-tcp-gateway',
      'sni-conflict/sni-passthrough-gateway',
    ]);
  });
});
