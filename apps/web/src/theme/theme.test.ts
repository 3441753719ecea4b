import { describe, expect, it } from 'vitest';
import { resolveTheme, storedMode } from './theme';
import { GRAPH_PALETTES } from '../graph/theme';

describe('theme', () => {
  it('follows the system unless light or dark was chosen', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads a remembered choice, anything else meaning "system"', () => {
    expect(storedMode('dark')).toBe('dark');
    expect(storedMode('light')).toBe('light');
    expect(storedMode(null)).toBe('system');
    expect(storedMode('purple')).toBe('system');
  });

  it('gives the graph a palette per theme with the same entries', () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((x) => `${k}.${x}`) : [k]));
    expect(keys(GRAPH_PALETTES.dark)).toEqual(keys(GRAPH_PALETTES.light));
    expect(GRAPH_PALETTES.dark.canvas).not.toBe(GRAPH_PALETTES.light.canvas);
  });
});
