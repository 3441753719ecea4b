/** The range queries of a snapshot's charts, as exact PromQL (their answers from a real Prometheus: apps/server's snapshot-prometheus test). */
import { describe, expect, it } from 'vitest';
import { matrixQueries } from './range-matrix.js';

const PAIR = 'reporter,source_cluster,source_workload_namespace,source_workload,source_canonical_service,source_canonical_revision,'
  + 'destination_cluster,destination_workload_namespace,destination_workload,destination_canonical_service,destination_canonical_revision,'
  + 'destination_service,destination_service_name,destination_service_namespace,request_protocol,destination_port';

describe('matrixQueries', () => {
  it('asks one range query per chart family with the graph\'s three namespace selections, summed by what the charts read', () => {
    const queries = matrixQueries(['shop', 'bookinfo'], 60);
    expect(queries.map((q) => q.family)).toEqual(['istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total']);
    expect(queries[0]!.promql).toBe(
      `(sum by (${PAIR},response_code) (rate(istio_requests_total{reporter=~"source|destination|waypoint",source_workload_namespace=~"shop|bookinfo"}[60s])))`
      + ` or ((sum by (${PAIR},response_code) (rate(istio_requests_total{reporter=~"source|destination|waypoint",source_workload_namespace!~"shop|bookinfo",destination_workload_namespace=~"shop|bookinfo"}[60s])))`
      + ` or (sum by (${PAIR},response_code) (rate(istio_requests_total{reporter=~"source|destination|waypoint",source_workload_namespace!~"shop|bookinfo",destination_workload_namespace!~"shop|bookinfo",destination_service_namespace=~"shop|bookinfo"}[60s]))))`,
    );
    expect(queries[1]!.promql).toBe(
      `(sum by (${PAIR},le) (rate(istio_request_duration_milliseconds_bucket{reporter=~"source|destination|waypoint",source_workload_namespace=~"shop|bookinfo"}[60s])))`
      + ` or ((sum by (${PAIR},le) (rate(istio_request_duration_milliseconds_bucket{reporter=~"source|destination|waypoint",source_workload_namespace!~"shop|bookinfo",destination_workload_namespace=~"shop|bookinfo"}[60s])))`
      + ` or (sum by (${PAIR},le) (rate(istio_request_duration_milliseconds_bucket{reporter=~"source|destination|waypoint",source_workload_namespace!~"shop|bookinfo",destination_workload_namespace!~"shop|bookinfo",destination_service_namespace=~"shop|bookinfo"}[60s]))))`,
    );
    for (const [i, metric] of [[2, 'istio_tcp_received_bytes_total'], [3, 'istio_tcp_sent_bytes_total']] as const) {
      expect(queries[i]!.promql).toBe(
        `(sum by (${PAIR}) (rate(${metric}{reporter=~"source|destination|waypoint",source_workload_namespace=~"shop|bookinfo"}[60s])))`
        + ` or ((sum by (${PAIR}) (rate(${metric}{reporter=~"source|destination|waypoint",source_workload_namespace!~"shop|bookinfo",destination_workload_namespace=~"shop|bookinfo"}[60s])))`
        + ` or (sum by (${PAIR}) (rate(${metric}{reporter=~"source|destination|waypoint",source_workload_namespace!~"shop|bookinfo",destination_workload_namespace!~"shop|bookinfo",destination_service_namespace=~"shop|bookinfo"}[60s]))))`,
      );
    }
  });

  it('uses a plain equality for one namespace and asks nothing for none', () => {
    expect(matrixQueries(['shop'], 240)[2]!.promql).toBe(
      `(sum by (${PAIR}) (rate(istio_tcp_received_bytes_total{reporter=~"source|destination|waypoint",source_workload_namespace="shop"}[240s])))`
      + ` or ((sum by (${PAIR}) (rate(istio_tcp_received_bytes_total{reporter=~"source|destination|waypoint",source_workload_namespace!="shop",destination_workload_namespace="shop"}[240s])))`
      + ` or (sum by (${PAIR}) (rate(istio_tcp_received_bytes_total{reporter=~"source|destination|waypoint",source_workload_namespace!="shop",destination_workload_namespace!="shop",destination_service_namespace="shop"}[240s]))))`,
    );
    expect(matrixQueries([], 60)).toEqual([]);
  });
});
