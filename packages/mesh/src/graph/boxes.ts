/** Compound nodes: a box per namespace, and per app when an app shows as more than one version node. */
import type { GraphNode, NodeData } from '@meshlens/model';
import { isOK } from './labels.js';

/** Adds namespace and app boxes as parents of `nodes` and returns the boxes. */
export function addBoxes(nodes: NodeData[], opts: { byNamespace: boolean; byApp: boolean; requested: Set<string> }): GraphNode[] {
  const boxes: GraphNode[] = [];
  const nsBoxes = new Map<string, NodeData>();
  if (opts.byNamespace) {
    for (const n of nodes) {
      // Nodes with no real namespace (unknown source, egress clusters, external addresses) stay unboxed.
      if (!isOK(n.namespace)) continue;
      let box = nsBoxes.get(n.namespace);
      if (!box) {
        box = { id: `box-ns-${n.namespace}`, nodeType: 'box', namespace: n.namespace, isBox: 'namespace', label: n.namespace };
        if (!opts.requested.has(n.namespace)) box.isOutside = true;
        nsBoxes.set(n.namespace, box);
        boxes.push({ data: box });
      }
      n.parent = box.id;
    }
  }
  if (opts.byApp) {
    const members = new Map<string, NodeData[]>();
    for (const n of nodes) {
      if (n.nodeType !== 'app' || !n.app) continue;
      const key = `${n.namespace}/${n.app}`;
      const list = members.get(key) ?? [];
      list.push(n);
      members.set(key, list);
    }
    for (const list of members.values()) {
      if (list.length < 2) continue;
      const { namespace, app } = list[0]!;
      const box: NodeData = { id: `box-app-${namespace}-${app}`, nodeType: 'box', namespace, app, isBox: 'app', label: app };
      const nsBox = nsBoxes.get(namespace);
      if (nsBox) box.parent = nsBox.id;
      if (!opts.requested.has(namespace)) box.isOutside = true;
      for (const n of list) n.parent = box.id;
      boxes.push({ data: box });
    }
  }
  return boxes;
}
