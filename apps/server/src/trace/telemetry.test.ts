/**
 * Configuration against telemetry on seed 001 fixed (ServiceEntry, subset and gateway rule in place): the
 * configuration sends default/pod1's request through the egress gateway; a window whose telemetry still shows
 * PassthroughCluster disagrees, in words, and one that shows the gateway agrees, each step drawn seen or not.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildInventory, traceRequest } from '@meshlens/mesh';
import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import { loadManifestTexts } from '@meshlens/sources';
import { compareWithTelemetry, durationWords, rateWords } from './telemetry.js';
import { traceIntents } from './intent.js';

const T = 1790000000;
const fixture = (name: string) => ({ file: name, text: readFileSync(fileURLToPath(new URL(`../../../../packages/mesh/src/routing/__fixtures__/${name}`, import.meta.url)), 'utf8') });
const loaded = loadManifestTexts([fixture('seed-001-fixed.yaml')]);
const inv = buildInventory(loaded.objects, loaded.errors);
const result = traceRequest(inv, { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443, sni: 'en.wikipedia.org' });

const node = (id: string, extra: Partial<NodeData> = {}): { data: NodeData } => ({ data: { id, nodeType: 'workload', namespace: id.split(':')[1] ?? 'unknown', label: id, ...extra } });
const tcp = (source: string, target: string, bytes: number, hosts: Record<string, number>): { data: EdgeData } => ({
  data: { id: `${source}->${target}:tcp`, source, target, reporter: 'source', traffic: { protocol: 'tcp', rates: { tcp: bytes }, responses: { '-': { flags: { '-': 100 }, hosts } } } },
});
const graphOf = (nodes: Array<{ data: NodeData }>, edges: Array<{ data: EdgeData }>): GraphResponse => ({ timestamp: T, duration: 600, graphType: 'workload', namespaces: ['default', 'istio-system'], elements: { nodes, edges } });
const PASSTHROUGH = node('egress:PassthroughCluster', { nodeType: 'service', namespace: 'unknown', service: 'PassthroughCluster', isEgressCluster: 'PassthroughCluster', label: 'PassthroughCluster' });

describe('compareWithTelemetry', () => {
  it('the configuration goes through the egress gateway, the telemetry shows PassthroughCluster: it says so', () => {
    expect(result.paths.map((p) => p.hops.map((h) => h.to.kind).join(' > '))).toEqual(['service > gateway > serviceEntry > external']);
    expect(traceIntents(inv, result)).toEqual([]);
    const graph = graphOf([node('wl:default:pod1', { workload: 'pod1' }), PASSTHROUGH], [tcp('wl:default:pod1', 'egress:PassthroughCluster', 62353, { unknown: 100 })]);
    const t = compareWithTelemetry(inv, result, [], graph, { duration: 600, queryTime: T, live: true });
    const path = t.paths[0]!;
    expect({ verdict: path.verdict, expected: path.expected, seen: path.nodes.map((n) => `${n.kind} ${n.label} ${n.observed ? 'seen' : 'configuration only'}`) }).toEqual({
      verdict: 'disagrees',
      expected: { node: 'wl:istio-system:istio-egressgateway', label: 'istio-system/istio-egressgateway' },
      seen: [
        'workload default/pod1 seen',
        'service istio-egressgateway.istio-system.svc.cluster.local:443 configuration only',
        'gateway istio-system/istio-egressgateway configuration only',
        'serviceEntry www.wikipedia.org:443 configuration only',
        'external www.wikipedia.org:443 configuration only',
      ],
    });
    expect(path.matching).toEqual([]);
    expect(path.elsewhere.map((e) => `${e.peer.label} ${e.protocol} ${e.rate}`)).toEqual(['PassthroughCluster tcp 62353']);
    expect(path.summary).toBe('In the last 10 minutes default/pod1 sent nothing of this kind to istio-system/istio-egressgateway, but 61 KiB/s of TCP to PassthroughCluster.');
    expect(path.disagreement).toBe('The configuration sends this request through the egress gateway istio-system/istio-egressgateway, but in the last 10 minutes the telemetry shows default/pod1 sending 61 KiB/s of TCP to PassthroughCluster, and nothing to istio-system/istio-egressgateway.');
  });

  it('traffic through the gateway to the ServiceEntry agrees, and every step is seen', () => {
    const graph = graphOf(
      [node('wl:default:pod1', { workload: 'pod1' }), node('wl:istio-system:istio-egressgateway', { workload: 'istio-egressgateway' }), node('se:istio-system:www-wikipedia', { nodeType: 'service', label: 'www.wikipedia.org' })],
      [tcp('wl:default:pod1', 'wl:istio-system:istio-egressgateway', 2048, { 'istio-egressgateway.istio-system.svc.cluster.local': 100 }), tcp('wl:istio-system:istio-egressgateway', 'se:istio-system:www-wikipedia', 2048, { 'www.wikipedia.org': 100 })],
    );
    const path = compareWithTelemetry(inv, result, [], graph, { duration: 3600, queryTime: T, live: false }).paths[0]!;
    expect(path.verdict).toBe('agrees');
    expect(path.nodes.every((n) => n.observed)).toBe(true);
    expect(path.summary).toBe('In the 1 hour up to 2026-09-21T14:13:20Z default/pod1 sent 2 KiB/s of TCP to istio-system/istio-egressgateway, as the configuration says.');
    expect(path.disagreement).toBeUndefined();
  });

  it('says when there is no telemetry, and why', () => {
    const t = compareWithTelemetry(inv, result, [], undefined, { duration: 600, queryTime: T, live: true }, 'Telemetry is unavailable (Prometheus did not answer): the trace shows the configuration only.');
    expect(t.note).toBe('Telemetry is unavailable (Prometheus did not answer): the trace shows the configuration only.');
    expect(t.paths.map((p) => [p.verdict, p.summary, p.nodes.map((n) => n.observed)])).toEqual([
      ['unknown', 'Telemetry is unavailable (Prometheus did not answer): the trace shows the configuration only.', [false, false, false, false, false]],
    ]);
  });

  it('words rates and windows as the console does', () => {
    expect([rateWords('tcp', 512), rateWords('tcp', 62353.19), rateWords('http', 0.127), rateWords('grpc', 12)]).toEqual(['512 B/s of TCP', '61 KiB/s of TCP', '0.13 rps of HTTP', '12 rps of gRPC']);
    expect([durationWords(60), durationWords(600), durationWords(3600), durationWords(86400 * 7), durationWords(90)]).toEqual(['1 minute', '10 minutes', '1 hour', '7 days', '90 seconds']);
  });
});
