import { describe, expect, it } from 'vitest';
import { seriesKey } from './labels.js';
import { createSimulator } from './simulator.js';
import { inventoryOf, T, total, trace, trafficOf } from '../__fixtures__/support.js';

const inv = inventoryOf('shop.yaml');
const model = trafficOf(`
scenario: shop
classes:
  - name: sleep to reviews
    source: {kind: workload, namespace: shop, name: sleep}
    request: {protocol: http, host: reviews, port: 9080, path: /reviews/0}
    rps: 10
    bytes: {request: 200, response: 900}
    latencyMs: {p50: 20, p95: 80}
    errorRate: 0.01
    calls:
      - request: {protocol: http, host: ratings, port: 9080, path: /ratings/0}
        onlyFromVersions: [v2, v3]
        latencyMs: {p50: 3, p95: 10}
incidents:
  - name: reviews-v1 error burst
    target: {namespace: shop, workload: reviews-v1}
    everyMinutes: 20
    lastMinutes: 4
    errorRate: 0.5
`);

describe('window math', () => {
  const sim = createSimulator(inv, model, { seed: 7, trace });

  it('gives rates over [t−D, t] that are exactly (counter(t) − counter(t−D)) / D', () => {
    for (const [t, d] of [[T, 60], [T + 37, 300], [T - 86400 + 1, 3600], [T + 12345.5, 15], [T, 86400]] as const) {
      const now = new Map(sim.countersAt(t).map((c) => [seriesKey(c.metric, c.labels), c.value]));
      const before = new Map(sim.countersAt(t - d).map((c) => [seriesKey(c.metric, c.labels), c.value]));
      const samples = sim.samplesAt(t, d);
      let checked = 0;
      for (const [metric, list] of Object.entries(samples)) {
        for (const s of list!) {
          const key = seriesKey(metric, s.metric);
          expect(Number(s.value[1])).toBe((now.get(key)! - before.get(key)!) / d);
          expect(s.value[0]).toBe(t);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(50);
    }
  });

  it('has monotonic, non-negative counters', () => {
    const times = Array.from({ length: 40 }, (_, i) => T + i * 45);
    let prev = new Map<string, number>();
    for (const t of times) {
      const next = new Map(sim.countersAt(t).map((c) => [seriesKey(c.metric, c.labels), c.value]));
      for (const [k, v] of next) {
        expect(v).toBeGreaterThanOrEqual(0);
        if (prev.has(k)) expect(v).toBeGreaterThanOrEqual(prev.get(k)!);
      }
      prev = next;
    }
  });

  it('is deterministic from the seed and the clock', () => {
    const again = createSimulator(inv, model, { seed: 7, trace });
    expect(again.samplesAt(T, 600)).toEqual(sim.samplesAt(T, 600));
    const other = createSimulator(inv, model, { seed: 8, trace });
    expect(other.samplesAt(T, 600)).not.toEqual(sim.samplesAt(T, 600));
  });

  it('varies over time: minute to minute and over the day, around the nominal rate', () => {
    const source = { reporter: 'source', source_workload: 'sleep' };
    const minutes = Array.from({ length: 30 }, (_, i) => total(sim.samplesAt(T + i * 60, 60), 'istio_requests_total', source));
    expect(new Set(minutes.map((v) => v.toFixed(9))).size).toBe(30);
    for (const v of minutes) expect(v).toBeGreaterThan(3.2 - 1e-9);
    const hours = Array.from({ length: 24 }, (_, h) => total(sim.samplesAt(T + h * 3600, 3600), 'istio_requests_total', source));
    expect(Math.max(...hours) / Math.min(...hours)).toBeGreaterThan(1.5);
    const day = total(sim.samplesAt(T, 86400), 'istio_requests_total', source);
    expect(day).toBeGreaterThan(9);
    expect(day).toBeLessThan(11);
  });

  it('recurs the incident: 503s on reviews-v1 only inside its windows, at the incident error rate', () => {
    const v1 = { reporter: 'destination', destination_workload: 'reviews-v1' };
    const perMinute = Array.from({ length: 60 }, (_, i) => {
      const s = sim.samplesAt(T + (i + 1) * 60, 60);
      return { all: total(s, 'istio_requests_total', v1), e503: total(s, 'istio_requests_total', { ...v1, response_code: '503' }) };
    });
    const burning = perMinute.filter((m) => m.e503 > 0);
    expect(burning).toHaveLength(12); // 4 minutes in every 20
    for (const m of burning) expect(m.e503 / m.all).toBeCloseTo(0.5, 6);
    // reviews-v2 is not the target: never any 503
    expect(total(sim.samplesAt(T, 3600), 'istio_requests_total', { destination_workload: 'reviews-v2', response_code: '503' })).toBe(0);
    const quiet = perMinute.filter((m) => m.e503 === 0);
    for (const m of quiet) expect(m.all).toBeGreaterThan(0);
  });
});
