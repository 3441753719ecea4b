import { describe, expect, it } from 'vitest';
import { describeSparkline, sparkPaths } from './Sparkline';

describe('overview sparklines', () => {
  it('scales the rate to the box and breaks the line where there is no data', () => {
    expect(sparkPaths([0, 10, null, 5, 10], 40, 30)).toEqual(['M0,28 L10,2', 'M30,15 L40,2']);
    expect(sparkPaths([0, 0], 10, 30)).toEqual(['M0,28 L10,28']);
  });
  it('says what the picture shows', () => {
    expect(describeSparkline({ timestamps: [1, 2, 3], requestRate: [1, 4, 2], errorPercent: [0, 12.5, null] })).toBe('Requests over the window: peak 4 rps, last 2 rps; errors peak 12.5%');
    expect(describeSparkline({ timestamps: [1, 2], requestRate: [null, null], errorPercent: [null, null] })).toBe('No requests over the window');
  });
});
