/**
 * Node badges: a short code drawn under the node's label (cheap: part of the canvas label, no DOM
 * overlay per node) and the words the side panel and legend spell out, so colour or a glyph is
 * never the only signal.
 */
import type { NodeData } from '@meshlens/model';
import { configHealthOf, describeConfigHealth } from '../config/graphFindings';

export interface Badge {
  code: string;
  /** What the badge means, in words (legends). */
  title: string;
  /** The badge spelled out in a few words, for tooltips: "VS · RR · CFG" reads "VirtualService · Request routing · Config findings". */
  name: string;
  /** The sentence for a node's side panel, with what the server tells about it. */
  describe?: (node: NodeData) => string;
}

function vsNames(node: NodeData): string {
  const objects = node.hasVS?.objects ?? [];
  if (objects.length === 0) return '';
  return ` (VirtualService ${objects.map((o) => `${o.namespace}/${o.name}`).join(', ')})`;
}

/** In the order they are drawn. */
export const BADGES: Array<Badge & { applies: (node: NodeData) => boolean }> = [
  { code: 'GW', title: 'Gateway', name: 'Gateway', applies: (n) => n.isGateway !== undefined },
  { code: 'VS', title: 'Virtual service', name: 'VirtualService', applies: (n) => n.hasVS !== undefined, describe: (n) => `Virtual service${vsNames(n)}` },
  { code: 'RR', title: 'Request routing', name: 'Request routing', applies: (n) => n.hasRequestRouting === true, describe: (n) => `Request routing${vsNames(n)}` },
  { code: 'TS', title: 'Traffic shifting', name: 'Traffic shifting', applies: (n) => n.hasTrafficShifting === true, describe: (n) => `Traffic shifting${vsNames(n)}` },
  { code: 'TCP-TS', title: 'TCP traffic shifting', name: 'TCP traffic shifting', applies: (n) => n.hasTCPTrafficShifting === true, describe: (n) => `TCP traffic shifting${vsNames(n)}` },
  { code: 'FI', title: 'Fault injection', name: 'Fault injection', applies: (n) => n.hasFaultInjection === true, describe: (n) => `Fault injection${vsNames(n)}` },
  { code: 'TO', title: 'Request timeout', name: 'Request timeout', applies: (n) => n.hasRequestTimeout === true, describe: (n) => `Request timeout${vsNames(n)}` },
  { code: 'MIR', title: 'Mirroring', name: 'Mirroring', applies: (n) => n.hasMirroring === true, describe: (n) => `Mirroring${vsNames(n)}` },
  { code: 'CB', title: 'Circuit breaker (DestinationRule)', name: 'Circuit breaker', applies: (n) => n.hasCB === true },
  { code: 'WE', title: 'Workload entry', name: 'WorkloadEntry', applies: (n) => (n.hasWorkloadEntry?.length ?? 0) > 0 },
  { code: 'ER', title: 'Egress router', name: 'Egress router', applies: (n) => n.isEgressRouter !== undefined },
  { code: 'NO-SC', title: 'Missing sidecar', name: 'Missing sidecar', applies: (n) => n.hasMissingSidecar === true },
  { code: 'CFG', title: 'Configuration findings (Config page)', name: 'Config findings', applies: (n) => configHealthOf(n) !== undefined, describe: describeConfigHealth },
];

/** The badges that apply to a node. */
export function nodeBadges(node: NodeData): Badge[] {
  return BADGES.filter((b) => b.applies(node));
}

/** The badge line drawn under a node label, e.g. "VS · TS · FI"; empty when the node has none. */
export function badgeLine(node: NodeData): string {
  return nodeBadges(node)
    .map((b) => b.code)
    .join(' · ');
}

/** The badges in words, e.g. "VirtualService · Request routing · Config findings"; empty when the node has none. */
export function badgeWords(node: NodeData): string {
  return nodeBadges(node)
    .map((b) => b.name)
    .join(' · ');
}
