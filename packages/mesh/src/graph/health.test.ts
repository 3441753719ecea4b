import { describe, expect, it } from 'vitest';
import { healthOf } from './index.js';

describe('healthOf (Kiali default tolerances)', () => {
  const http = (total: number, e: { http4xx?: number; http5xx?: number; noResponse?: number }) => healthOf({ protocol: 'http', total, ...e });

  it('5xx: any above 0 % is Degraded, 10 % is Failure', () => {
    expect(http(100, {})).toEqual({ status: 'Healthy', errorRatio: 0 });
    expect(http(1000, { http5xx: 1 })).toEqual({ status: 'Degraded', errorRatio: 0.001 });
    expect(http(1000, { http5xx: 99.9 })).toEqual({ status: 'Degraded', errorRatio: 0.0999 });
    expect(http(10, { http5xx: 1 })).toEqual({ status: 'Failure', errorRatio: 0.1 });
    expect(http(3, { http5xx: 0.3 })).toEqual({ status: 'Failure', errorRatio: 0.3 / 3 }); // 0.3/3 is a hair under 0.1 in floating point
  });

  it('4xx: 10 % is Degraded, 20 % is Failure; below 10 % stays Healthy', () => {
    expect(http(1000, { http4xx: 99.9 })).toEqual({ status: 'Healthy', errorRatio: 0 });
    expect(http(10, { http4xx: 1 })).toEqual({ status: 'Degraded', errorRatio: 0.1 });
    expect(http(1000, { http4xx: 199.9 })).toEqual({ status: 'Degraded', errorRatio: 0.1999 });
    expect(http(10, { http4xx: 2 })).toEqual({ status: 'Failure', errorRatio: 0.2 });
  });

  it('no response (code 0, "-") counts like 5xx; the worst category decides', () => {
    expect(http(100, { noResponse: 1 })).toEqual({ status: 'Degraded', errorRatio: 0.01 });
    expect(http(100, { noResponse: 10 })).toEqual({ status: 'Failure', errorRatio: 0.1 });
    expect(http(100, { http4xx: 15, http5xx: 10 })).toEqual({ status: 'Failure', errorRatio: 0.1 });
    expect(http(100, { http4xx: 15, http5xx: 1 })).toEqual({ status: 'Degraded', errorRatio: 0.15 });
  });

  it('gRPC: any non-OK status is Degraded, 10 % Failure; no traffic is NA', () => {
    expect(healthOf({ protocol: 'grpc', total: 100, grpcErr: 0.5 })).toEqual({ status: 'Degraded', errorRatio: 0.005 });
    expect(healthOf({ protocol: 'grpc', total: 100, grpcErr: 10 })).toEqual({ status: 'Failure', errorRatio: 0.1 });
    expect(healthOf({ protocol: 'http', total: 0 })).toEqual({ status: 'NA', errorRatio: 0 });
  });
});
