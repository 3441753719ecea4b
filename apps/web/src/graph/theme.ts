/**
 * Colours of the graph, shared by the cytoscape stylesheet and the legend so they cannot drift apart.
 * Chosen for a light canvas: each health colour keeps ≥ 3:1 contrast against white as a border, and
 * text colours keep ≥ 4.5:1.
 */
import type { HealthStatus } from '@meshlens/model';

export const HEALTH_COLOR: Record<HealthStatus, string> = {
  Healthy: '#2e7d32',
  Degraded: '#b45309',
  Failure: '#c62828',
  NA: '#6b7280',
};

export const EDGE_COLOR = {
  healthy: '#4b7f52',
  degraded: HEALTH_COLOR.Degraded,
  failure: HEALTH_COLOR.Failure,
  /** TCP edges: a colour of their own instead of a dashed line (dashes are costly to draw). */
  tcp: '#1f6fb2',
  mirror: '#7b3fb3',
  configured: '#6b7280',
  idle: '#9ca3af',
} as const;

export const NODE_FILL = {
  normal: '#ffffff',
  outside: '#eceff3',
  unknown: '#d9dde3',
  serviceEntry: '#e8f1fb',
  egressCluster: '#fdecea',
  externalIP: '#fff4e0',
  gateway: '#e7f5ee',
  egressRouter: '#f1e9fb',
} as const;

export const TEXT_COLOR = '#1f2328';
export const MUTED_TEXT_COLOR = '#4b5563';
export const FIND_COLOR = '#7c3aed';
export const SELECT_COLOR = '#0b57d0';
export const BOX_BORDER = '#9aa3ae';
