/** Recurring windows (incidents): active for `lengthMin` minutes every `periodMin` minutes, from `offsetMin`. */

export interface Schedule {
  periodMin: number;
  lengthMin: number;
  /** Minute (since the epoch, modulo the period) at which a window starts. */
  offsetMin: number;
}

/** True when minute `m` (since the epoch) lies inside a window. */
export function activeInMinute(s: Schedule, m: number): boolean {
  const r = (((m - s.offsetMin) % s.periodMin) + s.periodMin) % s.periodMin;
  return r < s.lengthMin;
}

/** True when time `t` (unix seconds) lies inside a window. */
export function activeAt(s: Schedule, t: number): boolean {
  return activeInMinute(s, Math.floor(t / 60));
}

/**
 * Visits the parts of [a, b] covered by windows: `full(k1, k2)` once for the run of windows lying wholly inside
 * (window k starts at `windowStart(k)`), so integrals over thousands of windows stay O(1), and `partial(x, y)` for
 * the (at most two) windows the interval's ends cut. A window counts as whole as soon as it is, so a counter does
 * not change (not even by rounding) between the end of one window and the start of the next.
 */
export function visitWindows(
  s: Schedule, a: number, b: number,
  partial: (x: number, y: number) => void,
  full: (k1: number, k2: number) => void,
): void {
  if (b <= a) return;
  const P = s.periodMin * 60;
  const L = s.lengthMin * 60;
  const o = s.offsetMin * 60;
  const kA = Math.floor((a - o) / P);
  const kB = Math.floor((b - o) / P);
  const whole = (k: number) => o + k * P >= a && o + k * P + L <= b;
  const clip = (k: number) => {
    const x = Math.max(a, o + k * P);
    const y = Math.min(b, o + k * P + L);
    if (y > x) partial(x, y);
  };
  const k1 = whole(kA) ? kA : kA + 1;
  const k2 = whole(kB) ? kB : kB - 1;
  if (!whole(kA)) clip(kA);
  if (k1 <= k2) full(k1, k2);
  if (kB !== kA && !whole(kB)) clip(kB);
}

/** Start (unix seconds) of window k. */
export function windowStart(s: Schedule, k: number): number {
  return s.offsetMin * 60 + k * s.periodMin * 60;
}
