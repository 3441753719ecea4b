/** The text drawn on a node, derived from the server's data with Kiali-like fallbacks. */
import type { GraphType, NodeData } from '@meshlens/model';
import { badgeLine } from './badges';

/** The node's name: the server's label, else what its type is named by. */
export function nodeName(node: NodeData): string {
  if (node.label) return node.label;
  if (node.isBox === 'namespace') return node.namespace;
  if (node.isBox === 'app') return node.app ?? node.id;
  if (node.isEgressCluster) return node.isEgressCluster;
  if (node.isExternalIP) return node.isExternalIP.port ? `${node.isExternalIP.ip}:${node.isExternalIP.port}` : node.isExternalIP.ip;
  if (node.isServiceEntry) return node.isServiceEntry.name;
  switch (node.nodeType) {
    case 'unknown':
      return 'unknown';
    case 'app':
      // In a versioned-app graph the version goes on its own line (see nodeLabelLines).
      return node.app ?? node.workload ?? node.id;
    case 'workload':
      return node.workload ?? node.app ?? node.id;
    case 'service':
      return node.service ?? node.id;
    default:
      return node.id;
  }
}

/** Lines of the canvas label: name, then version (versioned-app graphs), then badges. */
export function nodeLabelLines(node: NodeData, graphType: GraphType, showNamespace: boolean): string[] {
  const lines = [nodeName(node)];
  if (node.isBox) return lines;
  if (!node.label && node.nodeType === 'app' && graphType === 'versionedApp' && node.version) lines.push(node.version);
  // Nodes from namespaces the user did not select say where they live (Kiali shows the same).
  if (showNamespace && node.nodeType !== 'unknown' && !node.isEgressCluster && !node.isExternalIP) {
    lines.push(`(${node.namespace})`);
  }
  if (node.isDead) lines.push('no pods');
  const badges = badgeLine(node);
  if (badges) lines.push(badges);
  return lines;
}

/** A one-line name that tells versions apart ("reviews v2"), for lists and titles. */
export function nodeTitle(node: NodeData): string {
  const name = nodeName(node);
  return !node.label && node.nodeType === 'app' && node.version ? `${name} ${node.version}` : name;
}
