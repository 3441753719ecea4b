/**
 * The tracer page's words and shapes, pure so they are unit-tested: outcomes with their HTTP code and Envoy flag,
 * endpoints, a path's limits (timeout, retries, mirrors, connection pool, faults, TLS), where a rule is written, and
 * the path diagram's layout.
 */
import type { Endpoint, Outcome, PathTelemetry, RuleRef, SecurityStep, TracePath, TraceNodeView } from '@meshlens/model';
import { ruleLineKey } from '@meshlens/model';

export interface OutcomeView {
  /** `ok` delivered; `fault` injected by a rule; `error` anything the client sees as a failure. */
  tone: 'ok' | 'fault' | 'error';
  /** `Delivered`, `404 NR`, `503 UH`, `500 NC`, `502 BlackHoleCluster`, `403 RBAC`, `Reset: mTLS STRICT`… */
  title: string;
  /** In words, what the client sees. */
  sentence: string;
}

export function outcomeView(o: Outcome): OutcomeView {
  switch (o.kind) {
    case 'delivered': return { tone: 'ok', title: 'Delivered', sentence: 'The request reaches its destination.' };
    case 'no-route': return { tone: 'error', title: '404 NR', sentence: 'No route: the proxy has no route for this request and answers 404 itself (Envoy flag NR).' };
    case 'blackhole': return { tone: 'error', title: '502 BlackHoleCluster', sentence: 'Dropped: the proxy sends the request to BlackHoleCluster, which answers 502 to HTTP and closes other connections.' };
    case 'no-healthy-upstream': return {
      tone: 'error', title: `${o.responseCode}${o.responseFlags === '-' ? '' : ` ${o.responseFlags}`}`,
      sentence: o.responseFlags === 'UH'
        ? `No healthy upstream: the destination has no endpoint to send the request to, and the proxy answers ${o.responseCode} (Envoy flag UH).`
        : o.responseFlags === 'NC'
          ? `No cluster: the route's backend cannot be resolved or is not allowed, and the proxy answers ${o.responseCode} (Envoy flag NC).`
          : `No backend: every backend of the rule weighs 0, and the proxy answers ${o.responseCode} itself.`,
    };
    case 'timeout': return { tone: 'error', title: '504 UT', sentence: "Timeout: the route's timeout expires before the upstream answers, and the proxy answers 504 (Envoy flag UT)." };
    case 'connection-refused': return { tone: 'error', title: '503 UF', sentence: 'Upstream connection failure: the proxy cannot connect to the destination and answers 503 (Envoy flag UF).' };
    case 'fault-abort': return { tone: 'fault', title: `${o.responseCode} FI`, sentence: `Fault injected: a fault rule aborts the request with ${o.responseCode} (Envoy flag FI).` };
    case 'denied-by-policy': {
      const by = o.policy
        ? `${o.action} AuthorizationPolicy ${o.policy.namespace}/${o.policy.name}${o.ruleIndex !== undefined ? ` (rule spec.rules[${o.ruleIndex}])` : ''} matched`
        : `no ALLOW policy matched (considered: ${(o.considered ?? []).map((p) => `${p.namespace}/${p.name}`).join(', ')})`;
      return o.responseCode === 403
        ? { tone: 'error', title: '403 RBAC', sentence: `Denied by policy: ${o.enforcedBy} answers 403 "RBAC: access denied" because ${by}. The application never sees the request.` }
        : { tone: 'error', title: 'Closed by RBAC', sentence: `Denied by policy: ${o.enforcedBy} closes the connection because ${by}.` };
    }
    case 'plaintext-refused': return {
      tone: 'error', title: o.responseCode === 0 ? 'Reset: mTLS STRICT' : `${o.responseCode} ${o.responseFlags}: mTLS STRICT`,
      sentence: `Refused: the request travels in plaintext, but ${o.enforcedBy} accepts only mTLS (PeerAuthentication STRICT${o.policy ? ` from ${o.policy.namespace}/${o.policy.name}` : ''}); the server resets the connection (its Envoy logs NR, no filter chain)${o.responseCode === 0 ? ' and the client gets no HTTP response' : `, and the client's sidecar answers ${o.responseCode} (Envoy flag ${o.responseFlags})`}. This is not a routing failure.`,
    };
  }
}

/** A server-side check of a step: `mTLS accepted`, `Refused: plaintext to STRICT mTLS`, `Authorization: denied`. */
export function securityStepView(s: SecurityStep): { tone: 'ok' | 'error'; title: string } {
  if (s.kind === 'mtls') {
    if (s.verdict === 'refused') return { tone: 'error', title: s.mtls === false ? `Refused: plaintext to ${s.mode ?? 'STRICT'} mTLS at ${s.enforcedBy}` : `Refused: mTLS to a plaintext-only server at ${s.enforcedBy}` };
    return { tone: 'ok', title: `${s.mtls ? `mTLS${s.principal ? ` as ${s.principal}` : ''}` : 'Plaintext'} accepted (${s.mode}) at ${s.enforcedBy}` };
  }
  return s.verdict === 'allowed'
    ? { tone: 'ok', title: `Authorization: allowed at ${s.enforcedBy}` }
    : { tone: 'error', title: `Authorization: denied at ${s.enforcedBy}` };
}

/** `default/pod1`, `PassthroughCluster → en.wikipedia.org:443`, `reviews.bookinfo.svc.cluster.local:9080 (subset v2)`. */
export function endpointText(e: Endpoint): string {
  switch (e.kind) {
    case 'client': return e.description;
    case 'gateway': return `gateway ${e.namespace}/${e.workload} (port ${e.port})`;
    case 'service': return `${e.host}:${e.port}${e.subset ? ` (subset ${e.subset})` : ''}`;
    case 'workload': return `workload ${e.namespace}/${e.name} (${e.pods} pod${e.pods === 1 ? '' : 's'})`;
    case 'serviceEntry': return `${e.host}:${e.port} (ServiceEntry ${e.namespace}/${e.name})`;
    case 'passthrough': return `PassthroughCluster → ${e.host ?? e.ip}:${e.port}`;
    case 'blackhole': return `BlackHoleCluster (${e.host ?? e.ip}:${e.port} dropped)`;
    case 'external': return `${e.host ?? e.ip}:${e.port} (outside the mesh)`;
  }
}

/** A path's share of requests: `100%`, `80%`, `33.3%`. */
export function formatShare(weight: number): string {
  const p = Math.round(weight * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** The line of a rule in its object page's YAML, when the server placed it. */
export function ruleLine(rule: Pick<RuleRef, 'object' | 'path'>, lines: Record<string, number>): number | undefined {
  return lines[ruleLineKey(rule)];
}

/** `scenarios/egress-gateway-broken.yaml:63` (where the rule is written), or undefined for objects of a cluster. */
export function ruleFile(rule: RuleRef): string | undefined {
  return rule.file ? `${rule.file}${rule.line !== undefined ? `:${rule.line}` : ''}` : undefined;
}

function ms(v: number): string {
  return v >= 1000 && v % 1000 === 0 ? `${v / 1000} s` : `${v} ms`;
}

function pct(fraction: number): string {
  return formatShare(fraction);
}

/** The limits and extras of a path, each as `[label, text, rule?]`: faults, timeout, retries, mirrors, connection pool, TLS. */
export function pathLimits(p: TracePath): Array<{ label: string; text: string; rule?: RuleRef }> {
  const out: Array<{ label: string; text: string; rule?: RuleRef }> = [];
  if (p.fault?.delay) out.push({ label: 'Fault: delay', text: `${ms(p.fault.delay.ms)} on ${pct(p.fault.delay.fraction)} of requests`, rule: p.fault.delay.rule });
  if (p.fault?.abort) out.push({ label: 'Fault: abort', text: `${p.fault.abort.httpStatus !== undefined ? `HTTP ${p.fault.abort.httpStatus}` : `gRPC ${p.fault.abort.grpcStatus ?? '?'}`} on ${pct(p.fault.abort.fraction)} of requests`, rule: p.fault.abort.rule });
  if (p.timeoutMs !== undefined) out.push({ label: 'Timeout', text: ms(p.timeoutMs) });
  if (p.retries) {
    const parts = [`${p.retries.attempts} attempt${p.retries.attempts === 1 ? '' : 's'}`];
    if (p.retries.perTryTimeoutMs !== undefined) parts.push(`${ms(p.retries.perTryTimeoutMs)} per try`);
    if (p.retries.retryOn) parts.push(`on ${p.retries.retryOn}`);
    out.push({ label: 'Retries', text: parts.join(', ') });
  }
  for (const m of p.mirrors ?? []) out.push({ label: 'Mirror', text: `${pct(m.fraction)} copied to ${endpointText(m.to)} (responses ignored)`, rule: m.rule });
  if (p.connectionPool) {
    const c = p.connectionPool;
    const parts: string[] = [];
    if (c.maxConnections !== undefined) parts.push(`max ${c.maxConnections} connection${c.maxConnections === 1 ? '' : 's'}`);
    if (c.http1MaxPendingRequests !== undefined) parts.push(`${c.http1MaxPendingRequests} pending request${c.http1MaxPendingRequests === 1 ? '' : 's'}`);
    if (c.http2MaxRequests !== undefined) parts.push(`${c.http2MaxRequests} concurrent HTTP/2 request${c.http2MaxRequests === 1 ? '' : 's'}`);
    if (c.maxRequestsPerConnection !== undefined) parts.push(`${c.maxRequestsPerConnection} request${c.maxRequestsPerConnection === 1 ? '' : 's'} per connection`);
    if (c.maxRetries !== undefined) parts.push(`${c.maxRetries} concurrent retr${c.maxRetries === 1 ? 'y' : 'ies'}`);
    if (c.outlierDetection) {
      const o = c.outlierDetection;
      parts.push(`outlier detection${o.consecutive5xxErrors !== undefined ? ` after ${o.consecutive5xxErrors} 5xx` : ''}${o.baseEjectionTime ? `, ejected ${o.baseEjectionTime}` : ''}`);
    }
    out.push({ label: 'Connection pool', text: `${parts.join(', ') || 'set'}; requests beyond it fail with 503 (Envoy flag UO)`, rule: c.rule });
  }
  if (p.tls && p.tls.mode !== 'NONE') {
    const words: Record<string, string> = { ISTIO_MUTUAL: 'mutual TLS (Istio certificates)', MUTUAL: 'mutual TLS (client certificate)', SIMPLE: 'TLS originated by the proxy', DISABLE: 'plain text (TLS disabled)', PASSTHROUGH: 'TLS passed through' };
    out.push({ label: 'TLS', text: words[p.tls.mode] ?? p.tls.mode, ...(p.tls.rule ? { rule: p.tls.rule } : {}) });
  }
  return out;
}

/** `10 minutes`, `1 hour`, `7 days`: a window in words. */
export function durationWords(seconds: number): string {
  const units: Array<[number, string]> = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [size, word] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${word}${seconds / size === 1 ? '' : 's'}`;
  }
  return `${seconds} seconds`;
}

export const VERDICT_LABEL: Record<PathTelemetry['verdict'], string> = {
  agrees: 'Telemetry agrees',
  disagrees: 'Telemetry disagrees',
  'no-traffic': 'No traffic seen',
  unknown: 'Cannot compare',
};

// --- Path diagram ------------------------------------------------------------------------------------------------

export const DIAGRAM = { nodeHeight: 46, gap: 44, minWidth: 120, maxWidth: 280, charWidth: 7.5, padX: 12, rowGap: 30, labelHeight: 18 } as const;

export interface DiagramBox {
  x: number;
  y: number;
  width: number;
  /** What the box shows (cut with … to fit), and the whole text for its tooltip. */
  label: string;
  detail?: string;
  title: string;
  kind: string;
  dashed: boolean;
}

export interface DiagramRow {
  caption: string;
  y: number;
  boxes: DiagramBox[];
  /** Arrows between consecutive boxes: dashed when either end was not seen. */
  arrows: Array<{ x1: number; x2: number; y: number; dashed: boolean }>;
}

/** Shortens a text to `max` characters with an ellipsis in the middle of a host (`istio-egressgateway.istio-sys….local`). */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  const keepEnd = Math.min(10, Math.floor((max - 1) / 3));
  return `${text.slice(0, max - 1 - keepEnd)}…${text.slice(text.length - keepEnd)}`;
}

/** Service FQDNs drawn without the cluster domain: `reviews.bookinfo.svc.cluster.local:9080` → `reviews.bookinfo:9080`. */
export function shortHost(label: string): string {
  return label.replace(/\.svc\.cluster\.local(?=(:\d+)?$)/, '');
}

/**
 * Lays out rows of steps left to right, each box as wide as its text within bounds: a short row's boxes may be wider
 * (up to `available` pixels for the row, the page's usual width), a long row's keep to `maxWidth` and scroll.
 */
export function diagramLayout(rows: Array<{ caption: string; nodes: TraceNodeView[] }>, available = 1150): { width: number; height: number; rows: DiagramRow[] } {
  let y = 0;
  let width = 0;
  const out: DiagramRow[] = [];
  for (const row of rows) {
    const captionY = y;
    y += DIAGRAM.labelHeight;
    let x = 0;
    const n = Math.max(row.nodes.length, 1);
    const widest = Math.max(DIAGRAM.maxWidth, Math.floor((available - DIAGRAM.gap * (n - 1)) / n));
    const boxes: DiagramBox[] = row.nodes.map((n) => {
      const label = shortHost(n.label);
      const text = Math.max(label.length, (n.detail ?? '').length);
      const w = Math.ceil(Math.min(widest, Math.max(DIAGRAM.minWidth, text * DIAGRAM.charWidth + 2 * DIAGRAM.padX)));
      const chars = Math.floor((w - 2 * DIAGRAM.padX) / DIAGRAM.charWidth);
      const box: DiagramBox = {
        x, y, width: w, label: fitText(label, chars), ...(n.detail ? { detail: fitText(n.detail, chars) } : {}),
        title: `${n.label}${n.detail ? ` (${n.detail})` : ''}: ${n.observed ? 'seen in the telemetry of the window' : 'only in the configuration, no traffic of the window'}`,
        kind: n.kind, dashed: !n.observed,
      };
      x += w + DIAGRAM.gap;
      return box;
    });
    const arrows = boxes.slice(1).map((b, i) => ({ x1: boxes[i]!.x + boxes[i]!.width, x2: b.x, y: y + DIAGRAM.nodeHeight / 2, dashed: boxes[i]!.dashed || b.dashed }));
    width = Math.max(width, x - DIAGRAM.gap);
    out.push({ caption: row.caption, y: captionY, boxes, arrows });
    y += DIAGRAM.nodeHeight + DIAGRAM.rowGap;
  }
  return { width: Math.max(width, 0) + 2, height: Math.max(y - DIAGRAM.rowGap, 0) + 2, rows: out };
}

/** The diagram in words, for its accessible name. */
export function diagramSummary(rows: Array<{ caption: string; nodes: TraceNodeView[] }>): string {
  return rows.map((r) => `${r.caption}: ${r.nodes.map((n) => `${n.label}${n.observed ? '' : ' (configuration only)'}`).join(' → ')}`).join('. ');
}
