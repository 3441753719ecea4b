import { describe, expect, it } from 'vitest';
import { histogramMeanEstimate, histogramQuantile } from './index.js';

// Cumulative buckets: 2 observations ≤ 5 ms, 6 ≤ 10, 9 ≤ 25, 9.8 ≤ 50, 10 ≤ 100, 10 in all.
const buckets = [
  { le: 1, value: 0 }, { le: 5, value: 2 }, { le: 10, value: 6 }, { le: 25, value: 9 }, { le: 50, value: 9.8 }, { le: 100, value: 10 }, { le: Infinity, value: 10 },
];

describe('histogramQuantile (Prometheus semantics)', () => {
  it('interpolates linearly inside the bucket where the rank falls', () => {
    expect(histogramQuantile(0.5, buckets)).toBe(8.75); // rank 5: 5 + 5·(5−2)/(6−2)
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(40.625, 10); // rank 9.5: 25 + 25·(9.5−9)/(9.8−9)
    expect(histogramQuantile(0.99, buckets)).toBeCloseTo(75, 10); // rank 9.9: 50 + 50·(9.9−9.8)/(10−9.8)
    expect(histogramQuantile(0.1, buckets)).toBe(3); // rank 1 falls in (1,5]: 1 + 4·(1−0)/(2−0)
  });

  it('starts the first bucket at 0 and answers the highest finite bound for ranks in +Inf', () => {
    expect(histogramQuantile(0.5, [{ le: 10, value: 4 }, { le: Infinity, value: 4 }])).toBe(5);
    expect(histogramQuantile(0.9, [{ le: 10, value: 4 }, { le: 20, value: 5 }, { le: Infinity, value: 10 }])).toBe(20);
  });

  it('sorts buckets, fixes non-monotonic counts, and gives NaN or ±Inf where Prometheus does', () => {
    const shuffled = [buckets[6]!, buckets[2]!, buckets[0]!, buckets[4]!, buckets[1]!, buckets[5]!, buckets[3]!];
    expect(histogramQuantile(0.5, shuffled)).toBe(8.75);
    // a dip (6 → 5.5) is raised to the running maximum: rank 5 falls in (5,10] as before
    expect(histogramQuantile(0.5, [{ le: 5, value: 2 }, { le: 10, value: 6 }, { le: 25, value: 5.5 }, { le: Infinity, value: 10 }])).toBe(8.75);
    expect(histogramQuantile(0.5, [{ le: 5, value: 2 }, { le: 10, value: 6 }])).toBeNaN(); // no +Inf bucket
    expect(histogramQuantile(0.5, [{ le: Infinity, value: 3 }])).toBeNaN(); // fewer than two buckets
    expect(histogramQuantile(0.5, [{ le: 5, value: 0 }, { le: Infinity, value: 0 }])).toBeNaN(); // no observations
    expect(histogramQuantile(-0.1, buckets)).toBe(-Infinity);
    expect(histogramQuantile(1.1, buckets)).toBe(Infinity);
    expect(histogramQuantile(NaN, buckets)).toBeNaN();
  });

  it('estimates the mean from bucket midpoints when _sum/_count are missing', () => {
    // 2·3 + 4·7.5 + 3·17.5 + 0.8·37.5 + 0.2·75 = 133.5 over 10 observations
    expect(histogramMeanEstimate(buckets)).toBeCloseTo(13.35, 10);
  });
});
