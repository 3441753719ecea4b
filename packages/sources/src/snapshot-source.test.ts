import { buildGraph } from '@meshlens/mesh';
import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { captureSnapshot, createSnapshotSource, decodeSnapshot, encodeSnapshot, pickWindow, SnapshotFileError, windowNote } from './snapshot-source.js';
import { createDemoSource } from './static-source.js';
import type { MeshSource } from './source.js';

const T = 1_763_776_800;

describe('snapshot bundles', () => {
  it('round-trips the demo: same graph offline, secrets reduced to metadata, small file', async () => {
    const demo = createDemoSource({ seed: 1 });
    const window = { queryTime: T, duration: 600, namespaces: ['bookinfo-routing', 'istio-system'] };
    const bundle = await captureSnapshot(demo, [window], { meshlensVersion: '0.1.0', view: 'namespaces=bookinfo-routing', now: () => T * 1000 + 5000 });
    const bytes = encodeSnapshot(bundle);
    const text = gunzipSync(bytes).toString('utf8');
    // The demo's TLS secret holds "ZmFrZQ==" as data: it must not be in the file.
    expect(demo.inventory().objects.some((o) => o.ref.kind === 'Secret')).toBe(true);
    expect(text).not.toContain('ZmFrZQ==');
    expect(text).toContain('httpbin-credential');
    expect(bytes.length).toBeLessThan(200_000);

    const source = createSnapshotSource(decodeSnapshot(bytes, 'demo.meshlens.gz'));
    expect(source.kind).toBe('snapshot');
    expect(source.name).toBe('Snapshot of Demo mesh taken 2025-11-22T02:00:05Z');
    expect(source.status().objects).toBe(demo.inventory().objects.length);
    const options = { graphType: 'versionedApp' as const, namespaces: ['bookinfo-routing'], duration: 600, queryTime: T, boxByNamespace: true };
    const live = buildGraph(demo.inventory(), await demo.telemetry.samples(window), options);
    const offline = buildGraph(source.inventory(), await source.telemetry.samples(window), options);
    expect(offline).toEqual(live);
    expect(offline.elements.edges.length).toBeGreaterThan(3);
  });

  it("keeps the demo's simulated pod states (restarts, a Succeeded pod) as they were at the window's end", async () => {
    const demo = createDemoSource({ seed: 1 });
    const window = { queryTime: T, duration: 600, namespaces: ['circuit-breaking', 'egress-router'] };
    const bundle = await captureSnapshot(demo, [window], { meshlensVersion: '0.1.0', now: () => T * 1000 + 5000 });
    const source = createSnapshotSource(decodeSnapshot(encodeSnapshot(bundle), 'demo.meshlens.gz'));
    const pod = (src: MeshSource, ns: string, workload: string) => src.inventory().workloadsByKey.get(`${ns}/${workload}`)!.pods[0]!;
    for (const [ns, w] of [['circuit-breaking', 'httpbin'], ['circuit-breaking', 'fortio-deploy'], ['egress-router', 'hostaliases-pod']] as const) {
      expect(source.podStatus!(pod(source, ns, w), T + 3600)).toEqual(demo.podStatus!(pod(demo, ns, w), T));
    }
    expect(source.podStatus!(pod(source, 'circuit-breaking', 'httpbin'), T)!.containers![0]!.restarts).toBeGreaterThan(0);
    expect(source.podStatus!(pod(source, 'egress-router', 'hostaliases-pod'), T)).toMatchObject({ phase: 'Succeeded' });
  });

  it('leaves out recorded pod states that are not plain states, and keeps the others', () => {
    const raw = JSON.parse(gunzipSync(encodeSnapshot({ format: 'meshlens-snapshot/1', capturedAt: T, meshlensVersion: 'x', source: { name: 's', kind: 'demo' }, objects: [], errors: [], windows: [] })).toString('utf8'));
    raw.podStatus = {
      'ns/good': { phase: 'Running', containers: [{ name: 'app', ready: true, restarts: 2, state: 'running' }] },
      'ns/bad-phase': { phase: { $gt: 1 } },
      'no-slash': { phase: 'Running' },
      'ns/odd-container': { containers: [{ name: 'c', restarts: -4, ready: 'yes' }, 'junk'] },
    };
    const decoded = decodeSnapshot(gzipSync(JSON.stringify(raw)), 'x.meshlens.gz');
    expect(decoded.podStatus).toEqual({
      'ns/good': { phase: 'Running', containers: [{ name: 'app', ready: true, restarts: 2, state: 'running' }] },
      'ns/odd-container': { containers: [{ name: 'c' }] },
    });
  });

  it('answers other windows with the nearest recorded one of the same length', () => {
    const w = (queryTime: number, duration: number) => ({ queryTime, duration, namespaces: ['a'], samples: {} });
    const windows = [w(1000, 600), w(2000, 600), w(1900, 60)];
    expect(pickWindow(windows, { queryTime: 2000, duration: 600, namespaces: ['a'] })).toBe(windows[1]);
    expect(pickWindow(windows, { queryTime: 1200, duration: 600, namespaces: ['a'] })).toBe(windows[0]);
    expect(pickWindow(windows, { queryTime: 5000, duration: 3600, namespaces: ['a'] })).toBe(windows[1]);
  });

  it('says when the graph shows another window than the one asked, and which', () => {
    const w = (queryTime: number, duration: number) => ({ queryTime, duration, namespaces: ['a', 'b'], samples: {} });
    const windows = [w(T, 600)];
    expect(windowNote(windows, { queryTime: T, duration: 600, namespaces: ['a'] })).toBeUndefined();
    expect(windowNote(windows, { queryTime: T - 1200, duration: 600, namespaces: ['a'] }))
      .toBe('This snapshot recorded 01:50:00–02:00:00 UTC (10m); the graph shows that window in place of the requested 01:30:00–01:40:00 UTC.');
    expect(windowNote(windows, { queryTime: T, duration: 3600, namespaces: ['a', 'b'] }))
      .toBe('This snapshot recorded 01:50:00–02:00:00 UTC (10m); the graph shows that window in place of the requested 01:00:00–02:00:00 UTC.');
    // Another day: the dates are needed to tell the windows apart.
    expect(windowNote(windows, { queryTime: T - 86400, duration: 600, namespaces: ['a'] }))
      .toBe('This snapshot recorded 2025-11-22 01:50:00–2025-11-22 02:00:00 UTC (10m); the graph shows that window in place of the requested 2025-11-21 01:50:00–2025-11-21 02:00:00 UTC.');
    expect(windowNote(windows, { queryTime: T, duration: 600, namespaces: ['a', 'c'] }))
      .toBe('It did not record the traffic of namespace "c": only calls to or from "a", "b" appear.');
    expect(windowNote([], { queryTime: T, duration: 600, namespaces: ['a'] })).toBeUndefined();
  });

  it('offers only the recorded window in time, on the grid its charts were recorded with', async () => {
    const demo = createDemoSource({ seed: 1 });
    const window = { queryTime: T, duration: 600, namespaces: ['bookinfo-routing'] };
    const source = createSnapshotSource(await captureSnapshot(demo, [window], { meshlensVersion: '0.1.0' }));
    expect(await source.telemetry.timeInfo!()).toEqual({ scrapeInterval: 15, retention: 600, durations: [600], notes: ['snapshot: it recorded 01:50:00–02:00:00 UTC (10m) only'] });
    expect(source.telemetry.windowNote!({ ...window, queryTime: T + 600 })).toBe('This snapshot recorded 01:50:00–02:00:00 UTC (10m); the graph shows that window in place of the requested 02:00:00–02:10:00 UTC.');
  });

  it('refuses files that are not snapshots, saying why', () => {
    expect(() => decodeSnapshot(Buffer.from('hello'), 'x.gz')).toThrow(/x.gz: not JSON/);
    expect(() => decodeSnapshot(gzipSync('{"format":"other"}'), 'x.gz')).toThrow(SnapshotFileError);
    expect(() => decodeSnapshot(gzipSync('{"format":"meshlens-snapshot/1"}'), 'x.gz')).toThrow(/incomplete/);
  });
});

describe('a damaged snapshot file', () => {
  it('opens with its good part, and a load error names each damaged object, window and sample', async () => {
    const demo = createDemoSource({ seed: 1 });
    const all = [...demo.inventory().namespaces.keys()].sort();
    const good = await captureSnapshot(demo, [{ queryTime: T, duration: 600, namespaces: all }], { meshlensVersion: 'test', history: false });
    const raw = JSON.parse(JSON.stringify(good)) as { objects: unknown[]; windows: Array<{ samples: Record<string, unknown[]> }>; source: unknown };
    const requests = raw.windows[0]!.samples.istio_requests_total!;
    // What a hand-edited or truncated file holds: garbage in place of objects, samples and a window.
    raw.objects.push(1, {}, { object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orphan', namespace: 7 } } }, { ref: { kind: 'Service', name: 'x' }, object: { kind: 'Service', metadata: { name: 'x' } } });
    raw.windows[0]!.samples.istio_requests_total = [...requests, { metric: 'nope', value: [1, '2'] }, { value: [1] }];
    raw.windows[0]!.samples.istio_tcp_sent_bytes_total = 'x' as never;
    raw.windows.push({ queryTime: 'yesterday' } as never);
    raw.source = 42;
    const bundle = decodeSnapshot(gzipSync(JSON.stringify(raw)), 'incident.json.gz');
    expect(bundle.objects.length).toBe(good.objects.length);
    expect(bundle.source).toEqual({ name: 'an unnamed source', kind: 'unknown' });
    const n = good.objects.length;
    expect(bundle.errors.slice(good.errors.length)).toEqual([
      { file: 'incident.json.gz', message: `objects[${n}]: item is not a Kubernetes object (expected a mapping); left out` },
      { file: 'incident.json.gz', message: `objects[${n + 1}]: item is not a Kubernetes object (expected a mapping); left out` },
      { file: 'incident.json.gz', object: 'Service orphan', message: `objects[${n + 2}]: metadata.namespace must be a string; left out` },
      { file: 'incident.json.gz', object: 'Service x', message: `objects[${n + 3}]: object is missing apiVersion; left out` },
      { file: 'incident.json.gz', message: 'windows[0].samples.istio_requests_total: 2 of ' + (requests.length + 2) + ' samples are not Prometheus samples; left out' },
      { file: 'incident.json.gz', message: 'windows[0].samples.istio_tcp_sent_bytes_total: it is not Prometheus samples; left out' },
      { file: 'incident.json.gz', message: 'windows[1]: not a telemetry window (queryTime, duration, namespaces and samples are needed); left out' },
    ]);
    // The good part draws the same graph as the intact file.
    const source = createSnapshotSource(bundle);
    expect(source.status().errors.length).toBe(good.errors.length + 7);
    const options = { graphType: 'versionedApp' as const, namespaces: ['bookinfo-routing'], duration: 600, queryTime: T, includeIdle: false, boxByNamespace: true };
    const intact = buildGraph(createSnapshotSource(decodeSnapshot(encodeSnapshot(good))).inventory(), await createSnapshotSource(good).telemetry.samples({ queryTime: T, duration: 600, namespaces: ['bookinfo-routing'] }), options);
    expect(buildGraph(source.inventory(), await source.telemetry.samples({ queryTime: T, duration: 600, namespaces: ['bookinfo-routing'] }), options).elements).toEqual(intact.elements);
  });
});
