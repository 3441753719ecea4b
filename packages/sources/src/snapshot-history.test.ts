/**
 * A snapshot's charts section: recorded from the demo simulator over every namespace, written compactly, read back,
 * and answering the side panel's chart queries with the numbers the live simulator gives for that window.
 */
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureSnapshot, createSnapshotSource, decodeSnapshot, encodeSnapshot, type SnapshotBundle } from './snapshot-source.js';
import { createDemoSource } from './static-source.js';
import { metricSeries } from './metrics-series.js';
import { resolveMetricsTarget } from './metrics-target.js';
import { simulatedRange } from './simulated-range.js';
import { CHART_FAMILIES, type TelemetryRangePoints, type TelemetryRangeQuery } from './telemetry-range.js';
import { PAIR_GROUP } from './prometheus/graph-queries.js';

// 2025-11-22T02:00:00Z: the recorded window is 01:50:00–02:00:00 UTC.
const T = 1_763_776_800;
const demo = createDemoSource({ seed: 1 });
const all = [...demo.inventory().namespaces.keys()].sort();
const window = { queryTime: T, duration: 600, namespaces: all, responseTimes: true };

/** productpage v1 → reviews v2 in bookinfo-routing, as the console asks for the edge's charts. */
const edge = resolveMetricsTarget(demo.inventory(), {
  namespace: 'bookinfo-routing', app: 'reviews', version: 'v2', direction: 'inbound', peerNamespace: 'bookinfo-routing', peerApp: 'productpage', peerVersion: 'v1',
}).matchers;

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12);

/** Whole points compared: same timestamps, same keys at every point, values equal within float rounding. */
function expectSamePoints(offline: TelemetryRangePoints, live: TelemetryRangePoints): void {
  expect(offline.timestamps).toEqual(live.timestamps);
  for (const k of ['requestsByCode', 'buckets'] as const) {
    offline[k].forEach((point, i) => {
      expect(Object.keys(point).sort(), `${k}[${i}]`).toEqual(Object.keys(live[k][i]!).sort());
      for (const [key, v] of Object.entries(point)) expect(close(v, live[k][i]![key]!), `${k}[${i}][${key}] ${v} vs ${live[k][i]![key]}`).toBe(true);
    });
  }
  for (const k of ['tcpSent', 'tcpReceived'] as const) {
    expect(offline[k].map((v) => v === null), k).toEqual(live[k].map((v) => v === null));
    offline[k].forEach((v, i) => { if (v !== null) expect(close(v, live[k][i]!), `${k}[${i}]`).toBe(true); });
  }
}

let bundle: SnapshotBundle;
let bytes: Buffer;
beforeAll(async () => {
  bundle = await captureSnapshot(demo, [window], { meshlensVersion: '0.1.0', now: () => T * 1000 + 5000 });
  bytes = encodeSnapshot(bundle);
});

describe('snapshot charts section', () => {
  it('records every namespace on /api/metrics\' default grid, label names once, one value per point', () => {
    const h = bundle.history!;
    expect({ start: h.start, end: h.end, step: h.step, rateInterval: h.rateInterval, scrapeInterval: h.scrapeInterval, omitted: h.omitted }).toEqual({
      start: T - 600, end: T, step: 15, rateInterval: 60, scrapeInterval: 15, omitted: undefined,
    });
    expect(Object.keys(h.families).sort()).toEqual([...CHART_FAMILIES].sort());
    // The graph's pair labels (the demo sets no destination_port) and what the charts sum by; no flags, no mTLS policy.
    const pair = PAIR_GROUP.filter((l) => l !== 'destination_port');
    expect(h.families.istio_requests_total!.labels).toEqual([...pair, 'response_code'].sort());
    expect(h.families.istio_request_duration_milliseconds_bucket!.labels).toEqual([...pair, 'le'].sort());
    expect(h.families.istio_tcp_sent_bytes_total!.labels).toEqual([...pair].sort());
    for (const f of Object.values(h.families)) {
      for (const [labels, values] of f.series) {
        expect(labels).toHaveLength(f.labels.length);
        expect(values).toHaveLength(41);
      }
    }
    // Every namespace: series of namespaces other than the view's are there too.
    const nsIndex = h.families.istio_requests_total!.labels.indexOf('destination_workload_namespace');
    expect(new Set(h.families.istio_requests_total!.series.map(([l]) => l[nsIndex])).size).toBeGreaterThan(5);
    // The file says the same as the bundle in memory, under the same format string.
    const text = gunzipSync(bytes).toString('utf8');
    expect(JSON.parse(text).format).toBe('meshlens-snapshot/1');
    expect(decodeSnapshot(bytes).history).toEqual(h);
  });

  it('keeps the demo bundle small', () => {
    // 22 namespaces (the Gateway API and ambient scenarios included): about 250 KB compressed.
    expect(bytes.length).toBeLessThan(300_000);
  });

  it('answers an edge\'s charts with the live simulator\'s numbers for the recorded window', async () => {
    const source = createSnapshotSource(decodeSnapshot(bytes));
    const q: TelemetryRangeQuery = { matchers: edge, start: T - 600, end: T, step: 15, rateInterval: 60 };
    const offline = await source.telemetry.range!(q);
    const live = simulatedRange(demo.simulator, q);
    expect(offline.warnings).toEqual([]);
    expect(live.requestsByCode.every((p) => Object.keys(p).length > 0)).toBe(true);
    expect(Object.keys(live.buckets[40]!)).toHaveLength(20);
    expectSamePoints(offline, live);
    // What the console draws: the same series, equal to the wire's 4 decimals.
    const [a, b] = [metricSeries(offline), metricSeries(live)];
    expect(a.map((s) => s.id)).toEqual(['requests.2xx', 'errors.percent', 'latency.p50', 'latency.p95', 'latency.p99']);
    expect(a.map((s) => s.id)).toEqual(b.map((s) => s.id));
    a.forEach((s, i) => s.values.forEach((v, j) => expect(Math.abs(v! - b[i]!.values[j]!), `${s.id}[${j}]`).toBeLessThanOrEqual(1e-4 + 1e-9 * Math.abs(v!))));
  });

  it('sums a TCP workload\'s bytes and a whole node as the live charts do', async () => {
    const source = createSnapshotSource(decodeSnapshot(bytes));
    const tcp = demo.simulator.samplesAt(T, 600).istio_tcp_received_bytes_total!.find((s) => s.metric.reporter === 'destination')!.metric;
    const range = (matchers: TelemetryRangeQuery['matchers']): TelemetryRangeQuery => ({ matchers, start: T - 600, end: T, step: 15, rateInterval: 60 });
    const tcpQuery = range(resolveMetricsTarget(demo.inventory(), { namespace: tcp.destination_workload_namespace!, workload: tcp.destination_workload! }).matchers);
    const liveTcp = simulatedRange(demo.simulator, tcpQuery);
    expect(liveTcp.tcpSent.every((v) => v !== null && v > 0) && liveTcp.tcpReceived.every((v) => v !== null && v > 0)).toBe(true);
    expectSamePoints(await source.telemetry.range!(tcpQuery), liveTcp);
    // A node's outbound charts sum every edge it sends on.
    const nodeQuery = range(resolveMetricsTarget(demo.inventory(), { namespace: 'bookinfo-routing', app: 'productpage', version: 'v1', direction: 'outbound' }).matchers);
    const liveNode = simulatedRange(demo.simulator, nodeQuery);
    const edgeNow = simulatedRange(demo.simulator, range(edge)).requestsByCode[40]!['200']!;
    expect(liveNode.requestsByCode[40]!['200']).toBeGreaterThan(10 * edgeNow);
    expectSamePoints(await source.telemetry.range!(nodeQuery), liveNode);
  });

  it('answers each asked time from the recorded point at or before it, and nothing outside the recorded window', async () => {
    const source = createSnapshotSource(decodeSnapshot(bytes));
    const recorded = await source.telemetry.range!({ matchers: edge, start: T - 600, end: T, step: 15, rateInterval: 60 });
    const shifted = await source.telemetry.range!({ matchers: edge, start: T - 1190, end: T + 10, step: 60, rateInterval: 60 });
    expect(shifted.timestamps).toEqual(Array.from({ length: 21 }, (_, i) => T - 1190 + i * 60));
    // T − 590 reads the point at T − 600, T − 530 the one at T − 540 …; before T − 600 and after T: nothing.
    expect(shifted.requestsByCode.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => ({})));
    expect(shifted.requestsByCode.slice(10, 20)).toEqual(Array.from({ length: 10 }, (_, i) => recorded.requestsByCode[i * 4]));
    expect(shifted.buckets[19]).toEqual(recorded.buckets[36]);
    expect(shifted.requestsByCode[20]).toEqual({});
    expect(shifted.warnings).toEqual(['This snapshot recorded only 01:50:00–02:00:00 UTC; the charts have no data outside it.']);
    const otherRate = await source.telemetry.range!({ matchers: edge, start: T - 600, end: T, step: 15, rateInterval: 240 });
    expect(otherRate.requestsByCode).toEqual(recorded.requestsByCode);
    expect(otherRate.warnings).toEqual(['This snapshot recorded rates over 60 s; the charts show those in place of rates over 240 s.']);
  });

  it('drops the duration histogram first, then everything, when the mesh is over the budget, and the charts say so', async () => {
    const h = bundle.history!;
    // A series costs its 41 points and its label values.
    const cost = (f: keyof typeof h.families) => h.families[f]!.series.reduce((n, [labels]) => n + 41 + labels.filter((v) => v !== '').length, 0);
    const small = cost('istio_requests_total') + cost('istio_tcp_received_bytes_total') + cost('istio_tcp_sent_bytes_total');
    const series = (f: keyof typeof h.families) => h.families[f]!.series.length;
    const histogram = series('istio_request_duration_milliseconds_bucket');

    const noHistogram = decodeSnapshot(encodeSnapshot(await captureSnapshot(demo, [window], { meshlensVersion: '0.1.0', history: { maxValues: small } })));
    expect(Object.keys(noHistogram.history!.families).sort()).toEqual(['istio_requests_total', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total']);
    const reason = `${histogram.toLocaleString('en-US')} duration-histogram series × 41 points (with their labels) is more than the ${small.toLocaleString('en-US')} values a snapshot keeps`;
    expect(noHistogram.history!.omitted).toEqual([{ families: ['istio_request_duration_milliseconds_bucket'], reason }]);
    const charts = await createSnapshotSource(noHistogram).telemetry.range!({ matchers: edge, start: T - 600, end: T, step: 15, rateInterval: 60 });
    expect(metricSeries(charts).map((s) => s.id)).toEqual(['requests.2xx', 'errors.percent']);
    expect(charts.warnings).toEqual([`This snapshot did not record response times (p50/p95/p99): ${reason}.`]);

    const none = decodeSnapshot(encodeSnapshot(await captureSnapshot(demo, [window], { meshlensVersion: '0.1.0', history: { maxValues: small - 1 } })));
    const total = series('istio_requests_total') + series('istio_tcp_received_bytes_total') + series('istio_tcp_sent_bytes_total') + histogram;
    const all = `${total.toLocaleString('en-US')} chart series × 41 points (with their labels) is more than the ${(small - 1).toLocaleString('en-US')} values a snapshot keeps`;
    expect(none.history).toMatchObject({ start: T - 600, end: T, families: {}, omitted: [{ families: [...CHART_FAMILIES], reason: all }] });
    const empty = await createSnapshotSource(none).telemetry.range!({ matchers: edge, start: T - 600, end: T, step: 15, rateInterval: 60 });
    expect(metricSeries(empty)).toEqual([]);
    expect(empty.warnings).toEqual([`This snapshot did not record charts over time: ${all}.`]);
  });

  it('still opens bundles without the section, or with a damaged one, and says what is missing', async () => {
    const { history, ...old } = bundle;
    expect(history).toBeDefined();
    const fromOld = createSnapshotSource(decodeSnapshot(encodeSnapshot(old)));
    const q: TelemetryRangeQuery = { matchers: edge, start: T - 600, end: T, step: 15, rateInterval: 60 };
    const none = await fromOld.telemetry.range!(q);
    expect(none.timestamps).toHaveLength(41);
    expect(metricSeries(none)).toEqual([]);
    expect(none.warnings).toEqual(['This snapshot has no charts over time: the Meshlens that took it did not record them; take a new snapshot to get them.']);

    const raw = JSON.parse(gunzipSync(bytes).toString('utf8'));
    raw.history.families.istio_request_duration_milliseconds_bucket.series[3][1].pop();
    const damaged = createSnapshotSource(decodeSnapshot(Buffer.from(JSON.stringify(raw))));
    const partial = await damaged.telemetry.range!(q);
    expect(metricSeries(partial).map((s) => s.id)).toEqual(['requests.2xx', 'errors.percent']);
    expect(partial.warnings).toEqual(["This snapshot did not record response times (p50/p95/p99): the file's istio_request_duration_milliseconds_bucket section is damaged (series 3 has 40 values for 41 points, or values that are not numbers)."]);
    // A grid of 600 000 points, or one whose end is off its step, is refused before anything is allocated for it.
    for (const bad of ['nonsense', { ...raw.history, step: 1e-3 }, { ...raw.history, end: raw.history.end + 7 }]) {
      const broken = await createSnapshotSource(decodeSnapshot(Buffer.from(JSON.stringify({ ...raw, history: bad })))).telemetry.range!(q);
      expect(broken.warnings).toEqual(["This snapshot did not record charts over time: the file's charts section is damaged."]);
    }
  });

  it('keeps its charts when a reopened snapshot is snapshotted again', async () => {
    const reopened = createSnapshotSource(decodeSnapshot(bytes));
    const again = await captureSnapshot(reopened, [window], { meshlensVersion: '0.1.0' });
    expect(again.history).toEqual(bundle.history);
  });
});
