/** TLS from a sidecar: the Service the client dialled (its VIP listener) wins over the SNI; SNI matters on 0.0.0.0 and in tls rules. */
import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

const CLIENT = { kind: 'workload', namespace: 'egress-router', name: 'legacy-client' } as const;
const ROUTER = 'egress-router.egress-router.svc.cluster.local';

describe('TLS through a sidecar: dialled Service before SNI (egress-router demo)', () => {
  it('reaches the ClusterIP Service it dialled even though the SNI names the partner host', () => {
    const r = traceRequest(inventoryOf('egress-router.yaml'), { source: CLIENT, protocol: 'tls', host: ROUTER, port: 443, sni: 'billing.partner.example' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:egress-router/legacy-client(1) -> service:egress-router.egress-router.svc.cluster.local:443 [tls]",
            "decidedBy": []
          },
          {
            "step": "service:egress-router.egress-router.svc.cluster.local:443 -> workload:egress-router/egress-router(1) [tls]",
            "decidedBy": [
              "Service egress-router/egress-router spec.selector @92"
            ]
          }
        ],
        "destination": "workload:egress-router/egress-router(1)",
        "dsh": "egress-router.egress-router.svc.cluster.local",
        "tls": "NONE"
      }
    ]);
  });

  it('matches the SNI against sniHosts of the dialled Service\'s VirtualService', () => {
    const r = traceRequest(inventoryOf('egress-router.yaml', 'egress-router-sni.yaml'), { source: CLIENT, protocol: 'tls', host: ROUTER, port: 443, sni: 'reports.partner.example' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:egress-router/legacy-client(1) -> service:egress-router.egress-router.svc.cluster.local:8443 [tls]",
            "decidedBy": [
              "VirtualService egress-router/egress-router spec.tls[0] @13",
              "VirtualService egress-router/egress-router spec.tls[0].match[0].sniHosts[0] @16",
              "VirtualService egress-router/egress-router spec.tls[0].match[0].port @14",
              "VirtualService egress-router/egress-router spec.tls[0].route[0] @18"
            ]
          },
          {
            "step": "service:egress-router.egress-router.svc.cluster.local:8443 -> workload:egress-router/egress-router(1) [tls]",
            "decidedBy": [
              "Service egress-router/egress-router spec.selector @92"
            ]
          }
        ],
        "destination": "workload:egress-router/egress-router(1)",
        "dsh": "egress-router.egress-router.svc.cluster.local",
        "tls": "NONE"
      }
    ]);
  });

  it('falls back to the dialled Service\'s default route when no tls rule matches the SNI (a ServiceEntry for the SNI host does not steal it)', () => {
    const r = traceRequest(inventoryOf('egress-router.yaml', 'egress-router-sni.yaml'), { source: CLIENT, protocol: 'tls', host: ROUTER, port: 443, sni: 'billing.partner.example' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:egress-router/legacy-client(1) -> service:egress-router.egress-router.svc.cluster.local:443 [tls]",
            "decidedBy": [
              "VirtualService egress-router/egress-router spec.hosts[0] @11"
            ]
          },
          {
            "step": "service:egress-router.egress-router.svc.cluster.local:443 -> workload:egress-router/egress-router(1) [tls]",
            "decidedBy": [
              "Service egress-router/egress-router spec.selector @92"
            ]
          }
        ],
        "destination": "workload:egress-router/egress-router(1)",
        "dsh": "egress-router.egress-router.svc.cluster.local",
        "tls": "NONE"
      }
    ]);
  });

  it('matches by SNI on the 0.0.0.0 listener when the dialled IP is no VIP: the ServiceEntry without addresses', () => {
    const r = traceRequest(inventoryOf('egress-router.yaml', 'egress-router-sni.yaml'), { source: CLIENT, protocol: 'tls', ip: '203.0.113.25', port: 443, sni: 'billing.partner.example' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:egress-router/legacy-client(1) -> serviceEntry:egress-router/billing-partner:billing.partner.example:443 [tls]",
            "decidedBy": []
          },
          {
            "step": "serviceEntry:egress-router/billing-partner:billing.partner.example:443 -> external:billing.partner.example:443 [tls]",
            "decidedBy": [
              "ServiceEntry egress-router/billing-partner spec.hosts[0] @30"
            ]
          }
        ],
        "destination": "external:billing.partner.example:443",
        "dsh": "billing.partner.example",
        "tls": "NONE"
      }
    ]);
  });

  it('does not match a VIP Service by SNI when another address was dialled: PassthroughCluster to that address', () => {
    const r = traceRequest(inventoryOf('egress-router.yaml', 'egress-router-sni.yaml'), { source: CLIENT, protocol: 'tls', ip: '203.0.113.25', port: 443, sni: ROUTER });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:egress-router/legacy-client(1) -> passthrough:203.0.113.25:443 [tls]",
            "decidedBy": []
          }
        ],
        "destination": "passthrough:203.0.113.25:443",
        "tls": "NONE"
      }
    ]);
    expect(r.paths[0]!.hops[0]!.explanation).toContain(`the SNI ${ROUTER} names Service egress-router/egress-router, but that host has a VIP`);
  });
});
