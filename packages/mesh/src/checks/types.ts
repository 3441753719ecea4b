/** Shapes shared by every check: the per-subject context that records what a check reads, and the check itself. */
import type { Finding, InventoryObject, ObjectRef } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import type { CheckIndex } from './index-build.js';

/** What a check sees while it validates one subject object. */
export interface CheckContext {
  inv: Inventory;
  idx: CheckIndex;
  /**
   * Records that the running check read `key` (a host, a gateway name, a label pair…). When an object that
   * provides `key` changes, the subject is validated again: this is how update() stays incremental.
   */
  read(key: string): void;
}

/** One check family: runs on each object of `kinds` and returns the findings on that object. */
export interface Check {
  name: string;
  kinds: readonly string[];
  run(ctx: CheckContext, obj: InventoryObject): Finding[];
}

/** A subject of validation: an inventory object, or an implicit namespace (no Namespace object was loaded). */
export interface Subject {
  ref: ObjectRef;
  obj?: InventoryObject;
}
