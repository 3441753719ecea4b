/** The entity pages' engine: lists, details, the Overview, node graphs, sparklines and access logs (issue 10). */
export { entityModel, findingIndex, countFindings, inboundTraffic, type EntityInput, type EntityModel, type FindingIndex } from './model.js';
export { entityTotals, forEachCountedByNamespace, samplesTouching, type EntityTotals } from './totals.js';
export { configForService, configForWorkload, servicesSelectingWorkload, workloadsSelectedByService, orderBadges, BADGE_ORDER, type AppliedObject } from './config.js';
export { applicationHealth, applicationRow, applicationRows, gatewayKind, serviceHealth, serviceRow, serviceRows, workloadHealth, workloadRow, workloadRows } from './rows.js';
export { controlPlaneNamespaces, controlPlaneSummary, isIstiod, namespaceOverviews } from './overview.js';
export { applicationDetail, applicationEntity, serviceDetail, serviceEntity, workloadDetail, workloadEntity } from './detail.js';
export { detailGraphType, entityNodeIds, focusGraph, trafficEdges, type EntityRef } from './traffic.js';
export { namespaceSparklines, type RequestSeriesMatrix } from './sparkline.js';
export { meshMtls, namespaceInjection, namespaceMtls, peerAuthenticationMode, isAmbient } from './namespace.js';
export { imageTag, injectedProxyImage, podContainers, podDetail, podRevision, type PodContainer } from './pods.js';
export { RESPONSE_FLAGS, explainFlag, explainFlags, formatAccessLog, parseAccessLog, splitLogTimestamp, type AccessLogFields } from './access-log.js';
