import type { MetricsResponse } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import { chartModels } from './chartModel';

const response: MetricsResponse = {
  target: { namespace: 'bookinfo', app: 'reviews', version: 'v2' },
  direction: 'inbound',
  start: 1763820000,
  end: 1763820030,
  step: 15,
  rateInterval: 60,
  timestamps: [1763820000, 1763820015, 1763820030],
  series: [
    { id: 'requests.2xx', chart: 'requests', label: '2xx', unit: 'req/s', values: [10, 12, 14] },
    { id: 'requests.5xx', chart: 'requests', label: '5xx', unit: 'req/s', values: [null, 0.5, 1.5] },
    { id: 'errors.percent', chart: 'errors', label: 'error %', unit: '%', values: [0, 4, 9.7] },
    { id: 'latency.p95', chart: 'latency', label: 'p95', unit: 'ms', values: [40, 1200, null] },
    { id: 'tcp.sent', chart: 'tcp', label: 'sent', unit: 'B/s', values: [null, null, null] },
  ],
};

describe('chart models', () => {
  it('groups series by chart in a fixed order and summarises them in words', () => {
    const models = chartModels(response, 'the last 10m');
    expect(models.map((m) => m.chart)).toEqual(['requests', 'errors', 'latency']);
    expect(models[0]!.summary).toBe(
      'Request rate over the last 10m: 2xx average 12 rps, peak 14 rps, latest 14 rps; 5xx average 1 rps, peak 1.5 rps, latest 1.5 rps.',
    );
    expect(models[2]!.stats).toEqual([{ id: 'latency.p95', label: 'p95', color: '#b45309', average: '620 ms', peak: '1.2 s', latest: '1.2 s' }]);
  });

  it('keeps only the charts that fit, and none when there was no traffic', () => {
    expect(chartModels(response, 'x', ['tcp'])).toEqual([]);
    expect(chartModels(response, 'x', ['errors']).map((m) => m.title)).toEqual(['Error rate']);
    expect(chartModels({ ...response, series: [] }, 'x')).toEqual([]);
  });
});
