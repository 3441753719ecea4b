/**
 * Request duration model: the application's own time is log-normal (fitted to p50/p95), plus fixed shifts for
 * injected delays (the caller's own fault delay, delays further down the call chain), mixed by the share of
 * requests each applies to. A route timeout cuts the distribution at T: those requests end as 504 after T.
 * Everything a histogram needs (bucket shares, sums) has a closed form, so no sampling is involved.
 */

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 through erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const Z95 = 1.6448536269514722;

export interface LogNormal {
  mu: number;
  sigma: number;
}

/** The log-normal whose median is p50 and whose 95th percentile is p95, scaled by `factor`. */
export function fitLogNormal(p50: number, p95: number, factor = 1): LogNormal {
  const sigma = Math.max(1e-6, (Math.log(p95) - Math.log(p50)) / Z95);
  return { mu: Math.log(p50 * factor), sigma };
}

/** A share of requests whose duration is shifted by a fixed delay (ms). */
export interface Shift {
  weight: number;
  ms: number;
}

export interface LatencyMix {
  base: LogNormal;
  /** Weights add up to 1. */
  shifts: Shift[];
}

/** P(L ≤ x) for the log-normal. */
function lnCdf(d: LogNormal, x: number): number {
  if (x <= 0) return 0;
  return normalCdf((Math.log(x) - d.mu) / d.sigma);
}

/** E[L; L ≤ x]: the part of the mean from requests at most x. */
function lnPartialMean(d: LogNormal, x: number): number {
  if (x <= 0) return 0;
  return Math.exp(d.mu + (d.sigma * d.sigma) / 2) * normalCdf((Math.log(x) - d.mu - d.sigma * d.sigma) / d.sigma);
}

/** P(duration ≤ x). */
export function mixCdf(m: LatencyMix, x: number): number {
  let p = 0;
  for (const s of m.shifts) p += s.weight * lnCdf(m.base, x - s.ms);
  return p;
}

/** E[duration; duration ≤ x]. */
export function mixPartialMean(m: LatencyMix, x: number): number {
  let v = 0;
  for (const s of m.shifts) v += s.weight * (s.ms * lnCdf(m.base, x - s.ms) + lnPartialMean(m.base, x - s.ms));
  return v;
}

/** E[duration]. */
export function mixMean(m: LatencyMix): number {
  let v = 0;
  for (const s of m.shifts) v += s.weight * (s.ms + Math.exp(m.base.mu + (m.base.sigma * m.base.sigma) / 2));
  return v;
}

/** Share of requests still running at `timeoutMs` (they end as 504 UT). 0 without a timeout. */
export function timeoutShare(m: LatencyMix, timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return 0;
  return Math.max(0, 1 - mixCdf(m, timeoutMs));
}

/**
 * Histogram of one request (counts sum to 1 over the requests that complete, `completed` of them): cumulative
 * share per bucket bound, the +Inf share, and the duration sum, for requests that finish before the timeout.
 */
export function completedHistogram(m: LatencyMix, bounds: number[], timeoutMs?: number): { cumulative: number[]; count: number; sum: number } {
  const cap = timeoutMs ?? Infinity;
  const count = Number.isFinite(cap) ? mixCdf(m, cap) : 1;
  const cumulative = bounds.map((le) => (le >= cap ? count : mixCdf(m, le)));
  const sum = Number.isFinite(cap) ? mixPartialMean(m, cap) : mixMean(m);
  return { cumulative, count, sum };
}

/** Combines delays further down a call chain into one mix: shifts are added, weights multiplied. */
export function addShifts(a: Shift[], b: Shift[]): Shift[] {
  const out = new Map<number, number>();
  for (const x of a) for (const y of b) out.set(x.ms + y.ms, (out.get(x.ms + y.ms) ?? 0) + x.weight * y.weight);
  return [...out].map(([ms, weight]) => ({ ms, weight })).filter((s) => s.weight > 0);
}

/** No shift at all. */
export const NO_SHIFT: Shift[] = [{ weight: 1, ms: 0 }];
