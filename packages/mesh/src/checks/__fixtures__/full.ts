/** Test helpers: a whole finding in one comparable line (code, severity, object, path, line) plus its references; engine replays. */
import { parse, stringify } from 'yaml';
import { refKey, type Finding, type InventoryObject, type ObjectRef } from '@meshlens/model';
import { buildInventory, parseManifests } from '../../inventory/index.js';
import { checkInventory, createCheckEngine } from '../engine.js';
import { inventoryOf } from './load.js';

/** `CODE severity Kind ns/name path @line`, then `  → Kind ns/name path @line` per reference. */
export function full(f: Finding): string {
  const head = `${f.code} ${f.severity} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.path} @${f.line ?? '?'}`;
  return [head, ...f.references.map((r) => `  → ${r.object.kind} ${r.object.namespace ?? ''}/${r.object.name} ${r.path ?? ''} @${r.line ?? '?'}`)].join('\n');
}

/** The findings of fixture files with a code matching `codes`, whole. */
export function fullFindings(codes: RegExp, ...files: string[]): string[] {
  return checkInventory(inventoryOf(...files)).filter((f) => codes.test(f.code)).map(full);
}

/** Replaces (or adds, or with `null` deletes) one object, re-parsed from YAML so positions stay real. */
export function editObjects(objects: InventoryObject[], ref: ObjectRef, next: Record<string, unknown> | null): InventoryObject[] {
  const rest = objects.filter((o) => refKey(o.ref) !== refKey(ref));
  return next ? [...rest, ...parseManifests(stringify(next), { file: 'edit.yaml' }).objects] : rest;
}

/** A plain copy of one object of `objects`, to edit. */
export function rawObject(objects: InventoryObject[], kind: string, ns: string, name: string): any {
  return parse(stringify(objects.find((o) => o.ref.kind === kind && o.ref.namespace === ns && o.ref.name === name)!.object));
}

export type Edit = [ObjectRef, (o: InventoryObject[]) => Record<string, unknown> | null, string];

/**
 * Applies each edit to an engine, asserting update() equals a full run and that exactly the named findings with a code
 * matching `codes` (`CODE ns/name path`) appear (+) or disappear (-).
 */
export function replayEdits(files: string[], codes: RegExp, edits: Edit[], check: (actual: unknown, expected: unknown, label: string) => void): void {
  let objects = inventoryOf(...files).objects;
  let inv = buildInventory(objects);
  const engine = createCheckEngine(inv);
  for (const [ref, make, expected] of edits) {
    const before = engine.findings();
    objects = editObjects(objects, ref, make(objects));
    inv = buildInventory(objects);
    engine.update(inv, [ref]);
    const all = checkInventory(inv);
    check(JSON.stringify(engine.findings()), JSON.stringify(all), `update() = full run after ${ref.kind} ${ref.namespace}/${ref.name}`);
    const short = (l: Finding[]) => l.filter((f) => codes.test(f.code)).map((f) => `${f.code} ${f.object.namespace}/${f.object.name} ${f.path}`);
    const got = [...short(all).filter((l) => !short(before).includes(l)).map((l) => `+${l}`), ...short(before).filter((l) => !short(all).includes(l)).map((l) => `-${l}`)].join(', ');
    check(got, expected, `${ref.kind} ${ref.namespace}/${ref.name}`);
  }
}
