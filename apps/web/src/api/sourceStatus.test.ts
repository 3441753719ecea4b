import type { HealthResponse, SourceStatus } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import { describeSources } from './sourceStatus';

const source = (over: Partial<SourceStatus>): SourceStatus => ({
  name: 'Demo mesh',
  kind: 'demo',
  state: 'ready',
  objects: 10,
  errors: [],
  telemetry: { kind: 'simulator' },
  ...over,
});

describe('header status line', () => {
  it('describes the demo', () => {
    const health: HealthResponse = { status: 'ok', version: '0.1.0', sources: [source({})] };
    expect(describeSources(health)).toBe('Demo mesh · simulated telemetry');
  });

  it('names the kind when the name does not', () => {
    const health: HealthResponse = {
      status: 'degraded',
      version: '0.1.0',
      sources: [source({ name: 'prod', kind: 'kubernetes', state: 'loading', telemetry: { kind: 'prometheus', url: 'http://p' } })],
    };
    expect(describeSources(health)).toBe('prod (cluster) · Prometheus telemetry · loading · degraded');
  });
});
