/**
 * The time shape of one traffic class: a smooth daily/hourly variation plus seeded per-minute noise, in
 * multiples of the class's nominal rate. It is built so that its integral over any interval, and over the
 * incident windows inside any interval, has a closed form: counters at any time cost O(1), and a rate over
 * [t−D, t] is exactly (counter(t) − counter(t−D)) / D.
 *
 * The noise is n(m) = A·(h(m) − h(m+1)) for minute m, with h seeded per minute: its sum over any run of minutes
 * telescopes to A·(h(first) − h(last+1)). h is held at 0 in and next to the class's incident windows, so inside
 * those windows only the smooth part remains and window integrals reduce to sums of cosines in arithmetic
 * progression.
 */
import { mix, unit } from './random.js';
import { activeInMinute, visitWindows, windowStart, type Schedule } from './schedule.js';

export interface Sinusoid {
  amplitude: number;
  /** rad/s */
  omega: number;
  phase: number;
}

export interface RateShape {
  /** s(t) = 1 + Σ amplitude·sin(omega·t + phase) */
  sinusoids: Sinusoid[];
  noiseAmplitude: number;
  /** Seeds h(m). */
  noiseKey: number;
  /** Windows (the incidents that touch this class) around which the noise is held at zero. */
  quiet: Schedule[];
}

/** h(m): seeded in [0, 1), zero when minute m or m−1 is inside a quiet window. */
function h(shape: RateShape, m: number): number {
  for (const q of shape.quiet) if (activeInMinute(q, m) || activeInMinute(q, m - 1)) return 0;
  return unit(mix(shape.noiseKey, m));
}

/** The per-minute noise of minute m. */
function noise(shape: RateShape, m: number): number {
  return shape.noiseAmplitude * (h(shape, m) - h(shape, m + 1));
}

/** The shape's value at time t (unix seconds). */
export function shapeAt(shape: RateShape, t: number): number {
  let v = 1;
  for (const s of shape.sinusoids) v += s.amplitude * Math.sin(s.omega * t + s.phase);
  return v + noise(shape, Math.floor(t / 60));
}

/** ∫ₐᵇ of the smooth part. */
function smoothIntegral(shape: RateShape, a: number, b: number): number {
  let v = b - a;
  for (const s of shape.sinusoids) v += (s.amplitude * (Math.cos(s.omega * a + s.phase) - Math.cos(s.omega * b + s.phase))) / s.omega;
  return v;
}

/** ∫ₐᵇ of the noise: partial first and last minutes plus a telescoped run of whole minutes. */
function noiseIntegral(shape: RateShape, a: number, b: number): number {
  if (shape.noiseAmplitude === 0 || b <= a) return 0;
  const ma = Math.floor(a / 60);
  const mb = Math.floor(b / 60);
  if (ma === mb) return noise(shape, ma) * (b - a);
  return noise(shape, ma) * ((ma + 1) * 60 - a) + 60 * shape.noiseAmplitude * (h(shape, ma + 1) - h(shape, mb)) + noise(shape, mb) * (b - mb * 60);
}

/** ∫ₐᵇ shape(t) dt. */
export function integrate(shape: RateShape, a: number, b: number): number {
  if (b <= a) return 0;
  return smoothIntegral(shape, a, b) + noiseIntegral(shape, a, b);
}

/** ∫ of the shape over the parts of [a, b] inside the windows of `s` (which must be one of `shape.quiet`). */
export function integrateInWindows(shape: RateShape, s: Schedule, a: number, b: number): number {
  let total = 0;
  const L = s.lengthMin * 60;
  visitWindows(s, a, b, (x, y) => {
    total += smoothIntegral(shape, x, y);
  }, (k1, k2) => {
    const n = k2 - k1 + 1;
    total += n * L;
    const start = windowStart(s, k1);
    const P = s.periodMin * 60;
    for (const sin of shape.sinusoids) {
      const beta = sin.omega * P;
      const atStart = cosineSum(sin.omega * start + sin.phase, beta, n);
      const atEnd = cosineSum(sin.omega * (start + L) + sin.phase, beta, n);
      total += (sin.amplitude * (atStart - atEnd)) / sin.omega;
    }
  });
  return total;
}

/** Σₖ₌₀ⁿ⁻¹ cos(α + kβ), in closed form. */
export function cosineSum(alpha: number, beta: number, n: number): number {
  const half = Math.sin(beta / 2);
  // β a multiple of 2π (an hourly wave against an hourly incident): every term is cos(α).
  if (Math.abs(half) < 1e-9) return n * Math.cos(alpha);
  return (Math.sin((n * beta) / 2) / half) * Math.cos(alpha + ((n - 1) * beta) / 2);
}
