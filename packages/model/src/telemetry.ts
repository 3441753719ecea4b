/** Telemetry as Prometheus returns it: instant-vector samples of the Istio standard metrics. */

/** `{metric: {labels…}, value: [unixSeconds, "1.5"]}` exactly as the Prometheus HTTP API encodes it. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * Samples keyed by metric family. Values are per-second rates over the graph's window
 * (`rate(metric[duration])`, summed by the labels kept), for counters and histogram buckets alike.
 */
export type TelemetrySamples = Partial<Record<IstioMetricName, PromSample[]>> & {
  /**
   * Optional: request-duration quantiles (ms) that Prometheus computed per pair and reporter, in place of the raw
   * buckets (`histogram_quantile(q, sum by (le, <pair labels>, reporter) (rate(..._bucket[d])))`). Labels: the
   * pair labels, `reporter` and `quantile` (`"0.5"`, `"0.95"`, `"0.99"`). An edge made of one such pair takes its
   * quantiles from here; an edge of several pairs needs the summed histogram, so its pairs also come as buckets.
   * Simulators, samples files and snapshots hold buckets only.
   */
  istio_request_duration_milliseconds_quantile?: PromSample[];
};

/** The key of precomputed duration quantiles in `TelemetrySamples`. */
export const DURATION_QUANTILE_FAMILY = 'istio_request_duration_milliseconds_quantile' as const;
/** The quantiles an edge shows (p50, p95, p99), as Prometheus' `quantile` label spells them. */
export const DURATION_QUANTILES = ['0.5', '0.95', '0.99'] as const;

export type IstioMetricName =
  | 'istio_requests_total'
  | 'istio_request_duration_milliseconds_bucket'
  | 'istio_request_bytes_sum'
  | 'istio_response_bytes_sum'
  | 'istio_tcp_sent_bytes_total'
  | 'istio_tcp_received_bytes_total'
  | 'istio_tcp_connections_opened_total'
  | 'istio_tcp_connections_closed_total'
  | 'istio_request_messages_total'
  | 'istio_response_messages_total';

export const ISTIO_METRICS: IstioMetricName[] = [
  'istio_requests_total',
  'istio_request_duration_milliseconds_bucket',
  'istio_request_bytes_sum',
  'istio_response_bytes_sum',
  'istio_tcp_sent_bytes_total',
  'istio_tcp_received_bytes_total',
  'istio_tcp_connections_opened_total',
  'istio_tcp_connections_closed_total',
  'istio_request_messages_total',
  'istio_response_messages_total',
];

/** Histogram bucket bounds (ms) that Istio's proxies use for request duration. */
export const ISTIO_DURATION_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];
