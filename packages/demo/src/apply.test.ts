/**
 * The demo's manifests are what `kubectl apply -f packages/demo/scenarios/` sends to a cluster, in the demo's load
 * order (00-istio-system.yaml first). A real API server refused two things in them: Pods whose ownerReferences lacked a
 * uid, and a second declaration of istio-egressgateway (seed 001's hand-written copy) whose immutable fields
 * (Service clusterIP, Deployment selector) differed from the first. This test applies the files in order the way the
 * API server judges them: the fields it requires, and for an object declared again, its immutable fields.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadDemoManifests } from './scenarios.js';

interface Doc {
  file: string;
  line: number;
  obj: any;
}

function documents(): Doc[] {
  const out: Doc[] = [];
  for (const f of loadDemoManifests()) {
    for (const d of parseAllDocuments(f.text)) {
      const obj = d.toJS();
      if (!obj || typeof obj !== 'object') continue;
      const offset = d.contents?.range?.[0] ?? 0;
      out.push({ file: f.file, line: f.text.slice(0, offset).split('\n').length, obj });
    }
  }
  return out;
}

const key = (o: any) => `${o.apiVersion?.split('/')[0]}/${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** Fields the API server never lets an update change (what `kubectl apply` of a second declaration would change). */
function immutable(o: any): Record<string, unknown> {
  switch (o.kind) {
    case 'Service':
      return { clusterIP: o.spec?.clusterIP, type: o.spec?.type ?? 'ClusterIP' };
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'ReplicaSet':
      return { selector: o.spec?.selector };
    case 'Pod':
      return { containers: (o.spec?.containers ?? []).map((c: any) => c.name), nodeName: o.spec?.nodeName };
    default:
      return {};
  }
}

/** What the API server's validation refuses outright, for the kinds the demo declares. */
function refusals(o: any): string[] {
  const problems: string[] = [];
  if (!o.apiVersion || !o.kind || !o.metadata?.name) problems.push('apiVersion, kind and metadata.name are required');
  for (const [i, r] of (o.metadata?.ownerReferences ?? []).entries()) {
    for (const field of ['apiVersion', 'kind', 'name', 'uid']) if (!r[field]) problems.push(`metadata.ownerReferences[${i}].${field}: Required value`);
  }
  if (['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet'].includes(o.kind)) {
    const match = o.spec?.selector?.matchLabels ?? {};
    const labels = o.spec?.template?.metadata?.labels ?? {};
    if (Object.keys(match).length === 0) problems.push('spec.selector: Required value');
    for (const [k, v] of Object.entries(match)) if (labels[k] !== v) problems.push(`spec.template.metadata.labels: Invalid value: selector does not match template labels (${k}=${String(v)})`);
  }
  if (o.kind === 'Service') {
    for (const [i, p] of (o.spec?.ports ?? []).entries()) if (typeof p.port !== 'number') problems.push(`spec.ports[${i}].port: Required value`);
    const names = (o.spec?.ports ?? []).map((p: any) => p.name);
    if (names.length > 1 && names.some((n: unknown) => !n)) problems.push('spec.ports: each port needs a name when there are several');
  }
  return problems;
}

describe('the demo manifests, applied in order to a real API server', () => {
  const docs = documents();

  it('has every field the API server requires (owner uids, selectors matching their templates, named ports)', () => {
    const refused = docs.flatMap((d) => refusals(d.obj).map((p) => `${d.file}:${d.line} ${key(d.obj)}: ${p}`));
    expect(refused).toEqual([]);
    expect(docs.length).toBeGreaterThan(300);
  });

  it('declares an object twice only with the same immutable fields, so the second apply updates the first', () => {
    const first = new Map<string, Doc>();
    const conflicts: string[] = [];
    let again = 0;
    for (const d of docs) {
      const k = key(d.obj);
      const before = first.get(k);
      if (!before) {
        first.set(k, d);
        continue;
      }
      again++;
      const was = immutable(before.obj);
      const now = immutable(d.obj);
      for (const field of Object.keys(was)) {
        // an absent clusterIP in the later copy would be read as "remove it" by kubectl apply: immutable too
        if (JSON.stringify(was[field]) !== JSON.stringify(now[field])) conflicts.push(`${d.file}:${d.line} ${k}: ${field} ${JSON.stringify(now[field])} != ${JSON.stringify(was[field])} (${before.file}:${before.line})`);
      }
    }
    expect(conflicts).toEqual([]);
    // seed 001 re-declares the installed egress gateway's Service and Deployment on purpose
    expect(again).toBe(2);
  });
});
