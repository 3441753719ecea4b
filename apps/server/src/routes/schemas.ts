/** Query-string schemas shared by the API routes. Validation errors name the parameter (Fastify + TypeBox). */
import { Type } from 'typebox';

export const GraphQuery = Type.Object({
  namespaces: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', description: 'comma-separated namespace names' })),
  graphType: Type.Optional(Type.Union([Type.Literal('versionedApp'), Type.Literal('app'), Type.Literal('workload'), Type.Literal('service')], { default: 'versionedApp' })),
  duration: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400, default: 600, description: 'window in seconds' })),
  queryTime: Type.Optional(Type.Integer({ minimum: 0, description: 'end of the window, unix seconds' })),
  includeIdle: Type.Optional(Type.Boolean({ default: false })),
  responseTime: Type.Optional(Type.Boolean({ default: true, description: 'include edge response times (the costliest telemetry query)' })),
  boxByNamespace: Type.Optional(Type.Boolean({ default: true })),
  waypoints: Type.Optional(Type.Boolean({ default: false, description: 'draw ambient waypoints as nodes (hidden: edges pass through them)' })),
  budget: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'visible nodes above which namespaces, then apps, collapse into group nodes; 0 = never' })),
  expand: Type.Optional(Type.String({ maxLength: 4096, pattern: '^[a-z0-9][-a-z0-9]*(/[^,/]+)?(,[a-z0-9][-a-z0-9]*(/[^,/]+)?)*$', description: 'comma-separated groups kept open: namespace or namespace/app' })),
  focus: Type.Optional(Type.String({ maxLength: 512, description: 'node id whose neighbourhood alone is shown (with hops)' })),
  hops: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: 'neighbourhood reach from focus' })),
}, { additionalProperties: false });
