/** How the test API server writes objects: served version, PartialObjectMetadata, label/field selectors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '@meshlens/model';
import { groupVersion, type ServedResource } from './resources.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** `as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1` asked for in the Accept header. */
export function wantsMetadataOnly(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((media) => /;\s*as=PartialObjectMetadata(List)?\b/.test(media) && /;\s*g=meta\.k8s\.io\b/.test(media));
}

/** The object as the client sees it in `version`: with apiVersion/kind, or metadata only. */
export function present(o: KubeObject, r: ServedResource, version: string, metadataOnly: boolean, inList: boolean): KubeObject {
  if (metadataOnly) return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: o.metadata };
  // List items of built-in types carry no apiVersion/kind on a real API server; clients must fill them in.
  if (inList && r.builtin) {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return rest as KubeObject;
  }
  return { ...o, apiVersion: groupVersion(r.group, version), kind: r.kind };
}

export type Selector = (o: KubeObject) => boolean;

/** Equality-based label selectors (`a=b,c!=d`) and `metadata.name`/`metadata.namespace` field selectors. */
export function selector(labelSelector: string | null, fieldSelector: string | null): Selector {
  const tests: Selector[] = [];
  for (const term of (labelSelector ?? '').split(',').filter(Boolean)) {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(term.trim());
    if (m) {
      const [, k, op, v] = m;
      tests.push((o) => ((o.metadata.labels ?? {})[k!.trim()] === v!.trim()) !== (op === '!='));
    } else {
      const k = term.trim();
      tests.push(k.startsWith('!') ? (o) => !(k.slice(1) in (o.metadata.labels ?? {})) : (o) => k in (o.metadata.labels ?? {}));
    }
  }
  for (const term of (fieldSelector ?? '').split(',').filter(Boolean)) {
    const [k, v] = term.split('=') as [string, string];
    const path = k.replace(/=$/, '');
    if (path === 'metadata.name') tests.push((o) => o.metadata.name === v);
    else if (path === 'metadata.namespace') tests.push((o) => o.metadata.namespace === v);
  }
  return (o) => tests.every((t) => t(o));
}
