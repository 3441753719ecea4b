/** Runs every check over an inventory, and re-runs only the affected subjects when objects change. */
import { refKey, type Finding, type FindingsSummary, type InventoryObject, type ObjectRef } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import type { Check, CheckContext } from './types.js';
import { checkIndex } from './index-build.js';
import { compareFindings, isSuppressed } from './finding.js';
import { providedKeys } from './providers.js';
import { ALL_CHECKS } from './registry.js';
import { tellOnce } from './grouping.js';
import { findingsByInvolvedObject } from './involved.js';

export { findingsByInvolvedObject };
import { loadErrorFindings } from './load-errors.js';

export interface CheckOptions {
  /** Only these codes (Kiali, Meshlens or Istio alias) are kept. */
  only?: string[];
}

export interface CheckEngine {
  findings(): Finding[];
  findingsFor(ref: ObjectRef): Finding[];
  /**
   * Findings on other objects that name `ref` among the objects involved (their `references`), in order: the
   * DestinationRule's finding that names the client Pod carrying its subset's labels, asked for the Pod.
   */
  findingsInvolving(ref: ObjectRef): Finding[];
  summary(namespaces?: string[]): FindingsSummary;
  /** Moves to `next`, re-validating only what `changed` objects can affect; returns the difference. */
  update(next: Inventory, changed: ObjectRef[]): { added: Finding[]; removed: Finding[] };
}

interface SubjectState {
  findings: Finding[];
  reads: string[];
}

const checksByKind = new Map<string, Check[]>();
for (const c of ALL_CHECKS) for (const k of c.kinds) checksByKind.set(k, [...(checksByKind.get(k) ?? []), c]);

/** Validates one subject: every check of its kind, suppressions applied, keys read recorded. */
function runSubject(inv: Inventory, obj: InventoryObject, only: Set<string> | undefined, track = true): SubjectState {
  const checks = checksByKind.get(obj.ref.kind);
  if (!checks) return { findings: [], reads: [] };
  const reads = new Set<string>();
  // a one-shot run needs no dependency keys
  const ctx: CheckContext = { inv, idx: checkIndex(inv), read: track ? (k) => reads.add(k) : () => {} };
  const findings: Finding[] = [];
  for (const c of checks) {
    for (const f of c.run(ctx, obj)) {
      if (only && !only.has(f.code) && !(f.istioCode && only.has(f.istioCode))) continue;
      if (!isSuppressed(obj, f)) findings.push(f);
    }
  }
  // each problem told once (within this object, so re-validating it alone stays exact)
  return { findings: tellOnce(findings), reads: [...reads] };
}

/** Every finding of `inv`, in file/line/code order. */
export function checkInventory(inv: Inventory, options: CheckOptions = {}): Finding[] {
  const only = options.only ? new Set(options.only) : undefined;
  const out: Finding[] = loadErrorFindings(inv).filter((f) => !only || only.has(f.code));
  for (const obj of inv.objects) out.push(...runSubject(inv, obj, only, false).findings);
  return out.sort(compareFindings);
}

/** Counts by severity (and objects with findings), optionally within `namespaces`. */
export function summarize(findings: Finding[], namespaces?: string[]): FindingsSummary {
  const ns = namespaces && namespaces.length ? new Set(namespaces) : undefined;
  const s: FindingsSummary = { error: 0, warning: 0, info: 0, objects: 0 };
  const objects = new Set<string>();
  for (const f of findings) {
    if (ns && !(f.object.namespace ? ns.has(f.object.namespace) : f.object.kind === 'Namespace' && ns.has(f.object.name))) continue;
    s[f.severity]++;
    objects.add(refKey(f.object));
  }
  s.objects = objects.size;
  return s;
}

/** An engine holding the findings of `inv`, able to re-validate incrementally. */
export function createCheckEngine(initial: Inventory): CheckEngine {
  let inv = initial;
  const subjects = new Map<string, SubjectState>();
  const readers = new Map<string, Set<string>>();
  let loadFindings: Finding[] = [];
  let sorted: Finding[] | undefined;
  let involved: Map<string, Finding[]> | undefined;

  const index = (key: string, state: SubjectState) => {
    for (const k of state.reads) {
      let set = readers.get(k);
      if (!set) readers.set(k, (set = new Set()));
      set.add(key);
    }
  };
  const unindex = (key: string, state: SubjectState) => {
    for (const k of state.reads) readers.get(k)?.delete(key);
  };
  const validate = (obj: InventoryObject) => {
    const key = refKey(obj.ref);
    const state = runSubject(inv, obj, undefined);
    subjects.set(key, state);
    index(key, state);
  };

  for (const obj of inv.objects) validate(obj);
  loadFindings = loadErrorFindings(inv);

  const all = (): Finding[] => {
    if (!sorted) {
      sorted = [...loadFindings];
      for (const s of subjects.values()) sorted.push(...s.findings);
      sorted.sort(compareFindings);
    }
    return sorted;
  };

  return {
    findings: all,
    findingsFor(ref) {
      return [...(subjects.get(refKey(ref))?.findings ?? [])].sort(compareFindings);
    },
    findingsInvolving(ref) {
      involved ??= findingsByInvolvedObject(all());
      return [...(involved.get(refKey(ref)) ?? [])];
    },
    summary(namespaces) {
      return summarize(all(), namespaces);
    },
    update(next, changed) {
      const prev = inv;
      inv = next;
      const affected = new Set<string>();
      for (const ref of changed) {
        const key = refKey(ref);
        affected.add(key);
        const keys = new Set<string>();
        const before = prev.byKey.get(key);
        const after = next.byKey.get(key);
        if (before) for (const k of providedKeys(prev, before)) keys.add(k);
        if (after) for (const k of providedKeys(next, after)) keys.add(k);
        for (const k of keys) for (const r of readers.get(k) ?? []) affected.add(r);
      }
      const removed: Finding[] = [];
      const added: Finding[] = [];
      for (const key of affected) {
        const old = subjects.get(key);
        if (old) {
          unindex(key, old);
          subjects.delete(key);
        }
        const obj = next.byKey.get(key);
        if (obj) validate(obj);
        diff(old?.findings ?? [], subjects.get(key)?.findings ?? [], added, removed);
      }
      const nextLoad = loadErrorFindings(next);
      diff(loadFindings, nextLoad, added, removed);
      loadFindings = nextLoad;
      sorted = undefined;
      involved = undefined;
      return { added: added.sort(compareFindings), removed: removed.sort(compareFindings) };
    },
  };
}

/** Appends to `added`/`removed` the findings that differ between two lists (compared by content). */
function diff(before: Finding[], after: Finding[], added: Finding[], removed: Finding[]): void {
  if (before.length === 0 && after.length === 0) return;
  const count = new Map<string, number>();
  for (const f of before) count.set(JSON.stringify(f), (count.get(JSON.stringify(f)) ?? 0) + 1);
  for (const f of after) {
    const k = JSON.stringify(f);
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else added.push(f);
  }
  for (const f of before) {
    const k = JSON.stringify(f);
    const n = count.get(k) ?? 0;
    if (n > 0) {
      count.set(k, n - 1);
      removed.push(f);
    }
  }
}
