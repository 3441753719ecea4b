/** RuleRefs: which object and YAML path decided something, with its file position. */
import { formatRef, type Endpoint, type InventoryObject, type RuleRef } from '@meshlens/model';
import { positionOf } from '../inventory/parse.js';

/** A RuleRef for `path` of `obj`, positioned at the written field (or its nearest written ancestor). */
export function ruleRef(obj: InventoryObject, path: string, note: string): RuleRef {
  const at = positionOf(obj, path);
  const ref: RuleRef = { object: { ...obj.ref }, path, note };
  if (at.file !== undefined) ref.file = at.file;
  if (at.line !== undefined) ref.line = at.line;
  if (at.column !== undefined) ref.column = at.column;
  return ref;
}

/** Appends a map key to a YAML path the way the parser records it (`headers.end-user`, `labels["a.b/c"]`). */
export function childPath(path: string, key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? `${path}.${key}` : `${path}["${key}"]`;
}

/** `Kind ns/name` of an inventory object. */
export function nameOf(obj: InventoryObject): string {
  return formatRef(obj.ref);
}

/** `ns/name` of an inventory object. */
export function shortName(obj: InventoryObject): string {
  return obj.ref.namespace ? `${obj.ref.namespace}/${obj.ref.name}` : obj.ref.name;
}

/** `k=v,k2=v2` for a label map. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '(no labels)' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** An endpoint in words, for explanations. */
export function describeEndpoint(e: Endpoint): string {
  switch (e.kind) {
    case 'client': return e.description;
    case 'gateway': return `gateway ${e.namespace}/${e.workload} (port ${e.port})`;
    case 'service': return `${e.subset ? `subset ${e.subset} of ` : ''}${e.host}:${e.port}`;
    case 'workload': return `workload ${e.namespace}/${e.name} (${e.pods} pod${e.pods === 1 ? '' : 's'})`;
    case 'serviceEntry': return `${e.host}:${e.port} (ServiceEntry ${e.namespace}/${e.name}, ${e.location})`;
    case 'passthrough': return `PassthroughCluster (${e.host ?? e.ip}:${e.port})`;
    case 'blackhole': return `BlackHoleCluster (${e.host ?? e.ip}:${e.port})`;
    case 'external': return `${e.host ?? e.ip}${e.host && e.ip ? ` (${e.ip})` : ''}:${e.port}`;
  }
}
