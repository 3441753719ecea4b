/**
 * Colours of the graph, shared by the cytoscape stylesheet, the on-screen legend and exported pictures so they
 * cannot drift apart; one palette per theme. On the light canvas each health colour keeps >= 3:1 contrast against
 * white as a border and text colours >= 4.5:1; the dark palette keeps the same against its canvas (#181e27).
 */
import type { HealthStatus } from '@meshlens/model';
import type { Theme } from '../theme/theme';

export interface GraphPalette {
  /** Behind the graph (the canvas element's CSS background is var(--surface), the same colour). */
  canvas: string;
  health: Record<HealthStatus, string>;
  edge: { healthy: string; degraded: string; failure: string; tcp: string; mirror: string; configured: string; idle: string };
  nodeFill: { normal: string; outside: string; unknown: string; serviceEntry: string; egressCluster: string; externalIP: string; gateway: string; egressRouter: string; dead: string };
  text: string;
  mutedText: string;
  /** Behind labels, so they stay readable over edges and boxes. */
  labelBackground: string;
  boxFill: string;
  namespaceBoxFill: string;
  boxBorder: string;
  find: string;
  select: string;
  /** The keyboard cursor (graph/keyboard.ts). */
  cursor: string;
  /** What-if Compare (drafts/graphDiff.ts): added, removed, split changed; the same colours as drafts/whatif.css's legend. */
  diff: { added: string; removed: string; changed: string };
}

const LIGHT_HEALTH: Record<HealthStatus, string> = { Healthy: '#2e7d32', Degraded: '#b45309', Failure: '#c62828', NA: '#6b7280' };

export const GRAPH_PALETTES: Record<Theme, GraphPalette> = {
  light: {
    canvas: '#ffffff',
    health: LIGHT_HEALTH,
    edge: {
      healthy: '#4b7f52',
      degraded: LIGHT_HEALTH.Degraded,
      failure: LIGHT_HEALTH.Failure,
      // TCP edges: a colour of their own instead of a dashed line (dashes are costly to draw).
      tcp: '#1f6fb2',
      mirror: '#7b3fb3',
      configured: '#6b7280',
      idle: '#9ca3af',
    },
    nodeFill: {
      normal: '#ffffff', outside: '#eceff3', unknown: '#d9dde3', serviceEntry: '#e8f1fb', egressCluster: '#fdecea',
      externalIP: '#fff4e0', gateway: '#e7f5ee', egressRouter: '#f1e9fb', dead: '#f3f4f6',
    },
    text: '#1f2328',
    mutedText: '#4b5563',
    labelBackground: '#ffffff',
    boxFill: '#ffffff',
    namespaceBoxFill: '#f9fafb',
    boxBorder: '#9aa3ae',
    find: '#7c3aed',
    select: '#0b57d0',
    cursor: '#0b57d0',
    diff: { added: '#1a7f37', removed: '#c62828', changed: '#0e7490' },
  },
  dark: {
    canvas: '#181e27',
    health: { Healthy: '#5cb860', Degraded: '#f0a04b', Failure: '#ff6b63', NA: '#8b95a3' },
    edge: { healthy: '#6aa873', degraded: '#f0a04b', failure: '#ff6b63', tcp: '#5aa7e6', mirror: '#b48ae6', configured: '#8b95a3', idle: '#6b7482' },
    nodeFill: {
      normal: '#222a35', outside: '#2b3340', unknown: '#3a434f', serviceEntry: '#1d3350', egressCluster: '#4a2226',
      externalIP: '#47371a', gateway: '#1e3a2c', egressRouter: '#35284a', dead: '#2b3138',
    },
    text: '#e6e9ee',
    mutedText: '#aab4c2',
    labelBackground: '#181e27',
    boxFill: '#1c232d',
    namespaceBoxFill: '#151b23',
    boxBorder: '#5b6675',
    find: '#b794f6',
    select: '#8ab4ff',
    cursor: '#8ab4ff',
    diff: { added: '#4ade80', removed: '#ff6b63', changed: '#22d3ee' },
  },
};

export function graphPalette(theme: Theme): GraphPalette {
  return GRAPH_PALETTES[theme];
}

// The light palette under its old names (exports default to it).
export const HEALTH_COLOR = GRAPH_PALETTES.light.health;
export const EDGE_COLOR = GRAPH_PALETTES.light.edge;
export const NODE_FILL = GRAPH_PALETTES.light.nodeFill;
export const TEXT_COLOR = GRAPH_PALETTES.light.text;
export const MUTED_TEXT_COLOR = GRAPH_PALETTES.light.mutedText;
export const FIND_COLOR = GRAPH_PALETTES.light.find;
export const SELECT_COLOR = GRAPH_PALETTES.light.select;
export const BOX_BORDER = GRAPH_PALETTES.light.boxBorder;
