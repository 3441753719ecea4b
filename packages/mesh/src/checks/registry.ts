/** Every check family, in the order they run. */
import type { Check } from './types.js';
import { virtualServiceDestinations } from './virtualservice-destinations.js';
import { destinationRuleHost } from './destinationrule-host.js';
import { gatewayWorkloads } from './gateway-workloads.js';
import { gatewayConflicts } from './gateway-conflicts.js';
import { virtualServiceGateways } from './virtualservice-gateways.js';
import { destinationRuleSubsets } from './destinationrule-subsets.js';
import { destinationRuleTls } from './destinationrule-tls.js';
import { serviceEntryChecks } from './serviceentry.js';
import { serviceChecks } from './services.js';
import { namespaceInjection, podInjection } from './injection.js';
import { deploymentServices } from './deployment-services.js';
import { selectorChecks } from './selectors.js';
import { virtualServiceRoutes } from './virtualservice-routes.js';
import { routingChain } from './routing-chain.js';
import { egressGatewayLeg } from './egress-gateway-leg.js';
import { subsetLabelsElsewhere } from './routing-subsets.js';
import { gatewayShadow } from './gateway-shadow.js';
import { virtualServiceRuleOrder } from './virtualservice-rule-order.js';
import { authorizationRefs } from './authorization-refs.js';
import { exportToNamespaces } from './export-to-namespaces.js';
import { destinationRuleMtls, peerAuthenticationMtls } from './mtls.js';
import { authorizationFields } from './authorization-fields.js';
import { serviceAppProtocol } from './service-app-protocol.js';
import { sidecarChecks } from './sidecar-checks.js';
import { virtualServiceGatewayNames } from './virtualservice-gateway-names.js';
import { workloadGroupChecks } from './workloadgroups.js';
import { gatewayApiRoutes } from './gateway-api-routes.js';
import { gatewayApiGateways, referenceGrantNamespaces } from './gateway-api-gateways.js';
import { ambientPolicies, ambientRouting } from './ambient-policies.js';
import { ambientWorkloads } from './ambient-workloads.js';

export const ALL_CHECKS: Check[] = [
  virtualServiceDestinations,
  destinationRuleHost,
  gatewayWorkloads,
  gatewayConflicts,
  virtualServiceGateways,
  destinationRuleSubsets,
  destinationRuleTls,
  serviceEntryChecks,
  serviceChecks,
  namespaceInjection,
  podInjection,
  deploymentServices,
  selectorChecks,
  virtualServiceRoutes,
  routingChain,
  egressGatewayLeg,
  subsetLabelsElsewhere,
  gatewayShadow,
  virtualServiceRuleOrder,
  authorizationRefs,
  exportToNamespaces,
  destinationRuleMtls,
  peerAuthenticationMtls,
  authorizationFields,
  serviceAppProtocol,
  sidecarChecks,
  virtualServiceGatewayNames,
  workloadGroupChecks,
  gatewayApiRoutes,
  gatewayApiGateways,
  referenceGrantNamespaces,
  ambientPolicies,
  ambientRouting,
  ambientWorkloads,
];
