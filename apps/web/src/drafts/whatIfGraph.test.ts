/**
 * The worker's what-if graph on the demo mesh: the simulator re-run in the browser gives the server's graph when
 * nothing is drafted, and seed 001's fixes send pod1's TLS traffic through the egress gateway; on a source without
 * simulated traffic the tracer predicts the same move from the window's edges.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildGraph, draftedInventory, parseDraft, viewGraph, type Inventory } from '@meshlens/mesh';
import type { DraftSimulation, GraphResponse, TelemetrySamples } from '@meshlens/model';
import { createDemoSource } from '@meshlens/sources';
import { compareGraph, diffGraphs } from './graphDiff';
import { predictedWhatIf, simulatedWhatIf, whatIfNote, type WhatIfView } from './whatIfGraph';

const demo = createDemoSource();
const inv = demo.inventory();
const T = 1764892800;
const FIXES = readFileSync(new URL('../../../../packages/mesh/src/drafts.seed-001-fixes.yaml', import.meta.url), 'utf8');
// what GET /api/drafts/base sends, through JSON as the worker receives it
const simulation = JSON.parse(JSON.stringify({ kind: 'demo', seed: demo.simulator.settings.seed, cluster: demo.simulator.settings.cluster, trafficModel: demo.simulator.settings.model })) as Extract<DraftSimulation, { kind: 'demo' }>;

const view = (namespaces: string[]): WhatIfView => ({ graphType: 'versionedApp', namespaces, includeIdle: false, showWaypoints: false, responseTimes: true, budget: 300, expand: [] });

/** GET /api/graph's answer for a view, as the server assembles it from its simulator. */
function serverGraph(v: WhatIfView): GraphResponse {
  const samples = demo.simulator.samplesAt(T, 600) as TelemetrySamples;
  return viewGraph(buildGraph(inv, samples, { graphType: v.graphType, namespaces: v.namespaces, duration: 600, queryTime: T, includeIdle: v.includeIdle, boxByNamespace: true, showWaypoints: v.showWaypoints }), { budget: v.budget, expand: v.expand });
}

const drafted = (text: string): Inventory => draftedInventory({ objects: inv.objects, errors: inv.errors }, [parseDraft(text, 'draft:t')]).inventory;

describe('the demo\'s traffic re-simulated with the drafts', () => {
  const egressView = view(['default', 'istio-system']);
  const now = serverGraph(egressView);

  it('without drafts, gives exactly the server\'s graph and no changed request', () => {
    const same = simulatedWhatIf(inv, inv, simulation, now, egressView);
    expect(same.kind).toBe('simulated');
    expect(same.graph).toEqual(now);
    expect(same.changed).toEqual([]);
  });

  it('with seed 001\'s fixes, pod1\'s TLS traffic goes to the egress gateway and on to the wikipedia ServiceEntry instead of PassthroughCluster', () => {
    const steps: string[] = [];
    const r = simulatedWhatIf(inv, drafted(FIXES), simulation, now, egressView, (s) => steps.push(s));
    expect(steps).toEqual(['re-running the simulated traffic over the drafted objects', 'assembling the graph', 'tracing the requests whose path changes']);
    expect(diffGraphs(now, r.graph)).toEqual({
      addedNodes: ['app:istio-system:istio-egressgateway', 'se:istio-system:wikipedia'],
      removedNodes: [],
      addedEdges: ['app:default:pod1->app:istio-system:istio-egressgateway:tcp', 'app:istio-system:istio-egressgateway->se:istio-system:wikipedia:tcp'],
      removedEdges: ['app:default:pod1->egress:PassthroughCluster:tcp'],
      changedSplits: [],
    });
    const toGateway = [{ node: 'app:istio-system:istio-egressgateway', label: 'gateway istio-system/istio-egressgateway', weight: 1 }];
    const passthrough = [{ node: 'egress:PassthroughCluster', label: 'PassthroughCluster', weight: 1 }];
    expect(r.changed).toEqual([
      { sourceNode: 'app:default:pod1', from: 'default/pod1', url: 'tls://en.wikipedia.org:443', now: passthrough, withDrafts: toGateway },
      { sourceNode: 'app:default:pod1', from: 'default/pod1', url: 'tls://ko.wikipedia.org:443', now: passthrough, withDrafts: toGateway },
    ]);
    // the HTTP call to ifconfig.me still leaves through PassthroughCluster
    const compared = compareGraph(now, r.graph);
    expect(compared.elements.edges.filter((e) => e.data.source === 'app:default:pod1').map((e) => [e.data.id, (e.data as { mlDiff?: string }).mlDiff ?? 'same'])).toEqual([
      ['app:default:pod1->app:istio-system:istio-egressgateway:tcp', 'added'],
      ['app:default:pod1->egress:PassthroughCluster:http', 'same'],
      ['app:default:pod1->egress:PassthroughCluster:tcp', 'removed'],
    ]);
  });

  it('says in one sentence what "with drafts" means for each kind of source', () => {
    expect(whatIfNote(simulation)).toBe('With drafts: the demo\'s simulated traffic re-run in your browser over the live objects with your drafts in place.');
    expect(whatIfNote({ kind: 'none', reason: 'no simulated traffic: the kubernetes source\'s graph comes from its recorded or live telemetry' })).toBe(
      'With drafts: this window\'s telemetry, with badges and findings recomputed and the tracer\'s predicted paths (dashed) where your drafts send traffic elsewhere (no simulated traffic: the kubernetes source\'s graph comes from its recorded or live telemetry).',
    );
  });
});

describe('the tracer\'s prediction over the window\'s telemetry (sources without simulated traffic)', () => {
  const v = view(['bookinfo-routing']);
  const now = serverGraph({ ...v, budget: 0 });
  const SPLIT = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: bookinfo-routing\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 50\n    - destination: {host: reviews, subset: v3}\n      weight: 50\n';

  it('a 50/50 split of reviews: the badge is recomputed, v1 keeps half of productpage\'s calls and a dashed edge to v3 takes the other half', () => {
    const r = predictedWhatIf(inv, drafted(SPLIT), now, { ...v, budget: 0 });
    expect(r.kind).toBe('predicted');
    const from = 'vapp:bookinfo-routing:productpage:v1';
    expect(r.changed).toEqual([{
      sourceNode: from, from: 'bookinfo-routing/productpage-v1', url: 'http://reviews.bookinfo-routing.svc.cluster.local:9080/',
      now: [{ node: 'vapp:bookinfo-routing:reviews:v1', label: 'workload bookinfo-routing/reviews-v1', weight: 1 }],
      withDrafts: [{ node: 'vapp:bookinfo-routing:reviews:v1', label: 'workload bookinfo-routing/reviews-v1', weight: 0.5 }, { node: 'vapp:bookinfo-routing:reviews:v3', label: 'workload bookinfo-routing/reviews-v3', weight: 0.5 }],
    }]);
    const v1 = now.elements.edges.find((e) => e.data.id === `${from}->vapp:bookinfo-routing:reviews:v1:http`)!.data.traffic.rates.http!;
    const predicted = r.graph.elements.edges.filter((e) => (e.data as { mlPredicted?: boolean }).mlPredicted).map((e) => [e.data.id, e.data.traffic.rates]);
    expect(predicted).toEqual([
      [`${from}->vapp:bookinfo-routing:reviews:v1:http`, { http: Math.round(v1 * 500) / 1000 }],
      [`${from}->vapp:bookinfo-routing:reviews:v3:http`, { http: Math.round(v1 * 500) / 1000 }],
    ]);
    const diff = diffGraphs(now, r.graph);
    expect([diff.addedNodes, diff.addedEdges, diff.removedEdges, diff.changedSplits.map((c) => c.id)]).toEqual([
      ['vapp:bookinfo-routing:reviews:v3'], [`${from}->vapp:bookinfo-routing:reviews:v3:http`], [], [`${from}->vapp:bookinfo-routing:reviews:v1:http`],
    ]);
    const shifting = (g: GraphResponse) => g.elements.nodes.filter((n) => n.data.hasTrafficShifting).map((n) => n.data.id);
    expect([shifting(now), shifting(r.graph)]).toEqual([[], ['vapp:bookinfo-routing:reviews:v1', 'vapp:bookinfo-routing:reviews:v2']]);
  });

  it('nothing drafted that matters: the window\'s graph as it is', () => {
    const r = predictedWhatIf(inv, inv, now, { ...v, budget: 0 });
    expect([r.graph, r.changed]).toEqual([now, []]);
  });
});
