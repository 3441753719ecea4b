/**
 * A snapshot's charts taken from Debian's real Prometheus, filled by backfill with the demo simulator's counters:
 * the four range queries parse and return the chart families of every namespace, and the reopened snapshot draws
 * the same charts as the live Prometheus-backed server for the recorded window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MetricsResponse } from '@meshlens/model';
import {
  CHART_FAMILIES, createDemoSource, createPrometheusTelemetry, createSnapshotSource, decodeSnapshot, encodeSnapshot, simulatedMatrix,
  type LocalPrometheus, type PrometheusTelemetry, type TelemetryMatrix,
} from '@meshlens/sources';
import { buildApp } from './app.js';
import { startDemoPrometheus, type DemoPrometheus } from './__fixtures__/demo-prometheus.js';
import { withTelemetry } from './prometheus-options.js';
import { takeSnapshot } from './routes/snapshot.js';

const INTERVAL = 60;
// On the scrape grid, a few minutes in the past (as prometheus.integration.test.ts): rate() then covers exactly
// the simulator's windows.
const END = Math.floor(Date.now() / 1000 / INTERVAL) * INTERVAL - 300;
const HOURS = 0.5;

/** Relative difference, treating tiny numbers as equal (Prometheus extrapolates at the window's edges). */
function close(a: number, b: number, tol = 0.005): boolean {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-6);
}

const keyOf = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));

describe('snapshot charts from a real Prometheus', () => {
  const demo = createDemoSource({ seed: 1 });
  const namespaces = [...demo.inventory().namespaces.keys()].sort();
  let demoProm: DemoPrometheus | undefined;
  let prom: LocalPrometheus;
  let telemetry: PrometheusTelemetry;
  let live: FastifyInstance;
  let offline: FastifyInstance | undefined;

  beforeAll(async () => {
    demoProm = await startDemoPrometheus(demo.simulator, { end: END, hours: HOURS, interval: INTERVAL });
    prom = demoProm.prometheus;
    telemetry = createPrometheusTelemetry({ url: prom.url, cacheTtlMs: 0 });
    live = await buildApp({ source: withTelemetry(createDemoSource({ seed: 1 }), telemetry), webRoot: false });
  }, 90_000);

  afterAll(async () => {
    await live?.close();
    await offline?.close();
    await demoProm?.stop();
  });

  it('returns the chart families of every namespace with one range query per family, as the simulator has them', async () => {
    const q = { namespaces, start: END - 600, end: END, step: 60, rateInterval: 240 };
    const before = telemetry.client.requests;
    const fromProm = await telemetry.rangeMatrix(q);
    expect(telemetry.client.requests - before).toBe(4);
    const fromSim = simulatedMatrix(demo.simulator, q);
    expect(fromProm.timestamps).toEqual(Array.from({ length: 11 }, (_, i) => END - 600 + i * 60));
    expect(fromProm.omitted).toEqual([]);
    expect(fromProm.warnings).toEqual([]);
    const problems: string[] = [];
    for (const family of CHART_FAMILIES) {
      const sim = new Map((fromSim.families[family] ?? []).map((s) => [keyOf(s.metric), s.values]));
      const got = fromProm.families[family] ?? [];
      expect(got.length, family).toBeGreaterThan(family.startsWith('istio_tcp') ? 5 : 50);
      expect(new Set(got.map((s) => keyOf(s.metric))), family).toEqual(new Set(sim.keys()));
      for (const s of got) {
        const want = sim.get(keyOf(s.metric))!;
        // The simulator leaves out a zero rate; Prometheus answers 0 for a series that did not move.
        s.values.forEach((v, i) => { if (!close(v ?? 0, want[i] ?? 0)) problems.push(`${family} ${keyOf(s.metric)}[${i}]: ${v} vs ${want[i]}`); });
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  }, 30_000);

  it('skips the histogram query when its estimated size is over the budget, and says so', async () => {
    const full = await telemetry.rangeMatrix({ namespaces, start: END - 600, end: END, step: 60, rateInterval: 240 });
    // A series costs its 11 points and its label values.
    const small = (['istio_requests_total', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total'] as const)
      .reduce((n, f) => n + full.families[f]!.reduce((k, s) => k + 11 + Object.keys(s.metric).length, 0), 0);
    const before = telemetry.client.requests;
    const capped: TelemetryMatrix = await telemetry.rangeMatrix({ namespaces, start: END - 600, end: END, step: 60, rateInterval: 240, maxValues: small });
    expect(telemetry.client.requests - before).toBe(3);
    expect(Object.keys(capped.families).sort()).toEqual(['istio_requests_total', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total']);
    expect(capped.omitted).toHaveLength(1);
    expect(capped.omitted[0]!.families).toEqual(['istio_request_duration_milliseconds_bucket']);
    expect(capped.omitted[0]!.reason).toMatch(new RegExp(`^about [\\d,]+ duration-histogram series × 11 points \\(with their labels\\) would be more than the ${small.toLocaleString('en-US')} values a snapshot keeps$`));
  }, 30_000);

  it('reopens offline with the charts the live Prometheus draws for the recorded window', async () => {
    const source = withTelemetry(createDemoSource({ seed: 1 }), telemetry);
    const bundle = decodeSnapshot(encodeSnapshot(await takeSnapshot(source, { namespaces: ['bookinfo-routing'], graphType: 'versionedApp', duration: 600, queryTime: END })));
    const h = bundle.history!;
    expect({ start: h.start, end: h.end, step: h.step, rateInterval: h.rateInterval, scrapeInterval: h.scrapeInterval, omitted: h.omitted }).toEqual({
      start: END - 600, end: END, step: 60, rateInterval: 240, scrapeInterval: 60, omitted: undefined,
    });
    offline = await buildApp({ source: createSnapshotSource(bundle), webRoot: false });
    for (const query of [
      'namespace=bookinfo-routing&app=reviews&version=v2&direction=inbound&peerNamespace=bookinfo-routing&peerApp=productpage&peerVersion=v1',
      'namespace=bookinfo-routing&app=productpage&version=v1&direction=outbound',
    ]) {
      const url = `/api/metrics?${query}&start=${END - 600}&end=${END}`;
      const a = (await offline.inject(url)).json() as MetricsResponse;
      const b = (await live.inject(url)).json() as MetricsResponse;
      const { series: sa, ...ra } = a;
      const { series: sb, ...rb } = b;
      expect(ra).toEqual(rb);
      expect(ra).toMatchObject({ step: 60, rateInterval: 240 });
      expect(a.warnings).toBeUndefined();
      expect(sa.map((s) => s.id)).toEqual(sb.map((s) => s.id));
      expect(sa.map((s) => s.id)).toContain('latency.p99');
      sa.forEach((s, i) => s.values.forEach((v, j) => {
        const w = sb[i]!.values[j]!;
        expect(v === null, `${s.id}[${j}]`).toBe(w === null);
        if (v !== null) expect(Math.abs(v - w), `${query} ${s.id}[${j}] ${v} vs ${w}`).toBeLessThanOrEqual(1.01e-4 + 1e-8 * Math.abs(w));
      }));
    }
  }, 30_000);
});
