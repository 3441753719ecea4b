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
}, { additionalProperties: false });
