/** Graph assembly: inventory + telemetry → Kiali-compatible graph JSON. */
import type { GraphOptions, GraphResponse, TelemetrySamples } from '@meshlens/model';
import type { Inventory } from '../inventory/index.js';
import { hasAmbientReports } from './ambient.js';
import { badgeIndex } from './badges.js';
import { graphContext } from './context.js';
import { finalizeGraph } from './finalize.js';
import { gatewayApiGatewaysByWorkload, gatewayInfoByWorkload } from './gateways.js';
import { addLatencyAndBytes } from './histogram.js';
import { addIdleNodes } from './idle.js';
import { GraphState } from './state.js';
import { addRequestTraffic, addTcpTraffic, resolvers } from './traffic.js';

/** Builds the traffic graph of `options.namespaces` from an inventory and the window's telemetry; pure and deterministic. */
export function buildGraph(inv: Inventory, samples: TelemetrySamples, options: GraphOptions): GraphResponse {
  const ambientTelemetry = hasAmbientReports([samples.istio_requests_total, samples.istio_tcp_received_bytes_total, samples.istio_tcp_sent_bytes_total]);
  const ctx = graphContext(inv, options, ambientTelemetry);
  const state = new GraphState();
  const res = resolvers(ctx);
  addRequestTraffic(ctx, state, res, samples);
  addTcpTraffic(ctx, state, res, samples);
  addLatencyAndBytes(state, res, samples);
  if (options.includeIdle) addIdleNodes(ctx, state);
  const warnings: string[] = [];
  if (samples.istio_requests_total === undefined && samples.istio_tcp_sent_bytes_total === undefined && samples.istio_tcp_received_bytes_total === undefined) {
    warnings.push('No traffic telemetry was available for this window: the graph shows configuration only.');
  }
  return finalizeGraph(ctx, state, { badges: badgeIndex(inv), gateways: gatewayInfoByWorkload(inv), gatewayApi: gatewayApiGatewaysByWorkload(inv) }, warnings);
}
