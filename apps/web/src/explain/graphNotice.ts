/**
 * The graph's words when a link's target is not on screen: a selected node that is not drawn, a find that matches
 * nothing. Never an empty result without a reason and a way on. Pure.
 */
import type { GraphResponse } from '@meshlens/model';

/** What a node id says about the node: its namespace and name (`wl:ns:name`, `svc:ns:name`, `app:ns:app`, `vapp:ns:app:v`, `se:ns:name`). */
export function parseNodeId(id: string): { kind: string; namespace?: string; name?: string } {
  const [kind = '', namespace, ...rest] = id.split(':');
  if (['wl', 'svc', 'app', 'vapp', 'se'].includes(kind) && namespace) return { kind, namespace, name: rest.join(':') || undefined };
  return { kind };
}

const KIND_WORDS: Record<string, string> = { wl: 'workload', svc: 'service', app: 'app', vapp: 'app', se: 'service entry' };

/** Why the selected element is not in the graph, and whether showing idle nodes may bring it. */
export function missingFocusNotice(focus: string, graph: Pick<GraphResponse, 'namespaces' | 'graphType'>, idleShown: boolean): { text: string; offerIdle: boolean } {
  const parsed = parseNodeId(focus);
  const what = parsed.name ? `The ${KIND_WORDS[parsed.kind] ?? 'node'} ${parsed.namespace}/${parsed.name}` : focus.includes('->') ? 'The selected edge' : `The selected element (${focus})`;
  if (parsed.namespace && !graph.namespaces.includes(parsed.namespace)) {
    return { text: `${what} is not in this graph: its namespace ${parsed.namespace} is not selected. Add it in the namespace picker.`, offerIdle: false };
  }
  if (!idleShown) {
    return { text: `${what} is not in this graph: it had no traffic in this window, and idle nodes are hidden.`, offerIdle: true };
  }
  const typeHint = parsed.kind === 'wl' && graph.graphType !== 'workload' ? ' The workload graph draws every workload as its own node.' : '';
  return { text: `${what} is not in this graph, even with idle nodes shown: the mesh does not define it in this window.${typeHint}`, offerIdle: false };
}

/** Why a find text matched no node. */
export function emptyFindNotice(find: string, graph: Pick<GraphResponse, 'namespaces'>, idleShown: boolean): { text: string; offerIdle: boolean } {
  const where = graph.namespaces.join(', ');
  if (!idleShown) return { text: `Nothing in this graph of ${where} matches “${find}”. Idle nodes are hidden: what you look for may have had no traffic.`, offerIdle: true };
  return { text: `Nothing in this graph of ${where} matches “${find}”, idle nodes included: no node's name, app, workload or service contains it.`, offerIdle: false };
}
