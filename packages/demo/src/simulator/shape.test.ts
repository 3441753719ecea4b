import { describe, expect, it } from 'vitest';
import { activeAt, type Schedule } from './schedule.js';
import { cosineSum, integrate, integrateInWindows, shapeAt, type RateShape } from './shape.js';
import { completedHistogram, fitLogNormal, mixCdf, normalCdf, timeoutShare } from './latency.js';

const incident: Schedule = { periodMin: 17, lengthMin: 3, offsetMin: 5 };
const hourly: Schedule = { periodMin: 60, lengthMin: 4, offsetMin: 11 };
const shape: RateShape = {
  sinusoids: [
    { amplitude: 0.3, omega: (2 * Math.PI) / 86400, phase: 1.1 },
    { amplitude: 0.1, omega: (2 * Math.PI) / 3600, phase: 0.4 },
    { amplitude: 0.08, omega: (2 * Math.PI) / 1000, phase: 2.5 },
  ],
  noiseAmplitude: 0.2,
  noiseKey: 12345,
  quiet: [incident, hourly],
};

/** Midpoint rule within each minute (the noise is constant per minute, the rest is smooth), split at window edges. */
function numeric(a: number, b: number, inside?: Schedule): number {
  let total = 0;
  for (let m = Math.floor(a / 60); m * 60 < b; m++) {
    const x = Math.max(a, m * 60);
    const y = Math.min(b, (m + 1) * 60);
    if (inside && !activeAt(inside, m * 60)) continue;
    const n = 600;
    for (let k = 0; k < n; k++) total += shapeAt(shape, x + ((k + 0.5) * (y - x)) / n) * ((y - x) / n);
  }
  return total;
}

describe('rate shape', () => {
  const t0 = 1_700_000_000 + 37.5;

  it('integrates exactly over any interval, partial minutes included', () => {
    for (const [a, b] of [[t0, t0 + 10], [t0, t0 + 3600], [t0 + 59, t0 + 61], [t0 - 7200.3, t0 + 11.9]] as const) {
      expect(integrate(shape, a, b)).toBeCloseTo(numeric(a, b), 4);
    }
  });

  it('integrates over incident windows in closed form, including whole runs of windows', () => {
    for (const s of [incident, hourly]) {
      for (const [a, b] of [[t0, t0 + 600], [t0, t0 + 4 * 3600], [t0 + 1000, t0 + 1000 + 17 * 60 * 9 + 123]] as const) {
        expect(integrateInWindows(shape, s, a, b)).toBeCloseTo(numeric(a, b, s), 4);
      }
    }
  });

  it('is additive, so counters from the epoch give window rates', () => {
    const t = 1_750_000_123;
    expect(integrate(shape, 0, t) - integrate(shape, 0, t - 300)).toBeCloseTo(integrate(shape, t - 300, t), 3);
    expect(integrateInWindows(shape, incident, 0, t) - integrateInWindows(shape, incident, 0, t - 7200)).toBeCloseTo(integrateInWindows(shape, incident, t - 7200, t), 3);
  });

  it('stays positive and varies from minute to minute', () => {
    const values = Array.from({ length: 600 }, (_, i) => shapeAt(shape, t0 + i * 60));
    expect(Math.min(...values)).toBeGreaterThan(0.3);
    expect(new Set(values.map((v) => v.toFixed(6))).size).toBeGreaterThan(500);
  });

  it('sums cosines in arithmetic progression, also when the step is a whole turn', () => {
    const direct = (a: number, b: number, n: number) => Array.from({ length: n }, (_, k) => Math.cos(a + k * b)).reduce((x, y) => x + y, 0);
    expect(cosineSum(0.3, 0.7, 25)).toBeCloseTo(direct(0.3, 0.7, 25), 10);
    expect(cosineSum(0.3, 2 * Math.PI, 25)).toBeCloseTo(direct(0.3, 2 * Math.PI, 25), 8);
  });
});

describe('latency model', () => {
  it('fits a log-normal to p50 and p95', () => {
    const ln = fitLogNormal(20, 80);
    const mix = { base: ln, shifts: [{ weight: 1, ms: 0 }] };
    expect(mixCdf(mix, 20)).toBeCloseTo(0.5, 5);
    expect(mixCdf(mix, 80)).toBeCloseTo(0.95, 5);
    expect(normalCdf(1.6448536269514722)).toBeCloseTo(0.95, 6);
  });

  it('cuts at the timeout: a 2 s delay behind a 0.5 s timeout always times out', () => {
    const mix = { base: fitLogNormal(10, 30), shifts: [{ weight: 1, ms: 2000 }] };
    expect(timeoutShare(mix, 500)).toBe(1);
    const h = completedHistogram({ base: fitLogNormal(10, 30), shifts: [{ weight: 1, ms: 0 }] }, [5, 10, 50, 100], 500);
    expect(h.count).toBeCloseTo(1, 6);
    expect(h.cumulative[1]).toBeCloseTo(0.5, 5);
  });
});
