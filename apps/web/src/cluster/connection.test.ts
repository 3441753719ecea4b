import { describe, expect, it } from 'vitest';
import type { HealthResponse, SourceStatus } from '@meshlens/model';
import { connectionNotices, formatElapsed } from './connection';

const live = (over: Partial<SourceStatus>): SourceStatus => ({
  name: 'kind-prod', kind: 'kubernetes', state: 'ready', objects: 120, errors: [], telemetry: { kind: 'none' }, cluster: 'kind-prod', connected: true, ...over,
});
const health = (...sources: SourceStatus[]): HealthResponse => ({ status: 'degraded', version: '0.1.0', sources });

describe('the API-server connection banner', () => {
  it('says since when, what the pages show, what Meshlens does and what to check, with the last error as text', () => {
    const h = health(live({
      connected: false,
      disconnectedSince: '2026-12-05T01:02:03.000Z',
      disconnectedKinds: 23,
      errors: [{ object: 'Pod', message: 'watch /api/v1/pods: connect ECONNREFUSED 127.0.0.1:6443 <img src=x>; reconnecting' }],
    }));
    expect(connectionNotices(h, Date.parse('2026-12-05T01:02:45.000Z'))).toEqual([{
      source: 'kind-prod',
      title: 'Cut off from the API server of cluster kind-prod for 42 s.',
      detail: '23 lists of objects show the cluster as it was at 01:02:03 UTC; telemetry is still read live. Meshlens reconnects by itself, retrying with a backoff of up to 30 s, and lists everything again if the API server lost the history meanwhile. If this lasts, check that the API server answers (`kubectl --context kind-prod get --raw /readyz`), your network or VPN, and that your credentials are still valid.',
      lastError: 'watch /api/v1/pods: connect ECONNREFUSED 127.0.0.1:6443 <img src=x>',
    }]);
  });

  it('says nothing for a connected cluster or other sources', () => {
    expect(connectionNotices(health(live({})))).toEqual([]);
    expect(connectionNotices(health({ ...live({}), kind: 'demo', disconnectedSince: '2026-12-05T01:02:03.000Z' }))).toEqual([]);
    expect(connectionNotices(undefined)).toEqual([]);
  });

  it('formats the time cut off', () => {
    expect([0, 59_400, 61_000, 3_599_000, 7_500_000].map(formatElapsed)).toEqual(['0 s', '59 s', '1 min', '59 min', '2 h 5 min']);
  });
});
