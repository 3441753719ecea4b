/** The CLI from outside: `meshlens graph` and `meshlens trace` as a user runs them, output and exit codes. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GraphResponse, TraceResult } from '@meshlens/model';
import { main } from './cli.js';
import { main as entryMain } from './entry.js';

const fixtures = fileURLToPath(new URL('../../../packages/mesh/src/graph/__fixtures__/', import.meta.url));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'meshlens', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe('meshlens graph', () => {
  it('prints the graph built from manifests and samples: egress cases on a workload graph', async () => {
    const { code, out, err } = await run('graph', '-f', `${fixtures}egress.yaml`, '--samples', `${fixtures}egress-telemetry.json`, '--graph-type', 'workload');
    expect(err).toBe('');
    expect(code).toBe(0);
    const graph = JSON.parse(out) as GraphResponse;
    expect({ type: graph.graphType, ns: graph.namespaces, duration: graph.duration, ts: graph.timestamp }).toEqual({ type: 'workload', ns: ['shop'], duration: 600, ts: 1767225600 });
    expect(graph.elements.nodes.map((n) => `${n.data.id} ${n.data.nodeType} ${n.data.label}`)).toEqual([
      'box-ns-shop box shop',
      'svc:shop:egress-route-1 service egress-route-1',
      'se:shop:external-apis service external-apis',
      'wl:shop:mongodb-v1 workload mongodb-v1',
      'wl:shop:sleep workload sleep',
      'ext:203.0.113.25:443 service 203.0.113.25:443',
      'ext:203.0.113.25:80 service 203.0.113.25:80',
      'ext:203.0.113.26:443 service 203.0.113.26:443',
      'ext:203.0.113.26:80 service 203.0.113.26:80',
      'egress:BlackHoleCluster service BlackHoleCluster',
      'egress:PassthroughCluster service PassthroughCluster',
    ]);
    const se = graph.elements.nodes.find((n) => n.data.id === 'se:shop:external-apis')!.data.isServiceEntry!;
    expect(se.hosts).toEqual(['httpbin.org', 'www.googleapis.com']);
    // The egress router's forwards (seed 003) are drawn from its configuration: its pod has no sidecar to report them.
    expect(graph.elements.edges.map((e) => `${e.data.source} -> ${e.data.target} ${e.data.traffic.protocol} ${JSON.stringify(e.data.traffic.rates)} ${e.data.reporter}`)).toEqual([
      'svc:shop:egress-route-1 -> ext:203.0.113.25:443 tcp {} none',
      'svc:shop:egress-route-1 -> ext:203.0.113.25:80 tcp {} none',
      'svc:shop:egress-route-1 -> ext:203.0.113.26:443 tcp {} none',
      'svc:shop:egress-route-1 -> ext:203.0.113.26:80 tcp {} none',
      'wl:shop:sleep -> egress:BlackHoleCluster http {"http":0.25,"http5xx":0.25,"httpPercentErr":100,"httpPercentReq":6.7} source',
      'wl:shop:sleep -> egress:PassthroughCluster http {"http":0.5,"httpPercentReq":13.3} source',
      'wl:shop:sleep -> egress:PassthroughCluster tcp {"tcp":2100,"tcpSent":100,"tcpReceived":2000,"tcpPercentReq":25.3} source',
      'wl:shop:sleep -> ext:203.0.113.25:80 tcp {"tcp":1500,"tcpSent":300,"tcpReceived":1200,"tcpPercentReq":18.1} source',
      'wl:shop:sleep -> se:shop:external-apis http {"http":3,"httpPercentReq":80} source',
      'wl:shop:sleep -> svc:shop:egress-route-1 tcp {"tcp":200,"tcpSent":50,"tcpReceived":150,"tcpPercentReq":2.4} source',
      'wl:shop:sleep -> wl:shop:mongodb-v1 tcp {"tcp":4500,"tcpSent":500,"tcpReceived":4000,"tcpPercentReq":54.2} destination',
    ]);
  });

  it('exits 2 with a message naming the problem', async () => {
    const missing = await run('graph', '-f', `${fixtures}egress.yaml`, '--samples', '/nonexistent.json');
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toBe('meshlens: /nonexistent.json: no such file\n');
    const ns = await run('graph', '-f', `${fixtures}egress.yaml`, '--samples', `${fixtures}egress-telemetry.json`, '--namespaces', 'nope');
    expect(ns.code).toBe(2);
    expect(ns.err).toBe('meshlens: --namespaces: unknown namespace nope (the manifests define: shop)\n');
    const type = await run('graph', '-f', 'x', '--samples', 'y', '--graph-type', 'bogus');
    expect(type.code).toBe(2);
    expect(type.err).toMatch(/--graph-type <type>' argument 'bogus' is invalid/);
  });
});

describe('meshlens trace', () => {
  it("answers seed 001: curl https://en.wikipedia.org from default/pod1 leaves through PassthroughCluster, and says why", async () => {
    const { code, out } = await run('trace', '--from', 'default/pod1', 'https://en.wikipedia.org');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('path 1: 100.0% → PassthroughCluster → en.wikipedia.org:443 — delivered');
    expect(lines[1]).toBe('  1. workload default/pod1 (1 pod) → PassthroughCluster → en.wikipedia.org:443 [https]');
    expect(out).toMatch(/VirtualService istio-system\/eg1 names \*\.wikipedia\.org but is not applied/);
    expect(out).toMatch(/· scenarios\/egress-gateway-broken\.yaml:\d+:\d+ VirtualService istio-system\/eg1 spec\.hosts\[0\]/);
  });

  it('follows header routing and prints JSON on request', async () => {
    const { code, out } = await run('trace', '--from', 'bookinfo-routing/productpage-v1', '-H', 'end-user: jason', 'http://reviews:9080/reviews/0', '-o', 'json');
    expect(code).toBe(0);
    const result = JSON.parse(out) as TraceResult;
    expect(result.request).toMatchObject({ protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', headers: { 'end-user': 'jason' } });
    expect(result.paths.map((p) => [p.weight, p.outcome.kind, p.destination.kind === 'workload' ? p.destination.name : p.destination.kind])).toEqual([[1, 'delivered', 'reviews-v2']]);
    const anonymous = JSON.parse((await run('trace', '--from', 'bookinfo-routing/productpage-v1', 'http://reviews:9080/reviews/0', '-o', 'json')).out) as TraceResult;
    expect(anonymous.paths.map((p) => p.destination.kind === 'workload' && p.destination.name)).toEqual(['reviews-v1']);
  });

  it('rejects a bad source or URL with exit 2', async () => {
    const from = await run('trace', '--from', 'nowhere', 'http://reviews:9080');
    expect(from).toMatchObject({ code: 2, err: 'meshlens: --from "nowhere": expected <namespace>/<workload>, gateway:<namespace>/<name> or outside\n' });
    const url = await run('trace', '--from', 'outside', 'ftp://x');
    expect(url).toMatchObject({ code: 2, err: 'meshlens: scheme "ftp:" is not one of http, https, grpc, tls, tcp\n' });
  });
});

describe('usage errors exit 2 with a message on stderr, for every command', () => {
  const last = (err: string) => err.trimEnd().split('\n').at(-1);

  it('trace: a --from workload, pod or gateway that does not exist (a finding needs something to trace from)', async () => {
    const pod2 = await run('trace', '--from', 'default/pod2', 'http://reviews:9080');
    expect({ code: pod2.code, out: pod2.out }).toEqual({ code: 2, out: '' });
    // the whole of stderr: the demo mesh's own scenario problems (a shadowed egress gateway) are not printed before it
    expect(pod2.err).toBe('meshlens: --from default/pod2: no workload or pod pod2 in namespace default of the demo mesh (its workloads: pod1)\n');
    const inFiles = await run('trace', '-f', `${fixtures}egress.yaml`, '--from', 'shop/nope', 'http://httpbin.org');
    expect(inFiles).toMatchObject({ code: 2, out: '' });
    expect(last(inFiles.err)).toMatch(/^meshlens: --from shop\/nope: no workload or pod nope in namespace shop of the manifests \(its workloads: .*sleep/);
    const gateway = await run('trace', '--from', 'gateway:istio-system/nope', 'http://reviews:9080');
    expect(last(gateway.err)).toMatch(/^meshlens: --from gateway:istio-system\/nope: no gateway workload nope in namespace istio-system of the demo mesh \(its workloads: /);
    expect(gateway.code).toBe(2);
    const namespace = await run('trace', '--from', 'nowhere/pod1', 'http://reviews:9080');
    expect(namespace.err).toBe('meshlens: --from nowhere/pod1: no workload or pod pod1 in namespace nowhere of the demo mesh (no such namespace)\n');
    // a demo trace that works says nothing on stderr
    const fine = await run('trace', '--from', 'default/pod1', 'http://reviews:9080');
    expect({ code: fine.code, err: fine.err }).toEqual({ code: 0, err: '' });
    // a pod name is a valid source too (the trace starts from its workload)
    expect((await run('trace', '-f', `${fixtures}egress.yaml`, '--from', 'shop/sleep', 'http://httpbin.org')).code).toBe(0);
  });

  it('trace: a missing -f file, an unknown option, no URL, no --from', async () => {
    expect(await run('trace', '-f', '/nonexistent.yaml', '--from', 'default/pod1', 'http://reviews:9080')).toEqual({ code: 2, out: '', err: 'meshlens: -f /nonexistent.yaml (no such file or directory): give an existing manifest file or directory\n' });
    const unknown = await run('trace', '--from', 'default/pod1', '--frobnicate', 'http://reviews:9080');
    expect(unknown).toMatchObject({ code: 2, out: '' });
    expect(unknown.err).toMatch(/unknown option '--frobnicate'/);
    expect((await run('trace', '--from', 'default/pod1')).err).toMatch(/missing required argument 'url'/);
    expect((await run('trace', 'http://reviews:9080')).err).toMatch(/required option '--from <source>' not specified/);
    expect((await run('trace', '--from', 'default/pod1')).code).toBe(2);
    expect((await run('trace', '--from', 'default/pod1', '-o', 'xml', 'http://reviews:9080')).code).toBe(2);
  });

  it('graph, snapshot and serve: a -f path that is not there stops the command instead of giving an empty mesh', async () => {
    const expected = { code: 2, out: '', err: 'meshlens: -f /nonexistent.yaml (no such file or directory): give an existing manifest file or directory\n' };
    expect(await run('graph', '-f', '/nonexistent.yaml', '--samples', `${fixtures}egress-telemetry.json`)).toEqual(expected);
    expect(await run('snapshot', '--out', '/tmp/meshlens-never-written.json', '-f', '/nonexistent.yaml')).toEqual(expected);
    expect(await run('serve', '-f', '/nonexistent.yaml', '--port', '0')).toEqual(expected);
  });

  it('serve, snapshot, demo and the root: unknown options, bad values, missing options, unknown commands', async () => {
    for (const args of [['serve', '--frobnicate'], ['serve', '--port', '99999'], ['serve', '--demo', '-f', `${fixtures}egress.yaml`], ['snapshot'], ['snapshot', '--out', 'x.json', '--graph-type', 'bogus'], ['demo', 'export-metrics', '--out', 'x', '--hours', 'abc'], ['frobnicate'], ['--frobnicate']]) {
      const r = await run(...args);
      expect({ args, code: r.code, out: r.out, hasMessage: r.err.length > 0 }).toEqual({ args, code: 2, out: '', hasMessage: true });
    }
  });

  it('validate through the executable\'s entry point parses and exits as through the full command tree', async () => {
    const viaEntry = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await entryMain(['node', 'meshlens', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; } });
      return { code, out, err };
    };
    const broken = fileURLToPath(new URL('./__fixtures__/validate/broken', import.meta.url));
    for (const args of [['validate', '-f', broken, '-o', 'json'], ['validate', '-f', broken], ['validate', '--frobnicate'], ['validate', '-f', '/nonexistent.yaml'], ['validate', '-f', broken, '--fail-on', 'fatal']]) {
      expect(await viaEntry(...args)).toEqual(await run(...args));
    }
    expect((await viaEntry('validate', '-f', broken)).code).toBe(1);
    expect((await viaEntry('validate', '--help')).code).toBe(0);
  });
});
