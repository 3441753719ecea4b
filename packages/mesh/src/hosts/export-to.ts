/** `exportTo` visibility of Istio config and Kubernetes Services (reference §3.2). */
import type { InventoryObject } from '@meshlens/model';

/**
 * True when config written in `ownerNamespace` with `exportTo` is visible from `namespace`.
 * Empty or absent ⇒ everywhere (`*`, Istio's mesh default); `.` ⇒ own namespace; `~` ⇒ nobody.
 */
export function isExportedTo(exportTo: readonly string[] | undefined, ownerNamespace: string, namespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  for (const entry of exportTo) {
    const e = entry.trim();
    if (e === '*') return true;
    if (e === '.' && namespace === ownerNamespace) return true;
    if (e === namespace) return true;
  }
  return false;
}

/** The `spec.exportTo` list of a VirtualService, DestinationRule or ServiceEntry, if written. */
export function exportToOf(obj: InventoryObject): string[] | undefined {
  const value: unknown = obj.object.spec?.exportTo;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
