/**
 * The theme in effect, as a small store: read from localStorage and `prefers-color-scheme`, written to
 * `<html data-theme>` (the CSS variables of styles.css follow it) and to `color-scheme` (native controls,
 * scrollbars). Components that draw with colours of their own (the graph canvas, charts) subscribe with `useTheme`.
 */
import { useSyncExternalStore } from 'react';
import { resolveTheme, storedMode, THEME_STORAGE_KEY, type Theme, type ThemeMode } from './theme';

const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const listeners = new Set<() => void>();

function readStorage(): string | null {
  try {
    return window.localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return null; // storage disabled: follow the system
  }
}

let mode: ThemeMode = typeof window === 'undefined' ? 'system' : storedMode(readStorage());
let snapshot = { mode, theme: resolveTheme(mode, media?.matches ?? false) };

function update(): void {
  const theme = resolveTheme(mode, media?.matches ?? false);
  if (snapshot.mode !== mode || snapshot.theme !== theme) snapshot = { mode, theme };
  applyTheme();
  for (const listener of listeners) listener();
}

/** Puts the theme in effect on the document. */
export function applyTheme(): void {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = snapshot.theme;
  document.documentElement.style.colorScheme = snapshot.theme;
}

media?.addEventListener('change', update);
// Another tab changed the choice: follow it.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== THEME_STORAGE_KEY) return;
    mode = storedMode(event.newValue);
    update();
  });
}

export function setThemeMode(next: ThemeMode): void {
  mode = next;
  try {
    if (next === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, next);
  } catch {
    // not remembered, still applied
  }
  update();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The choice and the theme it resolves to; re-renders when either changes. */
export function useTheme(): { mode: ThemeMode; theme: Theme } {
  return useSyncExternalStore(subscribe, () => snapshot, () => snapshot);
}
