import { describe, expect, it } from 'vitest';
import type { PromSample } from '@meshlens/model';
import { deduplicate } from './reporters.js';

const pair = { source_workload: 'productpage-v1', source_workload_namespace: 'bookinfo', destination_workload: 'reviews-v1', destination_workload_namespace: 'bookinfo', destination_service: 'reviews.bookinfo.svc.cluster.local', request_protocol: 'http' };
const s = (reporter: string, code: string, flags: string, v: number): PromSample => ({ metric: { ...pair, reporter, response_code: code, response_flags: flags }, value: [0, String(v)] });
const counted = (samples: PromSample[]) => deduplicate(samples).map((c) => [c.reporter, c.metric.response_code, c.metric.response_flags, c.value]);

describe('deduplicate (every request counted once)', () => {
  it('takes the destination report when both proxies reported a group', () => {
    expect(counted([s('source', '200', '-', 10), s('destination', '200', '-', 10)])).toEqual([['destination', '200', '-', 10]]);
  });

  it('takes the source report when it is the only one, and the destination report when that is the only one', () => {
    expect(counted([s('source', '200', '-', 4)])).toEqual([['source', '200', '-', 4]]);
    expect(counted([s('destination', '200', '-', 4)])).toEqual([['destination', '200', '-', 4]]);
  });

  it('keeps client-side outcomes the destination never saw (fault abort FI, circuit breaking UO)', () => {
    expect(counted([s('source', '200', '-', 5), s('source', '500', 'FI', 5), s('destination', '200', '-', 5)]))
      .toEqual([['destination', '200', '-', 5], ['source', '500', 'FI', 5]]);
  });

  it('does not count twice requests the client labelled differently (DI delay, UT timeout answered late)', () => {
    // The client saw 10 requests (7 × 200, 3 × 504 UT); the server answered all 10 with 200: 10 requests, not 13.
    expect(counted([s('source', '200', '-', 7), s('source', '504', 'UT', 3), s('destination', '200', '-', 10)])).toEqual([['destination', '200', '-', 10]]);
    // 10 sent, 8 reached the server (2 aborted by a fault, 1 delayed request labelled DI): the 3 source-only rps are scaled to the 2 missing.
    expect(counted([s('source', '200', '-', 7), s('source', '200', 'DI', 1), s('source', '500', 'FI', 2), s('destination', '200', '-', 8)]))
      .toEqual([['destination', '200', '-', 8], ['source', '200', 'DI', 2 / 3], ['source', '500', 'FI', 4 / 3]]);
  });

  it('ignores zero and NaN rates and other reporters (ambient waypoints)', () => {
    expect(counted([s('source', '200', '-', 0), s('waypoint', '200', '-', 3), { ...s('destination', '200', '-', 1), value: [0, 'NaN'] }])).toEqual([]);
  });
});

describe('deduplicate with waypoint reports (ambient)', () => {
  it('keeps a waypoint report as the server side of its pair when asked for', () => {
    expect(deduplicate([s('waypoint', '200', '-', 3), s('source', '200', '-', 3)], { waypoint: true }).map((c) => [c.reporter, c.value])).toEqual([['waypoint', 3]]);
    expect(deduplicate([s('waypoint', '200', '-', 3)], { waypoint: true }).map((c) => [c.reporter, c.value])).toEqual([['waypoint', 3]]);
  });
});
