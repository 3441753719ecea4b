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
export type TelemetrySamples = Partial<Record<IstioMetricName, PromSample[]>>;

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
