/**
 * The demo's Kubernetes objects checked against the Kubernetes API's own schemas, as the API server checks a
 * `kubectl apply`: every field a known one of its kind (a typo such as `contianers` is an unknown field, which
 * `kubectl apply --validate=strict` refuses) and every value of its type. The schemas are the OpenAPI models that
 * @kubernetes/client-node is generated from (each model's attribute type map). Istio and Gateway API kinds have no
 * model there and are checked by the engine's own checks instead; required fields and immutable fields of objects
 * declared twice are packages/demo/src/apply.test.ts's.
 */
import * as k8s from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadDemoManifests } from '@meshlens/demo';

type Model = { getAttributeTypeMap(): Array<{ baseName: string; type: string }> };
const GROUPS: Record<string, string> = { v1: 'V1', 'apps/v1': 'V1', 'batch/v1': 'V1', 'policy/v1': 'V1', 'rbac.authorization.k8s.io/v1': 'V1' };

function modelOf(type: string): Model | undefined {
  const m = (k8s as unknown as Record<string, unknown>)[type] as Partial<Model> | undefined;
  return typeof m?.getAttributeTypeMap === 'function' ? (m as Model) : undefined;
}

/** Where `value` does not fit `type` (a client-node model name, `Array<T>`, `{ [key: string]: T; }` or a primitive). */
function schemaErrors(value: unknown, type: string, path: string): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => schemaErrors(v, array[1]!, `${path}[${i}]`)) : [`${path}: expected a list`];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  const isObject = typeof value === 'object' && !Array.isArray(value);
  if (map) return isObject ? Object.entries(value as object).flatMap(([k, v]) => schemaErrors(v, map[1]!, `${path}.${k}`)) : [`${path}: expected a map`];
  switch (type) {
    case 'string': case 'Date': return typeof value === 'string' ? [] : [`${path}: expected a string, not ${JSON.stringify(value)}`];
    case 'number': return typeof value === 'number' ? [] : [`${path}: expected a number, not ${JSON.stringify(value)}`];
    case 'boolean': return typeof value === 'boolean' ? [] : [`${path}: expected true or false, not ${JSON.stringify(value)}`];
    case 'IntOrString': return typeof value === 'number' || typeof value === 'string' ? [] : [`${path}: expected a number or a string`];
    case 'any': case 'object': return [];
  }
  const model = modelOf(type);
  if (!model) return [`${path}: no schema for ${type}`];
  if (!isObject) return [`${path}: expected an object (${type})`];
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value as object).flatMap(([k, v]) => (fields.has(k) ? schemaErrors(v, fields.get(k)!, `${path}.${k}`) : [`${path}.${k}: unknown field of ${type}`]));
}

interface Checked { file: string; kind: string; errors: string[] }

function checkDemo(): { checked: Checked[]; skipped: Map<string, number> } {
  const checked: Checked[] = [];
  const skipped = new Map<string, number>();
  for (const f of loadDemoManifests()) {
    for (const d of parseAllDocuments(f.text)) {
      const obj = d.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!obj?.kind || !obj.apiVersion) continue;
      const prefix = GROUPS[obj.apiVersion];
      const type = prefix ? `${prefix}${obj.kind}` : undefined;
      if (!type || !modelOf(type)) {
        skipped.set(obj.kind, (skipped.get(obj.kind) ?? 0) + 1);
        continue;
      }
      checked.push({ file: f.file, kind: obj.kind, errors: schemaErrors(obj, type, `${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`) });
    }
  }
  return { checked, skipped };
}

describe('the demo manifests against the Kubernetes API schemas', () => {
  it('every Kubernetes object of every scenario has only known fields, each of its type', () => {
    const { checked, skipped } = checkDemo();
    expect(checked.flatMap((c) => c.errors.map((e) => `${c.file}: ${e}`))).toEqual([]);
    // the built-in kinds are all checked; only Istio's and the Gateway API's are left to the engine
    expect(new Set(checked.map((c) => c.kind))).toEqual(new Set(['ConfigMap', 'DaemonSet', 'Deployment', 'Namespace', 'Pod', 'Secret', 'Service', 'ServiceAccount']));
    expect(checked.length).toBeGreaterThan(230);
    expect([...skipped.keys()].sort()).toEqual(['DestinationRule', 'Gateway', 'HTTPRoute', 'ServiceEntry', 'Sidecar', 'VirtualService']);
  });

  it('finds a misspelt field, a value of the wrong type and a map given as a list', () => {
    const broken = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reviews-v1', labels: ['app=reviews'] },
      spec: { replicas: '2', selector: { matchLabels: { app: 'reviews' } }, template: { metadata: { labels: { app: 'reviews' } }, spec: { contianers: [{ name: 'reviews' }] } } },
    };
    expect(schemaErrors(broken, 'V1Deployment', 'Deployment /reviews-v1')).toEqual([
      'Deployment /reviews-v1.metadata.labels: expected a map',
      'Deployment /reviews-v1.spec.replicas: expected a number, not "2"',
      'Deployment /reviews-v1.spec.template.spec.contianers: unknown field of V1PodSpec',
    ]);
  });
});
