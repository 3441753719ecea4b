/** Rounding of the numbers the graph JSON carries. */

/** Rates (requests/s, bytes/s): 3 decimals, like Kiali's `round(…, 0.001)` queries. */
export function roundRate(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Percentages: 1 decimal. */
export function roundPercent(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Milliseconds: 2 decimals. */
export function roundMs(v: number): number {
  return Math.round(v * 100) / 100;
}
