/**
 * The change set: the drafts a person is writing, kept in the browser (localStorage) so that they survive a reload,
 * and nowhere else — nothing is sent to the server or the cluster. Components read it with useDrafts().
 */
import { useSyncExternalStore } from 'react';
import type { ObjectRef } from '@meshlens/model';

export interface Draft {
  id: string;
  /** The draft's YAML (one or more documents). */
  text: string;
  /** The live object this draft edits, with its YAML when the draft began (the diff's left side). */
  base?: { ref: ObjectRef; yaml: string };
  createdAt: number;
  updatedAt: number;
}

export const DRAFTS_STORAGE_KEY = 'meshlens-drafts';

function read(): Draft[] {
  try {
    const raw = globalThis.localStorage?.getItem(DRAFTS_STORAGE_KEY);
    const value = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(value) ? value.filter((d): d is Draft => typeof d?.id === 'string' && typeof d?.text === 'string') : [];
  } catch {
    return [];
  }
}

let drafts: Draft[] = read();
const listeners = new Set<() => void>();

function commit(next: Draft[]): void {
  drafts = next;
  try {
    globalThis.localStorage?.setItem(DRAFTS_STORAGE_KEY, JSON.stringify(next));
  } catch {
    // storage full or disabled: the drafts stay for this page's life
  }
  for (const l of listeners) l();
}

// another tab changed the change set
globalThis.addEventListener?.('storage', (e: StorageEvent) => {
  if (e.key !== DRAFTS_STORAGE_KEY) return;
  drafts = read();
  for (const l of listeners) l();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useDrafts(): Draft[] {
  return useSyncExternalStore(subscribe, () => drafts, () => drafts);
}

export function currentDrafts(): Draft[] {
  return drafts;
}

const sameRef = (a: ObjectRef, b: ObjectRef) => a.kind === b.kind && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name;

export function draftFor(ref: ObjectRef, list: Draft[] = drafts): Draft | undefined {
  return list.find((d) => d.base && sameRef(d.base.ref, ref));
}

function newId(): string {
  return `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Adds a draft (of a live object when `base` is given, or a new object) and returns it. */
export function addDraft(text: string, base?: Draft['base']): Draft {
  const now = Date.now();
  const draft: Draft = { id: newId(), text, ...(base ? { base } : {}), createdAt: now, updatedAt: now };
  commit([...drafts, draft]);
  return draft;
}

export function updateDraft(id: string, text: string): void {
  commit(drafts.map((d) => (d.id === id ? { ...d, text, updatedAt: Date.now() } : d)));
}

export function discardDraft(id: string): void {
  commit(drafts.filter((d) => d.id !== id));
}

export function discardAll(): void {
  commit([]);
}

/** Replaces the change set (a shared link's). */
export function replaceDrafts(next: Draft[]): void {
  commit(next);
}

/** `Kind namespace/name` of the draft's first object, read from its text without parsing it; or "New draft". */
export function draftTitle(d: Pick<Draft, 'text' | 'base'>): string {
  const kind = /^kind:\s*["']?([A-Za-z0-9]+)/m.exec(d.text)?.[1];
  const meta = /^metadata:\s*\n((?:[ \t]+.*\n?)*)/m.exec(d.text)?.[1] ?? '';
  const name = /^\s+name:\s*["']?([^"'\s#]+)/m.exec(meta)?.[1];
  const ns = /^\s+namespace:\s*["']?([^"'\s#]+)/m.exec(meta)?.[1];
  const docs = d.text.split(/^---\s*$/m).filter((t) => /\S/.test(t.replace(/#.*$/gm, ''))).length;
  if (!kind || !name) return d.base ? `${d.base.ref.kind} ${d.base.ref.namespace ? `${d.base.ref.namespace}/` : ''}${d.base.ref.name}` : 'New draft';
  return `${kind} ${ns ? `${ns}/` : ''}${name}${docs > 1 ? ` (+${docs - 1})` : ''}`;
}
