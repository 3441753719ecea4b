/** Builds findings with their position, Istio alias, severity and references filled in from the catalogue. */
import { refKey, type Finding, type InventoryObject } from '@meshlens/model';
import { positionOf } from '../inventory/parse.js';
import { codeInfo } from './codes.js';

/** Another object taking part in a finding: which object, which of its fields, and why it matters. */
export interface RefInput {
  obj: InventoryObject;
  path?: string;
  note?: string;
}

/** A finding on `obj` at `path`, positioned on the written field, with the catalogue's severity and alias. */
export function makeFinding(obj: InventoryObject, code: string, path: string, message: string, fix: string, refs: RefInput[] = [], istioCode?: string | null): Finding {
  const info = codeInfo(code);
  const at = positionOf(obj, path);
  const f: Finding = { code, severity: info.severity, message, object: { ...obj.ref }, path, references: [], fix };
  const alias = istioCode === undefined ? info.istioCode : istioCode ?? undefined;
  if (alias) f.istioCode = alias;
  if (at.file !== undefined) f.file = at.file;
  if (at.line !== undefined) f.line = at.line;
  if (at.column !== undefined) f.column = at.column;
  const seen = new Set<string>();
  for (const r of refs) {
    const key = `${refKey(r.obj.ref)}|${r.path ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rp = r.path ? positionOf(r.obj, r.path) : { file: r.obj.origin.file, line: r.obj.origin.line };
    const ref: Finding['references'][number] = { object: { ...r.obj.ref } };
    if (r.path) ref.path = r.path;
    if (rp.file !== undefined) ref.file = rp.file;
    if (rp.line !== undefined) ref.line = rp.line;
    if (r.note) ref.note = r.note;
    f.references.push(ref);
  }
  return f;
}

/**
 * How a finding is told when it is part of a problem another finding tells (grouping.ts): the problem it belongs to
 * (a key shared by the findings of one object that describe the same thing), the sentence it adds to the primary
 * finding's message, and what it adds to the fix. Kept beside the finding, not in it: it never reaches the output.
 */
export interface Telling {
  /** The problem's key (or keys: findings sharing any one of them tell the same problem). */
  problem: string | string[];
  /** What this finding adds to the primary's message (default: its own message). */
  sentence?: string;
  /** What it adds to the primary's fix (default: its own fix; '' when the primary's fix covers it). */
  fix?: string;
}

const tellings = new WeakMap<Finding, Telling>();

/** Marks `f` as one telling of `problem` (see Telling); returns `f`. */
export function tellsProblem(f: Finding, telling: Telling): Finding {
  tellings.set(f, telling);
  return f;
}

/** How `f` is told within another finding of the same problem, if its check said so. */
export function tellingOf(f: Finding): Telling | undefined {
  return tellings.get(f);
}

/**
 * A list of names for a message: at most `max` (default 3), then "and N more" — `a, b and c`, `a, b, c and 4 more`.
 * Callers pass only the relevant objects, most relevant first; the finding's references keep the full list with lines.
 */
export function someNames(names: string[], max = 3): string {
  const list = [...new Set(names)];
  if (list.length <= 1) return list[0] ?? '';
  if (list.length <= max) return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return `${list.slice(0, max).join(', ')} and ${list.length - max} more`;
}

/** `ns/name` of an object. */
export function nsName(obj: InventoryObject): string {
  return obj.ref.namespace ? `${obj.ref.namespace}/${obj.ref.name}` : obj.ref.name;
}

/** The namespace of an object (`default` when none was written). */
export function nsOf(obj: InventoryObject): string {
  return obj.ref.namespace ?? 'default';
}

/** Deterministic order: file, line, code, then column, object and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file ?? '\uffff', b.file ?? '\uffff') || (a.line ?? 0) - (b.line ?? 0) || cmp(a.code, b.code) || (a.column ?? 0) - (b.column ?? 0)
    || cmp(refKey(a.object), refKey(b.object)) || cmp(a.path, b.path) || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when the object's annotations suppress `finding` (`kiali.io/ignore-validations`, `meshlens.io/ignore`). */
export function isSuppressed(obj: InventoryObject, finding: Finding): boolean {
  const ann = obj.object.metadata.annotations;
  if (!ann) return false;
  const codes = [finding.code, finding.istioCode, ...(finding.aliases ?? [])].filter((c): c is string => !!c);
  const kiali = ann['kiali.io/ignore-validations'];
  // Kiali: an empty value ignores every check; otherwise a comma-separated list of codes.
  if (kiali !== undefined && (kiali.trim() === '' || listHas(kiali, codes))) return true;
  const ours = ann['meshlens.io/ignore'];
  return ours !== undefined && (listHas(ours, ['*']) || listHas(ours, codes));
}

function listHas(list: string, codes: string[]): boolean {
  const items = list.split(',').map((s) => s.trim().toUpperCase());
  return codes.some((c) => items.includes(c.toUpperCase()));
}
