import { describe, expect, it } from 'vitest';
import { counterSetOf, prometheusText, writeOpenMetrics, type CounterSet } from './openmetrics.js';

const labels = { reporter: 'destination', destination_workload: 'reviews-v1', response_code: '200' };
const set: CounterSet = {
  series: [
    { metric: 'istio_requests_total', labels },
    { metric: 'istio_request_duration_milliseconds_bucket', labels: { ...labels, le: '10' } },
    { metric: 'istio_request_duration_milliseconds_bucket', labels: { ...labels, le: '+Inf' } },
    { metric: 'istio_request_duration_milliseconds_sum', labels },
    { metric: 'istio_request_duration_milliseconds_count', labels },
    { metric: 'istio_response_bytes_sum', labels },
    { metric: 'istio_tcp_sent_bytes_total', labels: { ...labels, destination_workload: 'say "hi"\\' } },
  ],
  valuesAt: (t) => [t, t / 2, t, t * 7.5, t, t * 100, t * 3],
};

describe('OpenMetrics export', () => {
  it('writes families with TYPE lines, counter samples ending in _total, histograms whole, timestamps, # EOF', async () => {
    let text = '';
    const result = await writeOpenMetrics(set, { start: 100, end: 130, interval: 15 }, (c) => { text += c; });
    const l = '{reporter="destination",destination_workload="reviews-v1",response_code="200"';
    expect(text).toBe([
      '# HELP istio_requests Requests, by source and destination (Istio standard metric).',
      '# TYPE istio_requests counter',
      `istio_requests_total${l}} 100 100`, `istio_requests_total${l}} 115 115`, `istio_requests_total${l}} 130 130`,
      '# HELP istio_request_duration_milliseconds istio_request_duration_milliseconds histogram (Istio standard metric).',
      '# TYPE istio_request_duration_milliseconds histogram',
      `istio_request_duration_milliseconds_bucket${l},le="10"} 50 100`, `istio_request_duration_milliseconds_bucket${l},le="10"} 57.5 115`, `istio_request_duration_milliseconds_bucket${l},le="10"} 65 130`,
      `istio_request_duration_milliseconds_bucket${l},le="+Inf"} 100 100`, `istio_request_duration_milliseconds_bucket${l},le="+Inf"} 115 115`, `istio_request_duration_milliseconds_bucket${l},le="+Inf"} 130 130`,
      `istio_request_duration_milliseconds_sum${l}} 750 100`, `istio_request_duration_milliseconds_sum${l}} 862.5 115`, `istio_request_duration_milliseconds_sum${l}} 975 130`,
      `istio_request_duration_milliseconds_count${l}} 100 100`, `istio_request_duration_milliseconds_count${l}} 115 115`, `istio_request_duration_milliseconds_count${l}} 130 130`,
      // the simulator keeps only _sum of the byte histograms: +Inf and _count come from the request counter
      '# HELP istio_response_bytes istio_response_bytes histogram (Istio standard metric).',
      '# TYPE istio_response_bytes histogram',
      `istio_response_bytes_sum${l}} 10000 100`, `istio_response_bytes_sum${l}} 11500 115`, `istio_response_bytes_sum${l}} 13000 130`,
      `istio_response_bytes_bucket${l},le="+Inf"} 100 100`, `istio_response_bytes_bucket${l},le="+Inf"} 115 115`, `istio_response_bytes_bucket${l},le="+Inf"} 130 130`,
      `istio_response_bytes_count${l}} 100 100`, `istio_response_bytes_count${l}} 115 115`, `istio_response_bytes_count${l}} 130 130`,
      '# HELP istio_tcp_sent_bytes Bytes sent by the server during TCP connections.',
      '# TYPE istio_tcp_sent_bytes counter',
      'istio_tcp_sent_bytes_total{reporter="destination",destination_workload="say \\"hi\\"\\\\",response_code="200"} 300 100',
      'istio_tcp_sent_bytes_total{reporter="destination",destination_workload="say \\"hi\\"\\\\",response_code="200"} 345 115',
      'istio_tcp_sent_bytes_total{reporter="destination",destination_workload="say \\"hi\\"\\\\",response_code="200"} 390 130',
      '# EOF', '',
    ].join('\n'));
    expect(result).toEqual({ series: 9, samples: 27 });
  });

  it('names counter families with _total in the scrape format', () => {
    const text = prometheusText(set, 10);
    expect(text.split('\n').filter((x) => x.startsWith('# TYPE'))).toEqual([
      '# TYPE istio_requests_total counter', '# TYPE istio_request_duration_milliseconds histogram', '# TYPE istio_response_bytes histogram', '# TYPE istio_tcp_sent_bytes_total counter',
    ]);
    expect(text).toContain('istio_requests_total{reporter="destination",destination_workload="reviews-v1",response_code="200"} 10\n');
  });

  it('keeps simulated counters monotonic: a rounding dip would read as a counter reset', () => {
    const values = [5, 5 - 1e-9, 6];
    let i = 0;
    const c = counterSetOf({ countersAt: () => [{ metric: 'istio_requests_total', labels: {}, value: values[Math.min(i++, 2) ]! }] });
    i = 0; // countersAt(0) above consumed one read
    expect([c.valuesAt(1), c.valuesAt(2), c.valuesAt(3)]).toEqual([[5], [5], [6]]);
  });
});
