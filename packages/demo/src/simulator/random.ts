/** Seeded, stateless pseudo-randomness: the same (seed, key, minute) always gives the same number. */

/** A 32-bit hash of a string (FNV-1a followed by an avalanche). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return avalanche(h);
}

/** Combines a hash with an integer (e.g. a minute number) into a new well-mixed 32-bit hash. */
export function mix(h: number, n: number): number {
  // Minute numbers exceed 2^31 only after the year 6000; split anyway so any safe integer mixes fully.
  const lo = n >>> 0;
  const hi = Math.floor(n / 4294967296) >>> 0;
  return avalanche(avalanche(h ^ Math.imul(lo, 0x9e3779b1)) ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca6b));
}

/** A hash as a number in [0, 1). */
export function unit(h: number): number {
  return (h >>> 0) / 4294967296;
}

function avalanche(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
