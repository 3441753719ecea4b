/** Discovery documents (/api, /apis, /api/v1, /apis/<group>[/<version>]) as kube-apiserver writes them. */
import { groupVersion, type ServedResource } from './resources.js';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

function groups(resources: ServedResource[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.group) continue;
    const versions = out.get(r.group) ?? [];
    for (const v of r.versions) if (!versions.includes(v)) versions.push(v);
    out.set(r.group, versions);
  }
  // Preferred (first) version is the newest, as Kubernetes' version priority orders them.
  for (const [g, v] of out) out.set(g, v.sort(versionPriority));
  return out;
}

/** Kubernetes version priority: GA > beta > alpha, then higher numbers first. */
export function versionPriority(a: string, b: string): number {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return 0;
}

function groupDoc(name: string, versions: string[]) {
  const vs = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiVersionsDoc() {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
}

export function apiGroupListDoc(resources: ServedResource[]) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups(resources)].map(([name, versions]) => groupDoc(name, versions)) };
}

export function apiGroupDoc(resources: ServedResource[], group: string) {
  const versions = groups(resources).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, versions) } : undefined;
}

export function apiResourceListDoc(resources: ServedResource[], group: string, version: string) {
  const served = resources.filter((r) => r.group === group && r.versions.includes(version));
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: served.flatMap((r) => [
      { name: r.resource, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: VERBS, storageVersionHash: 'test' },
      // Subresources are listed too; a discovery client must skip them.
      { name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] },
    ]),
  };
}
