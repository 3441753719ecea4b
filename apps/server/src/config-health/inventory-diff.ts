/** Which objects differ between two inventories, for sources that rebuild without saying what changed. */
import { isDeepStrictEqual } from 'node:util';
import type { Inventory } from '@meshlens/mesh';
import type { InventoryObject, ObjectRef } from '@meshlens/model';

/** Same object when it is the same instance, the same uid at the same resourceVersion, or equal content. */
function sameObject(a: InventoryObject, b: InventoryObject): boolean {
  if (a === b || a.object === b.object) return true;
  const ma = a.object.metadata;
  const mb = b.object.metadata;
  // A live object's resourceVersion changes on every write: equal versions mean equal content, no need to compare.
  if (ma.resourceVersion !== undefined && mb.resourceVersion !== undefined && ma.uid === mb.uid) return ma.resourceVersion === mb.resourceVersion;
  return isDeepStrictEqual(a.object, b.object);
}

/** Refs added, modified or removed going from `prev` to `next` (removed ones too: the engine drops their findings). */
export function changedRefs(prev: Inventory, next: Inventory): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const [key, obj] of next.byKey) {
    const before = prev.byKey.get(key);
    if (!before || !sameObject(before, obj)) out.push(obj.ref);
  }
  for (const [key, obj] of prev.byKey) if (!next.byKey.has(key)) out.push(obj.ref);
  return out;
}
