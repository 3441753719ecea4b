/** Turns objects as the API server sends them into what the inventory keeps. */
import type { KubeObject } from '@meshlens/model';
import { apiVersionOf, type WatchedResource } from './resources.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Fills in apiVersion/kind (absent on list items of built-in types), drops managedFields (a third of a Pod's
 * bytes, never read), and for metadata-only kinds keeps nothing but metadata, whatever the server sent.
 */
export function normalizeObject(raw: KubeObject, r: WatchedResource): KubeObject {
  const { managedFields: _managed, ...metadata } = raw.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  if (r.metadataOnly) {
    // The last-applied annotation of a Secret holds its data in clear text.
    if (metadata.annotations && LAST_APPLIED in metadata.annotations) {
      const { [LAST_APPLIED]: _secret, ...annotations } = metadata.annotations;
      metadata.annotations = annotations;
    }
    return { apiVersion: apiVersionOf(r), kind: r.kind, metadata };
  }
  return { ...raw, apiVersion: raw.apiVersion ?? apiVersionOf(r), kind: raw.kind ?? r.kind, metadata };
}

export const objectKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
