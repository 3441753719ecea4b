/** A node's JSON before traffic and health: identity, what backs it in the inventory, and its configuration badges. */
import type { GatewayInfo, NodeData, PodInfo } from '@meshlens/model';
import type { ServiceView, WorkloadView } from '../inventory/index.js';
import { applyVirtualServiceBadges, hasCircuitBreakerFor, k8sRoutesFor, missingSidecar, workloadEntriesFor, type BadgeIndex } from './badges.js';
import { inAmbientMesh } from '../inventory/index.js';
import type { GraphContext } from './context.js';
import { egressForwards, type GatewayApiRef } from './gateways.js';
import type { NodeState } from './state.js';
import { compareStrings, sortSmall } from './compare.js';

export interface Decorations {
  badges: BadgeIndex;
  gateways: Map<WorkloadView, GatewayInfo>;
  /** Workloads deployed for a Gateway API Gateway (absent in callers that do not decorate them). */
  gatewayApi?: Map<WorkloadView, GatewayApiRef>;
}

/** The workloads a node stands for: by app/version, app or name, falling back to the names telemetry gave. */
export function backingWorkloads(ctx: GraphContext, n: NodeState): WorkloadView[] {
  const s = n.seed;
  if (s.nodeType !== 'app' && s.nodeType !== 'workload') return [];
  let list: WorkloadView[] | undefined;
  if (s.nodeType === 'workload') {
    const w = ctx.inv.workloadsByKey.get(`${s.namespace}/${s.workload}`);
    list = w ? [w] : [];
  } else if (s.version !== undefined) list = ctx.workloadsByAppVersion.get(`${s.namespace}/${s.app}/${s.version}`);
  else if (ctx.graphType === 'app') list = ctx.workloadsByApp.get(`${s.namespace}/${s.app}`);
  if (!list || list.length === 0) {
    list = [...(n.workloadNames ?? [])].map((name) => ctx.inv.workloadsByKey.get(`${s.namespace}/${name}`)).filter((w): w is WorkloadView => w !== undefined);
  }
  return sortSmall([...list], (a, b) => compareStrings(a.name, b.name));
}

/** The Services a node stands for (service nodes) or that front its workloads (app/workload nodes). */
function servicesOfNode(ctx: GraphContext, n: NodeState, workloads: WorkloadView[]): ServiceView[] {
  if (n.seed.nodeType === 'service') {
    const s = ctx.servicesByName.get(`${n.seed.namespace}/${n.seed.service}`);
    return s ? [s] : [];
  }
  if (workloads.length === 1) return ctx.servicesOf(workloads[0]!);
  // A handful of Services at most: a list keeps first-seen order without a Set per node.
  const list: ServiceView[] = [];
  for (const w of workloads) for (const s of ctx.servicesOf(w)) if (!list.includes(s)) list.push(s);
  return list;
}

/** Builds a node's data without traffic, health, parent or root/outside flags. */
export function baseNodeData(ctx: GraphContext, deco: Decorations, n: NodeState): NodeData {
  const s = n.seed;
  const workloads = backingWorkloads(ctx, n);
  const data: NodeData = { id: s.id, nodeType: s.nodeType, namespace: s.namespace };
  const workloadName = s.nodeType === 'workload' ? s.workload : workloads.length === 1 ? workloads[0]!.name : workloads.length === 0 ? sortSmall([...(n.workloadNames ?? [])], compareStrings)[0] : undefined;
  if (workloadName !== undefined && s.nodeType !== 'service') data.workload = workloadName;
  if (s.app !== undefined) data.app = s.app;
  if (s.version !== undefined) data.version = s.version;
  if (s.service !== undefined) data.service = s.service;
  data.label = s.label;
  if (s.egressCluster) data.isEgressCluster = s.egressCluster;
  if (s.externalIP) data.isExternalIP = s.externalIP;
  if (s.serviceEntry) data.isServiceEntry = s.serviceEntry.info;
  if (n.destServices !== undefined && n.destServices.size > 0 && s.nodeType !== 'service') {
    const list = [...n.destServices.values()];
    data.destServices = sortSmall(list, (a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
  }
  if (n.idle) data.isIdle = true;
  if (s.waypoint) data.isWaypoint = true;

  const services = servicesOfNode(ctx, n, workloads);
  if (workloads.length > 0) {
    if (workloads.every((w) => w.pods.length === 0 || w.replicas === 0)) data.isDead = true;
    const gateway = workloads.map((w) => deco.gateways.get(w)).find((g) => g !== undefined);
    if (gateway) data.isGateway = gateway;
    const k8sGateway = deco.gatewayApi?.size ? workloads.map((w) => deco.gatewayApi!.get(w)).find((g) => g !== undefined) : undefined;
    if (k8sGateway) {
      data.isGateway = { ...(data.isGateway ?? {}), gatewayAPIInfo: { hostnames: k8sGateway.hostnames } };
      data.isK8sGatewayAPI = { namespace: k8sGateway.namespace, name: k8sGateway.name, ...(k8sGateway.gatewayClassName ? { gatewayClassName: k8sGateway.gatewayClassName } : {}) };
    }
    if (!s.waypoint && workloads.every((w) => inAmbientMesh(ctx.inv, w))) data.isAmbient = true;
    const forwards = workloads.flatMap((w) => egressForwards(w) ?? []);
    if (forwards.length > 0) data.isEgressRouter = { forwards };
  } else if (s.nodeType === 'service' && services.length > 0) {
    // The Service in front of an egress router is what clients call: show the router's table there too.
    const forwards = ctx.workloadsOf(services[0]!).flatMap((w) => egressForwards(w) ?? []);
    if (forwards.length > 0) data.isEgressRouter = { forwards };
  }

  // Kiali badges only nodes in the requested namespaces.
  if (ctx.requested.has(s.namespace)) {
    applyVirtualServiceBadges(deco.badges, services, data);
    if (services.length > 0 && hasCircuitBreakerFor(deco.badges, services, s.nodeType === 'service' ? undefined : workloads)) data.hasCB = true;
    if (workloads.length > 0 && !s.waypoint && missingSidecar(deco.badges, workloads, ctx.inv)) data.hasMissingSidecar = true;
    const routes = s.waypoint ? [] : k8sRoutesFor(deco.badges, services);
    if (routes.length > 0) data.hasK8sRoutes = routes;
    const entries = s.nodeType === 'service' ? [] : workloadEntriesFor(deco.badges, s.namespace, s.app ?? workloads[0]?.app, s.nodeType === 'workload' ? workloads[0]?.version : s.version);
    if (entries.length > 0) data.hasWorkloadEntry = entries;
  }

  const labels = nodeLabels(s.nodeType, workloads, services, s.serviceEntry?.obj.object.metadata.labels);
  if (labels) data.labels = labels;
  const pods = workloads.flatMap((w) => w.pods.map(podInfo));
  sortSmall(pods, (a, b) => compareStrings(a.name, b.name));
  if (pods.length > 0) data.pods = pods;
  return data;
}

/** Labels of the node's workloads (those all of them share), or of its Service / ServiceEntry. */
function nodeLabels(nodeType: string, workloads: WorkloadView[], services: ServiceView[], seLabels: Record<string, string> | undefined): Record<string, string> | undefined {
  let labels: Record<string, string> | undefined;
  if (workloads.length > 0) {
    labels = { ...workloads[0]!.labels };
    for (const w of workloads.slice(1)) for (const k of Object.keys(labels)) if (w.labels[k] !== labels[k]) delete labels[k];
  } else if (nodeType === 'service' && services.length > 0) labels = { ...(services[0]!.obj.object.metadata.labels ?? {}) };
  else if (seLabels) labels = { ...seLabels };
  return labels && Object.keys(labels).length > 0 ? labels : undefined;
}

function podInfo(p: WorkloadView['pods'][number]): PodInfo {
  const info: PodInfo = { name: p.name, hasSidecar: p.hasSidecar };
  if (p.ip) info.ip = p.ip;
  if (p.hostIP) info.hostIP = p.hostIP;
  if (p.nodeName) info.nodeName = p.nodeName;
  if (p.hostAliases && p.hostAliases.length > 0) info.hostAliases = p.hostAliases;
  return info;
}
