/** The header's theme choice: System (follows `prefers-color-scheme`), Light or Dark, remembered in this browser. */
import { THEME_MODES, type ThemeMode } from './theme';
import { setThemeMode, useTheme } from './themeStore';

export function ThemeSwitch() {
  const { mode, theme } = useTheme();
  return (
    <label className="theme-switch">
      <span className="theme-switch-label">Theme</span>
      <select
        data-testid="theme-switch"
        value={mode}
        onChange={(e) => setThemeMode(e.target.value as ThemeMode)}
        title={mode === 'system' ? `Following the system setting (${theme} now)` : `Always ${theme}`}
      >
        {THEME_MODES.map((m) => (
          <option key={m.value} value={m.value}>
            {m.value === 'system' ? `System (${mode === 'system' ? theme : 'auto'})` : m.label}
          </option>
        ))}
      </select>
    </label>
  );
}
