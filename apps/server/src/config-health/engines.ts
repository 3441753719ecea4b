/**
 * One check engine per source, created on first use and kept current: a live source's change events move it
 * with the objects the source says changed; any other new inventory is compared object by object. Either way
 * only the checks those objects can affect re-run (createCheckEngine's update).
 */
import { createCheckEngine, type CheckEngine, type Inventory } from '@meshlens/mesh';
import type { InventoryChange, MeshSource } from '@meshlens/sources';
import { changedRefs } from './inventory-diff.js';

interface EngineState {
  engine: CheckEngine;
  /** The inventory the engine's findings describe. */
  inventory: Inventory;
  /** The inventory of the last change event (or the first one seen): the base the next event's refs are relative to. */
  eventBase: Inventory;
  unsubscribe?: () => void;
}

export interface ConfigHealth {
  /** The engine of the source the current request reads (with clusters: the selected cluster's), up to date. */
  current(): { engine: CheckEngine; inventory: Inventory };
  /** Drops the engine of a source that is gone (a snapshot file closed); it is rebuilt if the name comes back. */
  forget(name: string): void;
  close(): void;
}

export function createConfigHealth(source: MeshSource): ConfigHealth {
  // Keyed by the source's name: with a kubeconfig the same MeshSource answers for whichever cluster the request selects.
  const states = new Map<string, EngineState>();

  const moveTo = (state: EngineState, next: Inventory, changed = changedRefs(state.inventory, next)) => {
    state.engine.update(next, changed);
    state.inventory = next;
  };

  const onChange = (state: EngineState) => (change: InventoryChange) => {
    const base = state.eventBase;
    state.eventBase = change.inventory;
    if (state.inventory === change.inventory) return; // a request already moved there
    if (state.inventory === base) moveTo(state, change.inventory, [...change.changed, ...change.removed]);
    else moveTo(state, change.inventory);
  };

  return {
    current() {
      const inventory = source.inventory();
      let state = states.get(source.name);
      if (!state) {
        state = { engine: createCheckEngine(inventory), inventory, eventBase: inventory };
        states.set(source.name, state);
        // Subscribing inside the request keeps the cluster selection (AsyncLocalStorage) of this source.
        if (source.subscribe) state.unsubscribe = source.subscribe(onChange(state));
      } else if (state.inventory !== inventory) {
        moveTo(state, inventory);
      }
      return { engine: state.engine, inventory: state.inventory };
    },
    forget(name) {
      states.get(name)?.unsubscribe?.();
      states.delete(name);
    },
    close() {
      for (const s of states.values()) s.unsubscribe?.();
      states.clear();
    },
  };
}
