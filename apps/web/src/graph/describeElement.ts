/** Words for a node or an edge under the pointer or the keyboard cursor: the tooltip and the screen reader's line. */
import type { EdgeData, NodeData } from '@meshlens/model';
import { formatBytesPerSecond, formatPercent, formatRps } from '../format/units';
import { configHealthOf, describeConfigHealth } from '../config/graphFindings';
import { HEALTH_WORDS, nodeKind } from '../panel/describe';
import { badgeWords } from './badges';
import { edgePercentErr, edgeTotal } from './edgeTraffic';
import { nodeTitle } from './nodeLabel';

export interface ElementWords {
  title: string;
  /** Lines under the title: kind and health, badges spelled out, findings. */
  lines: string[];
}

export function nodeWords(node: NodeData): ElementWords {
  if (node.group) {
    const g = node.group;
    const lines = [`${g.count} ${g.kind === 'app' ? 'versions and workloads of an app' : 'nodes of a namespace'}, collapsed · ${HEALTH_WORDS[node.health ?? 'NA']}`];
    if (g.unhealthy > 0) lines.push(`${g.unhealthy} unhealthy: ${g.members.filter((m) => m.health === 'Failure' || m.health === 'Degraded').slice(0, 4).map((m) => m.name).join(', ')}${g.unhealthy > 4 ? '…' : ''}`);
    lines.push('Click to expand');
    return { title: g.kind === 'app' ? `${node.app ?? g.key} (${node.namespace})` : node.namespace, lines };
  }
  const lines = [`${nodeKind(node)} · ${HEALTH_WORDS[node.health ?? 'NA']}${node.isIdle ? ' · idle' : ''}`];
  const badges = badgeWords(node);
  if (badges) lines.push(badges);
  if (configHealthOf(node)) lines.push(describeConfigHealth(node));
  return { title: nodeTitle(node), lines };
}

export function edgeWords(edge: EdgeData, source: NodeData | undefined, target: NodeData | undefined): ElementWords {
  const tcp = edge.traffic.protocol === 'tcp';
  const total = edgeTotal(edge);
  const rate = tcp ? formatBytesPerSecond(total) : `${formatRps(total)}${edgePercentErr(edge) > 0 ? `, ${formatPercent(edgePercentErr(edge))} errors` : ''}`;
  return {
    title: `${source ? nodeTitle(source) : edge.source} → ${target ? nodeTitle(target) : edge.target}`,
    lines: [`${edge.traffic.protocol.toUpperCase()}${edge.isMirror ? ' · mirrored' : ''} · ${rate}`, HEALTH_WORDS[edge.healthStatus ?? 'NA']],
  };
}
