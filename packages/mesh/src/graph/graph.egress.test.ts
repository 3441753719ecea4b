import { describe, expect, it } from 'vitest';
import { graph, telemetry } from './__fixtures__/load.js';

describe('buildGraph — leaving the mesh', () => {
  it('folds ServiceEntry hosts into one node, keeps PassthroughCluster, BlackHoleCluster and IP destinations apart, and counts TCP in bytes/s', () => {
    // Source-only reports (no proxy at the far end), except sleep → mongodb which both proxies report (counted once: 500 + 4000 B/s).
    // With includeIdle: orders (idle), batch (idle and dead: replicas 0), the ExternalName Service legacy-ledger (idle, no workload)
    // and the egress router (idle workload, no sidecar) appear too.
    const full = graph('egress.yaml', telemetry('egress-telemetry.json'), { graphType: 'versionedApp', namespaces: ['shop'], includeIdle: true });
    // The egress router's forwarding table is drawn from configuration (its pod reports nothing): one edge per forward,
    // from the router's app node (not again from its Service), to an IP:port node; the port-0 fallback line draws nothing.
    const configured = full.elements.edges.filter((e) => e.data.isConfigured);
    expect(configured.map((e) => [e.data.source, e.data.target, e.data.reporter, e.data.isConfigured])).toEqual([
      ['app:shop:egress-route-1', 'ext:203.0.113.25:443', 'none', { kind: 'egressRouterForward', port: 443, protocol: 'tcp', targetPort: 443 }],
      ['app:shop:egress-route-1', 'ext:203.0.113.25:80', 'none', { kind: 'egressRouterForward', port: 80, protocol: 'tcp', targetPort: 80 }],
      ['app:shop:egress-route-1', 'ext:203.0.113.26:443', 'none', { kind: 'egressRouterForward', port: 8443, protocol: 'tcp', targetPort: 443 }],
      ['app:shop:egress-route-1', 'ext:203.0.113.26:80', 'none', { kind: 'egressRouterForward', port: 8080, protocol: 'tcp', targetPort: 80 }],
    ]);
    const forwardOnly = new Set(['ext:203.0.113.25:443', 'ext:203.0.113.26:443', 'ext:203.0.113.26:80']);
    expect(full.elements.nodes.filter((n) => forwardOnly.has(n.data.id)).map((n) => n.data)).toEqual([...forwardOnly].sort().map((id) => {
      const [ip, port] = id.slice(4).split(':');
      return { id, nodeType: 'service', namespace: 'unknown', service: id.slice(4), label: id.slice(4), isExternalIP: { ip, port: Number(port) }, traffic: [], health: 'NA' };
    }));
    // Everything else is what telemetry and the inventory give.
    const g = { ...full, elements: { nodes: full.elements.nodes.filter((n) => !forwardOnly.has(n.data.id)), edges: full.elements.edges.filter((e) => !e.data.isConfigured) } };
    expect(g).toEqual({
      timestamp: 1767225600,
      duration: 600,
      graphType: 'versionedApp',
      namespaces: ['shop'],
      elements: {
        nodes: [
          { data: { id: 'box-ns-shop', nodeType: 'box', namespace: 'shop', isBox: 'namespace', label: 'shop' } },
          {
            data: {
              id: 'svc:shop:egress-route-1',
              nodeType: 'service',
              namespace: 'shop',
              service: 'egress-route-1',
              label: 'egress-route-1',
              isEgressRouter: {
                forwards: [
                  { port: 80, protocol: 'tcp', targetIP: '203.0.113.25', targetPort: 80 },
                  { port: 443, protocol: 'tcp', targetIP: '203.0.113.25', targetPort: 443 },
                  { port: 8080, protocol: 'tcp', targetIP: '203.0.113.26', targetPort: 80 },
                  { port: 8443, protocol: 'tcp', targetIP: '203.0.113.26', targetPort: 443 },
                  { port: 0, protocol: 'tcp', targetIP: '203.0.113.27', targetPort: 0 },
                ],
              },
              traffic: [{ protocol: 'tcp', rates: { tcpIn: 200 } }],
              health: 'NA',
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'se:shop:external-apis',
              nodeType: 'service',
              namespace: 'shop',
              service: 'external-apis',
              label: 'external-apis',
              isServiceEntry: {
                hosts: ['httpbin.org', 'www.googleapis.com'],
                location: 'MESH_EXTERNAL',
                namespace: 'shop',
                name: 'external-apis',
                resolution: 'DNS',
                ports: [{ number: 80, protocol: 'HTTP', name: 'http' }, { number: 443, protocol: 'TLS', name: 'https' }],
              },
              traffic: [{ protocol: 'http', rates: { httpIn: 3 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'svc:shop:legacy-ledger',
              nodeType: 'service',
              namespace: 'shop',
              service: 'legacy-ledger',
              label: 'legacy-ledger',
              isIdle: true,
              traffic: [{ protocol: 'http', rates: { httpIn: 0, httpOut: 0 } }],
              health: 'NA',
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'vapp:shop:batch:v1',
              nodeType: 'app',
              namespace: 'shop',
              workload: 'batch-v1',
              app: 'batch',
              version: 'v1',
              label: 'batch v1',
              isIdle: true,
              isDead: true,
              labels: { app: 'batch', version: 'v1' },
              traffic: [{ protocol: 'http', rates: { httpIn: 0, httpOut: 0 } }],
              health: 'NA',
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'app:shop:egress-route-1',
              nodeType: 'app',
              namespace: 'shop',
              workload: 'deployment-egress-route-1',
              app: 'egress-route-1',
              label: 'egress-route-1',
              isIdle: true,
              isEgressRouter: {
                forwards: [
                  { port: 80, protocol: 'tcp', targetIP: '203.0.113.25', targetPort: 80 },
                  { port: 443, protocol: 'tcp', targetIP: '203.0.113.25', targetPort: 443 },
                  { port: 8080, protocol: 'tcp', targetIP: '203.0.113.26', targetPort: 80 },
                  { port: 8443, protocol: 'tcp', targetIP: '203.0.113.26', targetPort: 443 },
                  { port: 0, protocol: 'tcp', targetIP: '203.0.113.27', targetPort: 0 },
                ],
              },
              hasMissingSidecar: true,
              labels: { app: 'egress-route-1', 'sidecar.istio.io/inject': 'false' },
              pods: [{ name: 'deployment-egress-route-1-1wionh500-epw9f', hasSidecar: false, ip: '10.244.192.106', hostIP: '10.0.0.35', nodeName: 'node-3' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 0, httpOut: 0 } }],
              health: 'NA',
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'vapp:shop:mongodb:v1',
              nodeType: 'app',
              namespace: 'shop',
              workload: 'mongodb-v1',
              app: 'mongodb',
              version: 'v1',
              label: 'mongodb v1',
              destServices: [{ namespace: 'shop', name: 'mongodb' }],
              hasWorkloadEntry: [{ name: 'mongodb-vm' }],
              labels: { app: 'mongodb', version: 'v1' },
              pods: [{ name: 'mongodb-v1-1vbhslm00-epw9f', hasSidecar: true, ip: '10.244.205.219', hostIP: '10.0.0.16', nodeName: 'node-2' }],
              traffic: [{ protocol: 'tcp', rates: { tcpIn: 4500 } }],
              health: 'NA',
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'vapp:shop:orders:v1',
              nodeType: 'app',
              namespace: 'shop',
              workload: 'orders-v1',
              app: 'orders',
              version: 'v1',
              label: 'orders v1',
              isIdle: true,
              labels: { app: 'orders', version: 'v1' },
              pods: [{ name: 'orders-v1-11eolx300-epw9f', hasSidecar: true, ip: '10.244.35.94', hostIP: '10.0.0.197', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 0, httpOut: 0 } }],
              health: 'NA',
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'app:shop:sleep',
              nodeType: 'app',
              namespace: 'shop',
              workload: 'sleep',
              app: 'sleep',
              label: 'sleep',
              labels: { app: 'sleep' },
              pods: [
                {
                  name: 'sleep-7b9f8d6c5-k2x4p',
                  hasSidecar: true,
                  ip: '10.244.2.40',
                  hostIP: '192.168.10.12',
                  nodeName: 'node-2',
                  hostAliases: [{ ip: '203.0.113.25', hostnames: ['legacy-erp.example.com'] }],
                },
              ],
              traffic: [{ protocol: 'http', rates: { httpOut: 3.75 } }, { protocol: 'tcp', rates: { tcpOut: 8300 } }],
              health: 'NA',
              isRoot: true,
              parent: 'box-ns-shop',
            },
          },
          {
            data: {
              id: 'ext:203.0.113.25:80',
              nodeType: 'service',
              namespace: 'unknown',
              service: '203.0.113.25:80',
              label: '203.0.113.25:80',
              isExternalIP: { ip: '203.0.113.25', port: 80 },
              traffic: [{ protocol: 'tcp', rates: { tcpIn: 1500 } }],
              health: 'NA',
            },
          },
          {
            data: {
              id: 'egress:BlackHoleCluster',
              nodeType: 'service',
              namespace: 'unknown',
              service: 'BlackHoleCluster',
              label: 'BlackHoleCluster',
              isEgressCluster: 'BlackHoleCluster',
              traffic: [{ protocol: 'http', rates: { httpIn: 0.25, httpIn5xx: 0.25 } }],
              health: 'Failure',
              healthErrorRatio: 1,
              isInaccessible: true,
            },
          },
          {
            data: {
              id: 'egress:PassthroughCluster',
              nodeType: 'service',
              namespace: 'unknown',
              service: 'PassthroughCluster',
              label: 'PassthroughCluster',
              isEgressCluster: 'PassthroughCluster',
              traffic: [{ protocol: 'http', rates: { httpIn: 0.5 } }, { protocol: 'tcp', rates: { tcpIn: 2100 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              isInaccessible: true,
            },
          },
        ],
        edges: [
          {
            data: {
              id: 'app:shop:sleep->egress:BlackHoleCluster:http',
              source: 'app:shop:sleep',
              target: 'egress:BlackHoleCluster',
              traffic: {
                protocol: 'http',
                rates: { http: 0.25, http5xx: 0.25, httpPercentErr: 100, httpPercentReq: 6.7 },
                responses: { '502': { flags: { '-': 100 }, hosts: { 'evil.example.com': 100 } } },
              },
              reporter: 'source',
              healthStatus: 'Failure',
            },
          },
          {
            data: {
              id: 'app:shop:sleep->egress:PassthroughCluster:http',
              source: 'app:shop:sleep',
              target: 'egress:PassthroughCluster',
              traffic: {
                protocol: 'http',
                rates: { http: 0.5, httpPercentReq: 13.3 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'en.wikipedia.org': 100 } } },
              },
              reporter: 'source',
              healthStatus: 'Healthy',
            },
          },
          {
            data: {
              id: 'app:shop:sleep->egress:PassthroughCluster:tcp',
              source: 'app:shop:sleep',
              target: 'egress:PassthroughCluster',
              traffic: {
                protocol: 'tcp',
                rates: { tcp: 2100, tcpSent: 100, tcpReceived: 2000, tcpPercentReq: 25.3 },
                responses: { '-': { flags: { '-': 100 }, hosts: { unknown: 100 } } },
              },
              reporter: 'source',
              throughput: 2100,
            },
          },
          {
            data: {
              id: 'app:shop:sleep->ext:203.0.113.25:80:tcp',
              source: 'app:shop:sleep',
              target: 'ext:203.0.113.25:80',
              traffic: {
                protocol: 'tcp',
                rates: { tcp: 1500, tcpSent: 300, tcpReceived: 1200, tcpPercentReq: 18.1 },
                responses: { '-': { flags: { '-': 100 }, hosts: { '203.0.113.25:80': 100 } } },
              },
              reporter: 'source',
              throughput: 1500,
            },
          },
          {
            data: {
              id: 'app:shop:sleep->se:shop:external-apis:http',
              source: 'app:shop:sleep',
              target: 'se:shop:external-apis',
              traffic: {
                protocol: 'http',
                rates: { http: 3, httpPercentReq: 80 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'httpbin.org': 66.7, 'www.googleapis.com': 33.3 } } },
              },
              reporter: 'source',
              healthStatus: 'Healthy',
            },
          },
          {
            data: {
              id: 'app:shop:sleep->svc:shop:egress-route-1:tcp',
              source: 'app:shop:sleep',
              target: 'svc:shop:egress-route-1',
              traffic: {
                protocol: 'tcp',
                rates: { tcp: 200, tcpSent: 50, tcpReceived: 150, tcpPercentReq: 2.4 },
                responses: { '-': { flags: { '-': 100 }, hosts: { 'egress-route-1.shop.svc.cluster.local': 100 } } },
              },
              reporter: 'source',
              throughput: 200,
            },
          },
          {
            data: {
              id: 'app:shop:sleep->vapp:shop:mongodb:v1:tcp',
              source: 'app:shop:sleep',
              target: 'vapp:shop:mongodb:v1',
              traffic: {
                protocol: 'tcp',
                rates: { tcp: 4500, tcpSent: 500, tcpReceived: 4000, tcpPercentReq: 54.2 },
                responses: { '-': { flags: { '-': 100 }, hosts: { 'mongodb.shop.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              throughput: 4500,
              isMTLS: 100,
            },
          },
        ],
      },
    });
  });
});
