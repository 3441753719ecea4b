/**
 * Reads one traffic file into typed classes and incidents. Every problem becomes a LoadError with the file and
 * line of the offending field; a bad class or incident is skipped and the rest of the file still loads.
 */
import type { LoadError, TraceProtocol, TraceSource } from '@meshlens/model';
import { parseWithPositions, positionAt, type PositionedYaml } from './positions.js';
import type { Incident, LatencySpec, NestedCall, ScenarioTraffic, TrafficBytes, TrafficClass, TrafficRequest, WrittenAt } from './types.js';

const PROTOCOLS: TraceProtocol[] = ['http', 'http2', 'grpc', 'https', 'tls', 'tcp'];
const DEFAULT_LATENCY: LatencySpec = { p50: 10, p95: 50 };
const DEFAULT_BYTES: TrafficBytes = { request: 0, response: 0 };
const TOP_KEYS = new Set(['scenario', 'description', 'classes', 'incidents']);
const CLASS_KEYS = new Set(['name', 'description', 'source', 'request', 'rps', 'bytes', 'latencyMs', 'errorRate', 'concurrency', 'calls']);
const CALL_KEYS = new Set(['name', 'description', 'request', 'perRequest', 'latencyMs', 'bytes', 'errorRate', 'onlyFromVersions', 'calls']);
const REQUEST_KEYS = new Set(['protocol', 'host', 'ip', 'port', 'path', 'method', 'headers', 'sni']);
const INCIDENT_KEYS = new Set(['name', 'description', 'target', 'everyMinutes', 'lastMinutes', 'errorRate', 'latencyFactor']);

/** Thrown inside one entry's validation to skip that entry; caught per entry. */
class EntryError extends Error {}

/** Validation context of one file: records errors at the line of a field path. */
class Checker {
  readonly errors: LoadError[] = [];
  constructor(readonly file: string, private readonly yaml: PositionedYaml) {}

  at(path: string): WrittenAt {
    return { file: this.file, ...positionAt(this.yaml.positions, path) };
  }
  /** Records a problem that does not invalidate the entry. */
  warn(path: string, message: string, object?: string): void {
    const { line, column } = this.at(path);
    this.errors.push({ file: this.file, line, column, ...(object ? { object } : {}), message: `${path}: ${message}` });
  }
  /** Records a problem and abandons the entry being read. */
  fail(path: string, message: string, object?: string): never {
    this.warn(path, message, object);
    throw new EntryError(message);
  }
  map(v: unknown, path: string, allowed?: Set<string>): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'expected a mapping');
    const m = v as Record<string, unknown>;
    if (allowed) for (const k of Object.keys(m)) if (!allowed.has(k)) this.warn(`${path}.${k}`, `unknown field "${k}" is ignored (known: ${[...allowed].join(', ')})`);
    return m;
  }
  str(v: unknown, path: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, 'expected a non-empty string');
    return v as string;
  }
  optStr(v: unknown, path: string): string | undefined {
    return v === undefined || v === null ? undefined : this.str(v, path);
  }
  num(v: unknown, path: string, { min = 0, max = Infinity, integer = false } = {}): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'expected a number');
    const n = v as number;
    if (integer && !Number.isInteger(n)) this.fail(path, `expected a whole number, got ${n}`);
    if (n < min || n > max) this.fail(path, `expected a value in [${min}, ${max}], got ${n}`);
    return n;
  }
  optNum(v: unknown, path: string, opts?: { min?: number; max?: number; integer?: boolean }): number | undefined {
    return v === undefined || v === null ? undefined : this.num(v, path, opts);
  }
  list(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, 'expected a list');
    return v as unknown[];
  }
}

/** Parses and validates one traffic file. `scenario` defaults to the file's base name. */
export function parseTrafficFile(text: string, file: string): { traffic: ScenarioTraffic; errors: LoadError[] } {
  const yaml = parseWithPositions(text, file);
  const base = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  const traffic: ScenarioTraffic = { scenario: base, file, classes: [], incidents: [] };
  if (yaml.errors.length > 0) return { traffic, errors: yaml.errors };
  const c = new Checker(file, yaml);
  if (yaml.value === undefined || yaml.value === null) return { traffic, errors: [] };
  let top: Record<string, unknown>;
  try {
    top = c.map(yaml.value, '', TOP_KEYS);
    traffic.scenario = c.optStr(top.scenario, 'scenario') ?? base;
  } catch (e) {
    if (e instanceof EntryError) return { traffic, errors: c.errors };
    throw e;
  }
  const names = new Set<string>();
  c.list(top.classes, 'classes').forEach((raw, i) => {
    const path = `classes[${i}]`;
    const cls = entry(c, () => readClass(c, raw, path, traffic.scenario));
    if (!cls) return;
    if (names.has(cls.name)) return c.warn(`${path}.name`, `duplicate class name "${cls.name}": this class is skipped`, cls.name);
    names.add(cls.name);
    traffic.classes.push(cls);
  });
  c.list(top.incidents, 'incidents').forEach((raw, i) => {
    const inc = entry(c, () => readIncident(c, raw, `incidents[${i}]`, traffic.scenario));
    if (inc) traffic.incidents.push(inc);
  });
  return { traffic, errors: c.errors };
}

function entry<T>(c: Checker, read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof EntryError) return undefined;
    throw e;
  }
}

function readClass(c: Checker, raw: unknown, path: string, scenario: string): TrafficClass {
  const m = c.map(raw, path, CLASS_KEYS);
  const name = c.str(m.name, `${path}.name`);
  const request = readRequest(c, m.request, `${path}.request`);
  const concurrency = c.optNum(m.concurrency, `${path}.concurrency`, { min: 1, integer: true });
  return {
    scenario,
    name,
    source: readSource(c, m.source, `${path}.source`),
    request,
    rps: c.num(m.rps, `${path}.rps`, { min: 0 }),
    bytes: readBytes(c, m.bytes, `${path}.bytes`),
    latencyMs: readLatency(c, m.latencyMs, `${path}.latencyMs`),
    errorRate: c.optNum(m.errorRate, `${path}.errorRate`, { min: 0, max: 1 }) ?? 0,
    ...(concurrency !== undefined ? { concurrency } : {}),
    calls: readCalls(c, m.calls, `${path}.calls`),
    at: c.at(path),
  };
}

function readCalls(c: Checker, raw: unknown, path: string): NestedCall[] {
  const out: NestedCall[] = [];
  c.list(raw, path).forEach((item, i) => {
    const call = entry(c, () => readCall(c, item, `${path}[${i}]`));
    if (call) out.push(call);
  });
  return out;
}

function readCall(c: Checker, raw: unknown, path: string): NestedCall {
  const m = c.map(raw, path, CALL_KEYS);
  const versions = m.onlyFromVersions === undefined ? undefined : c.list(m.onlyFromVersions, `${path}.onlyFromVersions`).map((v, i) => c.str(v, `${path}.onlyFromVersions[${i}]`));
  return {
    request: readRequest(c, m.request, `${path}.request`),
    perRequest: c.optNum(m.perRequest, `${path}.perRequest`, { min: 0 }) ?? 1,
    latencyMs: readLatency(c, m.latencyMs, `${path}.latencyMs`),
    bytes: readBytes(c, m.bytes, `${path}.bytes`),
    errorRate: c.optNum(m.errorRate, `${path}.errorRate`, { min: 0, max: 1 }) ?? 0,
    ...(versions ? { onlyFromVersions: versions } : {}),
    calls: readCalls(c, m.calls, `${path}.calls`),
    at: c.at(path),
  };
}

function readSource(c: Checker, raw: unknown, path: string): TraceSource {
  const m = c.map(raw, path, new Set(['kind', 'namespace', 'name', 'description']));
  const kind = m.kind ?? 'workload';
  if (kind === 'outside') return { kind: 'outside' };
  if (kind !== 'workload' && kind !== 'gateway') c.fail(`${path}.kind`, `expected workload, gateway or outside, got ${JSON.stringify(kind)}`);
  return { kind: kind as 'workload' | 'gateway', namespace: c.str(m.namespace, `${path}.namespace`), name: c.str(m.name, `${path}.name`) };
}

function readRequest(c: Checker, raw: unknown, path: string): TrafficRequest {
  const m = c.map(raw, path, REQUEST_KEYS);
  const protocol = (m.protocol ?? 'http') as TraceProtocol;
  if (!PROTOCOLS.includes(protocol)) c.fail(`${path}.protocol`, `expected one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(m.protocol)}`);
  const host = c.optStr(m.host, `${path}.host`);
  const ip = c.optStr(m.ip, `${path}.ip`);
  if (!host && !ip) c.fail(path, 'a request needs a host or an ip');
  let headers: Record<string, string> | undefined;
  if (m.headers !== undefined && m.headers !== null) {
    const h = c.map(m.headers, `${path}.headers`);
    headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : c.str(v, `${path}.headers.${k}`)]));
  }
  const out: TrafficRequest = { protocol, port: c.num(m.port, `${path}.port`, { min: 1, max: 65535, integer: true }) };
  if (host) out.host = host;
  if (ip) out.ip = ip;
  for (const k of ['path', 'method', 'sni'] as const) {
    const v = c.optStr(m[k], `${path}.${k}`);
    if (v) out[k] = v;
  }
  if (headers) out.headers = headers;
  return out;
}

function readBytes(c: Checker, raw: unknown, path: string): TrafficBytes {
  if (raw === undefined || raw === null) return { ...DEFAULT_BYTES };
  const m = c.map(raw, path, new Set(['request', 'response']));
  return {
    request: c.optNum(m.request, `${path}.request`, { min: 0 }) ?? 0,
    response: c.optNum(m.response, `${path}.response`, { min: 0 }) ?? 0,
  };
}

function readLatency(c: Checker, raw: unknown, path: string): LatencySpec {
  if (raw === undefined || raw === null) return { ...DEFAULT_LATENCY };
  const m = c.map(raw, path, new Set(['p50', 'p95']));
  const p50 = c.num(m.p50, `${path}.p50`, { min: 0.001 });
  const p95 = c.optNum(m.p95, `${path}.p95`, { min: 0.001 }) ?? p50 * 3;
  if (p95 < p50) c.fail(`${path}.p95`, `p95 (${p95}) must not be below p50 (${p50})`);
  return { p50, p95 };
}

function readIncident(c: Checker, raw: unknown, path: string, scenario: string): Incident {
  const m = c.map(raw, path, INCIDENT_KEYS);
  const name = c.str(m.name, `${path}.name`);
  const t = c.map(m.target, `${path}.target`, new Set(['namespace', 'workload']));
  const everyMinutes = c.num(m.everyMinutes, `${path}.everyMinutes`, { min: 1, integer: true });
  const lastMinutes = c.num(m.lastMinutes, `${path}.lastMinutes`, { min: 1, max: everyMinutes, integer: true });
  const errorRate = c.optNum(m.errorRate, `${path}.errorRate`, { min: 0, max: 1 });
  const latencyFactor = c.optNum(m.latencyFactor, `${path}.latencyFactor`, { min: 0.01 });
  if (errorRate === undefined && latencyFactor === undefined) c.fail(path, 'an incident needs errorRate and/or latencyFactor', name);
  return {
    scenario,
    name,
    target: { namespace: c.str(t.namespace, `${path}.target.namespace`), workload: c.str(t.workload, `${path}.target.workload`) },
    everyMinutes,
    lastMinutes,
    ...(errorRate !== undefined ? { errorRate } : {}),
    ...(latencyFactor !== undefined ? { latencyFactor } : {}),
    at: c.at(path),
  };
}
