import { describe, expect, it } from 'vitest';
import { emptyTotals, entityHealth, replicaVerdict, requestVerdict, worseStatus, type RequestTotals } from './index.js';
import { healthOf, worseOf } from '../graph/health.js';

const http = (total: number, e: Partial<RequestTotals> = {}): RequestTotals => ({ ...emptyTotals(), http: total, ...e });

describe('request health (Kiali default tolerances, reference kiali.md §4.5)', () => {
  it('5xx: Degraded above 0 %, Failure from 10 %', () => {
    expect(requestVerdict(http(1000))).toEqual({ status: 'Healthy', errorRatio: 0 });
    expect(requestVerdict(http(1000, { http5xx: 1 }))).toEqual({ status: 'Degraded', errorRatio: 0.001, reason: '5xx on 0.1% of inbound requests (degraded above 0%)' });
    expect(requestVerdict(http(1000, { http5xx: 99 }))).toEqual({ status: 'Degraded', errorRatio: 0.099, reason: '5xx on 9.9% of inbound requests (degraded above 0%)' });
    expect(requestVerdict(http(10, { http5xx: 1 }), 'outbound')).toEqual({ status: 'Failure', errorRatio: 0.1, reason: '5xx on 10% of outbound requests (failure from 10%)' });
  });

  it('4xx: Healthy below 10 %, Degraded from 10 %, Failure from 20 %', () => {
    expect(requestVerdict(http(1000, { http4xx: 99 }))).toEqual({ status: 'Healthy', errorRatio: 0 });
    expect(requestVerdict(http(100, { http4xx: 10 }))).toEqual({ status: 'Degraded', errorRatio: 0.1, reason: '4xx on 10% of inbound requests (degraded from 10%)' });
    expect(requestVerdict(http(100, { http4xx: 20 }))).toEqual({ status: 'Failure', errorRatio: 0.2, reason: '4xx on 20% of inbound requests (failure from 20%)' });
  });

  it('no response counts like 5xx; gRPC errors on their own tolerance; no requests is NA', () => {
    expect(requestVerdict(http(100, { httpNoResponse: 12 }))).toEqual({ status: 'Failure', errorRatio: 0.12, reason: 'no response on 12% of inbound requests (failure from 10%)' });
    expect(requestVerdict({ ...emptyTotals(), grpc: 200, grpcErr: 1 })).toEqual({ status: 'Degraded', errorRatio: 0.005, reason: 'gRPC errors on 0.5% of inbound requests (degraded above 0%)' });
    expect(requestVerdict(emptyTotals())).toEqual({ status: 'NA', errorRatio: 0 });
    // TCP carries no error signal.
    expect(requestVerdict({ ...emptyTotals(), tcp: 5000 })).toEqual({ status: 'NA', errorRatio: 0 });
  });
});

describe('the verdict agrees with the graph\'s healthOf', () => {
  it('on a grid of error mixes over HTTP and gRPC', () => {
    const shares = [0, 0.0005, 0.001, 0.05, 0.0999, 0.1, 0.15, 0.1999, 0.2, 0.35];
    for (const a of shares) for (const b of shares) for (const c of shares) for (const g of [0, 0.05, 0.1]) {
      const t: RequestTotals = { ...emptyTotals(), http: 200, http5xx: 200 * a, http4xx: 200 * b, httpNoResponse: 200 * c, grpc: g > 0 ? 50 : 0, grpcErr: 50 * g };
      let expected = healthOf({ protocol: 'http', total: t.http, http4xx: t.http4xx, http5xx: t.http5xx, noResponse: t.httpNoResponse });
      if (t.grpc > 0) expected = worseOf(expected, healthOf({ protocol: 'grpc', total: t.grpc, grpcErr: t.grpcErr, noResponse: 0 }));
      const { status, errorRatio } = requestVerdict(t);
      expect({ status, errorRatio }, JSON.stringify(t)).toEqual(expected);
    }
  });
});

describe('workload status from replicas (Kiali WorkloadStatusHealth)', () => {
  it('NotReady when none is desired, Failure when none is available, Degraded when some are missing, Failure while pods are pending', () => {
    expect(replicaVerdict({ desired: 0, current: 0, available: 0 })).toEqual({ status: 'NotReady', reason: 'scaled to 0 replicas' });
    expect(replicaVerdict({ desired: 3, current: 3, available: 0 })).toEqual({ status: 'Failure', reason: '0 of 3 replicas available' });
    expect(replicaVerdict({ desired: 3, current: 3, available: 2 })).toEqual({ status: 'Degraded', reason: '2 of 3 replicas available' });
    expect(replicaVerdict({ desired: 2, current: 3, available: 2 })).toEqual({ status: 'Failure', reason: '3 replicas exist for 2 desired (pods pending)' });
    expect(replicaVerdict({ desired: 2, current: 2, available: 2 })).toEqual({ status: 'Healthy' });
  });
});

describe('combined health', () => {
  it('is the worst of inbound, outbound and every replica status, with the reason of the worst', () => {
    const ok = { desired: 2, current: 2, available: 2 };
    expect(entityHealth(http(100), [ok])).toEqual({ status: 'Healthy', requests: { rate: 100, errorRatio: 0 }, replicas: ok });
    // Healthy pods and no traffic: Healthy (a workload), while a service without traffic is NA.
    expect(entityHealth(undefined, [ok])).toEqual({ status: 'Healthy', replicas: ok });
    expect(entityHealth(undefined)).toEqual({ status: 'NA' });
    expect(entityHealth(http(100, { http5xx: 2 }), [ok, { desired: 2, current: 2, available: 1 }], http(40, { http5xx: 8 }))).toEqual({
      status: 'Failure',
      reason: '5xx on 20% of outbound requests (failure from 10%)',
      requests: { rate: 100, errorRatio: 0.02 },
      outbound: { rate: 40, errorRatio: 0.2 },
      replicas: { desired: 4, current: 4, available: 3 },
    });
    expect(entityHealth(http(100), [{ desired: 0, current: 0, available: 0, assumed: true }])).toEqual({
      status: 'NotReady', reason: 'scaled to 0 replicas', requests: { rate: 100, errorRatio: 0 }, replicas: { desired: 0, current: 0, available: 0, assumed: true },
    });
  });

  it('ranks Failure > Degraded > NotReady > Healthy > NA', () => {
    expect(['NA', 'Healthy', 'NotReady', 'Degraded', 'Failure'].reduce((a, b) => worseStatus(a as never, b as never))).toBe('Failure');
    expect(worseStatus('Healthy', 'NotReady')).toBe('NotReady');
    expect(worseStatus('Degraded', 'NotReady')).toBe('Degraded');
    expect(worseStatus('NA', 'Healthy')).toBe('Healthy');
  });
});
