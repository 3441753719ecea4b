/** Light and dark: the choice (light, dark, or the system's), how it is remembered, and what it resolves to. */

export type ThemeMode = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

export const THEME_MODES: Array<{ value: ThemeMode; label: string }> = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** localStorage key of the choice; absent means "follow the system". */
export const THEME_STORAGE_KEY = 'meshlens-theme';

/** The stored choice; anything unknown (or no storage at all) follows the system. */
export function storedMode(value: string | null | undefined): ThemeMode {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function resolveTheme(mode: ThemeMode, systemPrefersDark: boolean): Theme {
  if (mode === 'system') return systemPrefersDark ? 'dark' : 'light';
  return mode;
}
