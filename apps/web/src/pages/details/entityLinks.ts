/**
 * Typed links to and between the entity pages: a list, a detail page (and tab), the detail page of a graph node or
 * of a traffic peer, and the graph focused on an entity. Like router/links.ts, a link names only what it changes:
 * the scope, and the namespace selection and time window, travel with it (router/carry.ts).
 */
import { linkOptions } from '@tanstack/react-router';
import type { GraphType, NodeData, TrafficPeer } from '@meshlens/model';
import { defined } from '../../router/search';
import type { EntityKind } from '../../api/entities';
import type { DetailTab, EntityType } from './detailSearch';

export const KIND_OF_TYPE: Record<EntityType, EntityKind> = { workload: 'workloads', service: 'services', application: 'applications' };
export const TYPE_OF_KIND: Record<EntityKind, EntityType> = { workloads: 'workload', services: 'service', applications: 'application' };

/** A list page, for some namespaces (absent: the current selection). */
export function entityListLink(kind: EntityKind, namespaces?: string[]) {
  const search = defined({ namespaces: namespaces && namespaces.length > 0 ? namespaces : undefined });
  switch (kind) {
    case 'applications':
      return linkOptions({ to: '/applications', search });
    case 'workloads':
      return linkOptions({ to: '/workloads', search });
    case 'services':
      return linkOptions({ to: '/services', search });
  }
}

/** A detail page, on a tab (absent: overview). */
export function entityLink(type: EntityType, namespace: string, name: string, tab?: DetailTab) {
  const params = { namespace, name };
  const search = defined({ tab: tab && tab !== 'overview' ? tab : undefined });
  switch (type) {
    case 'workload':
      return linkOptions({ to: '/namespaces/$namespace/workloads/$name', params, search });
    case 'service':
      return linkOptions({ to: '/namespaces/$namespace/services/$name', params, search });
    case 'application':
      return linkOptions({ to: '/namespaces/$namespace/applications/$name', params, search });
  }
}

export type EntityLink = ReturnType<typeof entityLink>;

/** What a graph node or traffic peer stands for, when it has a detail page (not `unknown`, egress clusters, ServiceEntries, outside IPs). */
export function entityOfNode(node: Pick<NodeData, 'nodeType' | 'namespace' | 'workload' | 'app' | 'service' | 'isServiceEntry' | 'isEgressCluster' | 'isBox'> & { isExternalIP?: unknown }): { type: EntityType; namespace: string; name: string } | null {
  if (node.isBox || node.isServiceEntry || node.isEgressCluster || node.isExternalIP) return null;
  if (!node.namespace || node.namespace === 'unknown') return null;
  if (node.nodeType === 'workload' && node.workload) return { type: 'workload', namespace: node.namespace, name: node.workload };
  if (node.nodeType === 'app' && node.app) return { type: 'application', namespace: node.namespace, name: node.app };
  if (node.nodeType === 'service' && node.service && node.service !== 'unknown') return { type: 'service', namespace: node.namespace, name: node.service };
  return null;
}

export function peerEntity(peer: TrafficPeer): { type: EntityType; namespace: string; name: string } | null {
  if (peer.egressCluster || peer.serviceEntry) return null;
  return entityOfNode({ nodeType: peer.nodeType, namespace: peer.namespace, workload: peer.workload, app: peer.app, service: peer.service });
}

/** The graph type whose nodes stand for an entity, and its node id there (url/viewState.ts `focus`, packages/mesh graph ids). */
export function graphNodeOf(type: EntityType, namespace: string, name: string): { graphType: GraphType; focus: string } {
  switch (type) {
    case 'workload':
      return { graphType: 'workload', focus: `wl:${namespace}:${name}` };
    case 'application':
      return { graphType: 'app', focus: `app:${namespace}:${name}` };
    case 'service':
      // Service nodes are drawn in every graph type: keep the default one.
      return { graphType: 'versionedApp', focus: `svc:${namespace}:${name}` };
  }
}

/**
 * The graph focused on an entity: its namespace added to the selection when the selection lacks it, the graph type
 * that draws the entity as one node, that node selected.
 */
export function graphFocusLink(type: EntityType, namespace: string, name: string, selection: string[] | null, options: { idle?: boolean } = {}) {
  const { graphType, focus } = graphNodeOf(type, namespace, name);
  const namespaces = selection && selection.length > 0 ? (selection.includes(namespace) ? selection : [...selection, namespace]) : [namespace];
  // An entity without traffic is an idle node: the graph hides those unless asked, and the link must land on it.
  return linkOptions({ to: '/graph', search: defined({ namespaces, graphType: graphType === 'versionedApp' ? undefined : graphType, focus, idle: options.idle ? true : undefined }) });
}
