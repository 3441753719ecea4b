/** The route tracer: where a request goes through the mesh, and which rule decided each step. */
export { traceRequest } from './trace.js';
export { resolveDestinationWorkloads } from './destinations.js';
export { protocolOfPort, routeClassOf, type PortProtocol, type RouteClass } from './protocol.js';
export { lookupDestinationRule, findSubset, type DrResolution, type SubsetRef } from './destination-rules.js';
export { sidecarScopeFor, type SidecarScope } from './sidecar-scope.js';
export { parseDuration } from './faults.js';
export { peerAuthenticationFor, normalizePrincipal, type MtlsMode, type PeerAuthnResolution } from './mtls.js';
export { evaluateAuthorization, type AuthzDecision } from './authz.js';
export { policiesFor, type PolicyServer } from './authz-policies.js';
export { matchAuthzRule, type RequestAttributes } from './authz-rules.js';
export { isWaypointWorkload, serviceWaypoint, type ServiceWaypoint } from './ambient.js';
