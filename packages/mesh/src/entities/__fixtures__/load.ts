/** The entity tests' fixture mesh and its telemetry: one window of Istio request samples as Prometheus returns them. */
import { readFileSync } from 'node:fs';
import type { PromSample, TelemetrySamples } from '@meshlens/model';
import { buildInventory, parseManifests, type Inventory } from '../../inventory/index.js';

export const WINDOW = { duration: 600, queryTime: 1795000000 };

/** The inventory of a fixture YAML file. */
export function inventory(name: string): Inventory {
  const text = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  const parsed = parseManifests(text, { file: name });
  if (parsed.errors.length > 0) throw new Error(JSON.stringify(parsed.errors));
  return buildInventory(parsed.objects);
}

interface End {
  namespace: string;
  workload: string;
  app: string;
  version: string;
}

const UNKNOWN: End = { namespace: 'unknown', workload: 'unknown', app: 'unknown', version: 'unknown' };

/** One `istio_requests_total` series, labelled the way Istio's proxies label it. */
function request(reporter: 'source' | 'destination', src: End, dst: End, service: string, code: string, flags: string, rate: number): PromSample {
  const [svc, svcNs] = service.split('.');
  return {
    metric: {
      reporter, source_cluster: 'Kubernetes', source_workload_namespace: src.namespace, source_workload: src.workload, source_canonical_service: src.app, source_canonical_revision: src.version,
      destination_cluster: 'Kubernetes', destination_workload_namespace: dst.namespace, destination_workload: dst.workload, destination_canonical_service: dst.app, destination_canonical_revision: dst.version,
      destination_service: `${service}.svc.cluster.local`, destination_service_name: svc!, destination_service_namespace: svcNs!, request_protocol: 'http',
      response_code: code, grpc_response_status: '', response_flags: flags, connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
    },
    value: [WINDOW.queryTime, String(rate)],
  };
}

const gateway: End = { namespace: 'istio-system', workload: 'istio-ingressgateway', app: 'istio-ingressgateway', version: 'latest' };
const cartV1: End = { namespace: 'shop', workload: 'cart-v1', app: 'cart', version: 'v1' };
const cartV2: End = { namespace: 'shop', workload: 'cart-v2', app: 'cart', version: 'v2' };
const checkout: End = { namespace: 'shop', workload: 'checkout', app: 'checkout', version: 'v3' };

/**
 * The shop's window: the ingress gateway calls cart v1 (5% 503) and v2 (15% 404); cart v2 calls checkout, where 40%
 * overflow the connection pool on the client side (UO, never reaching checkout's sidecar).
 */
export function shopSamples(): TelemetrySamples {
  const both = (src: End, dst: End, service: string, code: string, rate: number) => [
    request('source', src, dst, service, code, '-', rate),
    request('destination', src, dst, service, code, '-', rate),
  ];
  return {
    istio_requests_total: [
      ...both(gateway, cartV1, 'cart.shop', '200', 9.5),
      ...both(gateway, cartV1, 'cart.shop', '503', 0.5),
      ...both(gateway, cartV2, 'cart.shop', '200', 0.85),
      ...both(gateway, cartV2, 'cart.shop', '404', 0.15),
      ...both(cartV2, checkout, 'checkout.shop', '200', 0.6),
      request('source', cartV2, UNKNOWN, 'checkout.shop', '503', 'UO', 0.4),
    ],
  };
}
