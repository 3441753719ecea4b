import { describe, expect, it } from 'vitest';
import { buildInventory, parseAccessLog, parseManifests, splitLogTimestamp } from '@meshlens/mesh';
import type { EnvoyAccessLog } from '@meshlens/model';
import { loadDemoManifests, loadTrafficModel } from '../scenarios.js';
import { createSimulator } from '../simulator/simulator.js';
import { trace } from '../__fixtures__/support.js';
import { createDemoLogs, DemoLogError } from './index.js';

const objects = loadDemoManifests().flatMap((f) => parseManifests(f.text, { file: f.file, source: 'demo' }).objects);
const inv = buildInventory(objects);
const model = loadTrafficModel();
const sim = createSimulator(inv, model, { seed: 1, trace });
const logs = createDemoLogs(inv, model, sim, 1);
const T = 1790000000;

const podOf = (ns: string, workload: string) => inv.workloadsByKey.get(`${ns}/${workload}`)!.pods[0]!.name;
/** The access-log lines of a container over the last `minutes`, parsed. */
function accessLines(ns: string, workload: string, minutes = 10, container = 'istio-proxy'): EnvoyAccessLog[] {
  const { lines } = logs.read({ namespace: ns, pod: podOf(ns, workload), container, from: T - minutes * 60, to: T });
  return lines.map((l) => parseAccessLog(splitLogTimestamp(l).message)).filter((x): x is EnvoyAccessLog => x !== undefined);
}
const flagged = (lines: EnvoyAccessLog[], flag: string) => lines.filter((l) => l.responseFlags.some((f) => f.flag === flag));

// Whole minutes of a busy gateway's log are tens of thousands of lines: give these tests time.
describe('the demo\'s pod logs', { timeout: 60_000 }, () => {
  it('are the same for the same seed and time, timestamped like the kubelet, oldest first', () => {
    const q = { namespace: 'circuit-breaking', pod: podOf('circuit-breaking', 'fortio-deploy'), container: 'istio-proxy', from: T - 600, to: T, tailLines: 50 };
    const a = logs.read(q);
    expect(logs.read(q)).toEqual(a);
    expect(createDemoLogs(inv, model, sim, 1).read(q)).toEqual(a);
    expect(createDemoLogs(inv, model, sim, 2).read(q)).not.toEqual(a);
    expect(a.lines).toHaveLength(50);
    const times = a.lines.map((l) => splitLogTimestamp(l).timestamp!);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    expect([...times].sort()).toEqual(times);
    // A tail is the end of the whole log.
    expect(logs.read({ ...q, tailLines: undefined }).lines.slice(-50)).toEqual(a.lines);
  });

  it('show circuit breaking on the client: fortio\'s sidecar logs 503 UO overflows, httpbin\'s never sees them', () => {
    const fortio = accessLines('circuit-breaking', 'fortio-deploy');
    const uo = flagged(fortio, 'UO');
    // fortio -c 3 against maxConnections 1 + http1MaxPendingRequests 1: about a third overflow.
    expect(uo.length / fortio.length).toBeGreaterThan(0.25);
    expect(uo.length / fortio.length).toBeLessThan(0.45);
    expect(uo[0]).toMatchObject({
      method: 'GET', path: '/get', responseCode: 503, responseCodeDetails: 'upstream_reset_before_response_started{overflow}', bytesReceived: 0,
      userAgent: 'fortio.org/fortio-1.66.0', authority: 'httpbin:8000', upstreamCluster: 'outbound|8000||httpbin.circuit-breaking.svc.cluster.local', direction: 'outbound',
    });
    expect(uo.every((l) => l.upstreamHost === undefined)).toBe(true);
    const httpbin = accessLines('circuit-breaking', 'httpbin');
    expect(flagged(httpbin, 'UO')).toEqual([]);
    expect(httpbin.every((l) => l.direction === 'inbound' && l.upstreamCluster === 'inbound|8080||')).toBe(true);
  });

  it('show the fault-injection tasks (FI aborts, DI delays), the ingress\'s 404 NR, REGISTRY_ONLY\'s 502 to BlackHoleCluster and the broken egress setup\'s PassthroughCluster', () => {
    const abort = flagged(accessLines('bookinfo-abort', 'reviews-v2'), 'FI');
    expect(abort.length).toBeGreaterThan(0);
    expect(abort[0]).toMatchObject({ path: '/ratings/0', responseCode: 500, responseCodeDetails: 'fault_filter_abort', authority: 'ratings:9080' });
    const delayed = flagged(accessLines('bookinfo-faults', 'reviews-v2', 30), 'DI');
    expect(delayed.length).toBeGreaterThan(0);
    expect(delayed.every((l) => l.responseCode === 200 && l.durationMs >= 7000)).toBe(true);
    const nr = flagged(accessLines('istio-system', 'istio-ingressgateway', 5), 'NR');
    expect(nr.length).toBeGreaterThan(0);
    expect(nr.every((l) => l.responseCode === 404 && l.responseCodeDetails === 'route_not_found' && l.upstreamCluster === undefined)).toBe(true);
    expect(new Set(nr.map((l) => `${l.authority} ${l.path}`))).toEqual(new Set(['bookinfo.example.com /admin/config.php', 'httpbin.example.com /headers', '192.168.10.10 /status/200', 'shop.example.net /cart']));
    const blocked = accessLines('egress-registry-only', 'sleep', 30).filter((l) => l.responseCode === 502);
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((l) => l.upstreamCluster === 'BlackHoleCluster' && l.routeName === 'block_all' && l.authority === 'unregistered.example.com')).toBe(true);
    const passthrough = accessLines('default', 'pod1').filter((l) => l.upstreamCluster === 'PassthroughCluster');
    expect(passthrough.length).toBeGreaterThan(0);
    expect(new Set(passthrough.map((l) => l.routeName))).toEqual(new Set(['allow_any']));
  });

  it('give the application container one line per request it served, and refuse unknown pods and containers', () => {
    const app = logs.read({ namespace: 'circuit-breaking', pod: podOf('circuit-breaking', 'httpbin'), container: 'httpbin', from: T - 60, to: T });
    expect(app.lines.length).toBeGreaterThan(500);
    expect(splitLogTimestamp(app.lines[0]!).message).toMatch(/^127\.0\.0\.6 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/get HTTP\/1\.1" (200 420|503 0) "-" "fortio\.org\/fortio-1\.66\.0"$/);
    const err = (q: Parameters<typeof logs.read>[0]) => { try { logs.read(q); return undefined; } catch (e) { return e as DemoLogError; } };
    const pod = podOf('circuit-breaking', 'httpbin');
    expect(err({ namespace: 'circuit-breaking', pod: 'httpbin-nope', from: T - 60, to: T })).toMatchObject({ reason: 'pod', message: 'pods "httpbin-nope" not found in namespace "circuit-breaking"' });
    expect(err({ namespace: 'circuit-breaking', pod, container: 'nginx', from: T - 60, to: T })).toMatchObject({ reason: 'container', message: `container nginx is not valid for pod ${pod}, choose one of: [httpbin istio-proxy]` });
    expect(err({ namespace: 'circuit-breaking', pod, from: T - 60, to: T })).toMatchObject({ reason: 'choose' });
  });

  it('simulate pod status: running and ready, restarts only where the scenario has error bursts', () => {
    const status = (ns: string, workload: string) => logs.podStatus(inv.workloadsByKey.get(`${ns}/${workload}`)!.pods[0]!, T);
    expect(status('circuit-breaking', 'fortio-deploy')).toMatchObject({ phase: 'Running', containers: [{ name: 'fortio', ready: true, restarts: 0, state: 'running' }, { name: 'istio-proxy', ready: true, restarts: 0, state: 'running' }] });
    const httpbin = status('circuit-breaking', 'httpbin');
    expect(httpbin.containers![0]!.restarts).toBeGreaterThan(0);
    expect(httpbin.containers![0]!.restarts).toBeLessThan(10);
    expect(httpbin.containers![1]).toEqual({ name: 'istio-proxy', ready: true, restarts: 0, state: 'running' });
    // The seed's bare pod ran once: Succeeded, its container Completed.
    expect(status('egress-router', 'hostaliases-pod')).toMatchObject({ phase: 'Succeeded', containers: [{ name: 'cat-hosts', ready: false, state: 'terminated: Completed' }] });
  });
});
