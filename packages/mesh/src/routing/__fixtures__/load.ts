/** Test helpers: load fixture files into an Inventory, and project TracePaths onto what the tests assert. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Endpoint, TracePath } from '@meshlens/model';
import { buildInventory, parseManifests, type Inventory } from '../../inventory/index.js';

/** Builds an Inventory from fixture files of this folder (later files win on duplicates, as in the inventory). */
export function inventoryOf(...files: string[]): Inventory {
  const objects = [];
  const errors = [];
  for (const f of files) {
    const text = readFileSync(fileURLToPath(new URL(`./${f}`, import.meta.url)), 'utf8');
    const parsed = parseManifests(text, { file: f });
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  }
  if (errors.length > 0) throw new Error(`fixture errors: ${JSON.stringify(errors)}`);
  return buildInventory(objects, errors);
}

/** A compact, stable name for an endpoint. */
export function ep(e: Endpoint): string {
  switch (e.kind) {
    case 'client': return `client:${e.description}`;
    case 'gateway': return `gateway:${e.namespace}/${e.workload}:${e.port}`;
    case 'service': return `service:${e.host}:${e.port}${e.subset ? `/${e.subset}` : ''}`;
    case 'workload': return `workload:${e.namespace}/${e.name}(${e.pods})`;
    case 'serviceEntry': return `serviceEntry:${e.namespace}/${e.name}:${e.host}:${e.port}`;
    case 'passthrough': return `passthrough:${e.host ?? e.ip}:${e.port}`;
    case 'blackhole': return `blackhole:${e.host ?? e.ip}:${e.port}`;
    case 'external': return `external:${e.host ?? ''}${e.ip ? `@${e.ip}` : ''}:${e.port}`;
  }
}

/** Everything about a path except the prose: hops as `from → to [protocol]` with `Kind ns/name path @line` refs. */
export function project(paths: TracePath[]) {
  return paths.map((p) => ({
    weight: Math.round(p.weight * 1e6) / 1e6,
    outcome: 'responseCode' in p.outcome ? `${p.outcome.kind} ${p.outcome.responseCode} ${p.outcome.responseFlags}` : p.outcome.kind,
    hops: p.hops.map((h) => ({
      step: `${ep(h.from)} -> ${ep(h.to)} [${h.protocol}]`,
      decidedBy: h.decidedBy.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name} ${r.path} @${r.line}`),
    })),
    destination: ep(p.destination),
    ...(p.destinationServiceHost !== undefined ? { dsh: p.destinationServiceHost } : {}),
    ...(p.fault ? { fault: { ...(p.fault.delay ? { delay: `${p.fault.delay.ms}ms x${p.fault.delay.fraction} @${p.fault.delay.rule.line}` } : {}), ...(p.fault.abort ? { abort: `${p.fault.abort.httpStatus ?? p.fault.abort.grpcStatus} x${p.fault.abort.fraction} @${p.fault.abort.rule.line}` } : {}) } } : {}),
    ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
    ...(p.retries ? { retries: p.retries } : {}),
    ...(p.mirrors ? { mirrors: p.mirrors.map((m) => `${ep(m.to)} x${m.fraction} @${m.rule.path}:${m.rule.line}`) } : {}),
    ...(p.connectionPool ? { connectionPool: { ...p.connectionPool, rule: `${p.connectionPool.rule.path} @${p.connectionPool.rule.line}` } } : {}),
    ...(p.tls ? { tls: p.tls.mode + (p.tls.rule ? ` ${p.tls.rule.path} @${p.tls.rule.line}` : '') } : {}),
  }));
}
