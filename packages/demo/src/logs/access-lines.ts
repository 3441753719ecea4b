/**
 * Envoy access-log lines (Istio's default format) for the simulator's requests: what the reporting proxy of each
 * request writes — outbound lines on the client's sidecar or the gateway, inbound lines on the server's sidecar —
 * with the request's method, path, authority and user agent from its traffic class, the response code and flags of
 * its series, durations and sizes from the series' histograms, and addresses from the inventory's pods and Services.
 */
import { formatAccessLog, toFqdn, type Inventory, type PodView, type WorkloadView } from '@meshlens/mesh';
import type { CompiledModel } from '../simulator/compile.js';
import { mix, unit } from '../simulator/random.js';
import type { NestedCall, TrafficClass, TrafficRequest } from '../traffic/types.js';
import type { RequestEvent } from './events.js';

/** A request a class sends somewhere along its tree (its own, or a nested call's). */
interface SentRequest {
  request: TrafficRequest;
  /** The namespace the sender resolves short names in. */
  fromNamespace: string;
  sender?: string;
}

/** What one series' lines share: the request, sizes, latency. */
interface SeriesLine {
  request?: TrafficRequest;
  meanMs: number;
  requestBytes: number;
  responseBytes: number;
}

const RESPONSE_DETAILS: Record<string, string> = {
  UO: 'upstream_reset_before_response_started{overflow}',
  NR: 'route_not_found',
  FI: 'fault_filter_abort',
  UH: 'no_healthy_upstream',
  UF: 'upstream_reset_before_response_started{connection_failure}',
  UT: 'response_timeout',
  DC: 'downstream_remote_disconnect',
};
/** Flags for which the proxy answered itself: no upstream was reached. */
const LOCAL = new Set(['UO', 'NR', 'FI', 'UH', 'UF']);

function ipFromHash(h: number, prefix: string): string {
  return `${prefix}.${(h >>> 8) % 254 + 1}.${h % 253 + 2}`;
}

/** A Service's ClusterIP (from the manifest when written, else a stable one in 10.96.0.0/12). */
function clusterIP(inv: Inventory, host: string): string | undefined {
  const svc = inv.servicesByHost.get(host);
  if (!svc) return undefined;
  if (svc.clusterIP && svc.clusterIP !== 'None') return svc.clusterIP;
  let h = 2166136261;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 16777619);
  return ipFromHash(h >>> 0, '10.96');
}

function publicIP(host: string): string {
  let h = 2166136261;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 16777619);
  h >>>= 0;
  return `203.0.113.${(h % 200) + 20}`;
}

function uuid(key: number): string {
  const hex = (n: number, len: number) => (n >>> 0).toString(16).padStart(8, '0').slice(0, len);
  const a = mix(key, 11);
  const b = mix(key, 12);
  const c = mix(key, 13);
  const d = mix(key, 14);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-${(8 + (c & 3)).toString(16)}${hex(c, 3)}-${hex(d, 8)}${hex(mix(key, 15), 4)}`;
}

const ephemeral = (key: number, salt: number) => 32768 + (mix(key, salt) % 28000);

/** Builds access-log lines for events of a compiled model. */
export class AccessLines {
  private readonly perSeriesClass = new Map<string, SeriesLine>();
  private readonly siblings = new Map<string, Map<string, number>>();
  private readonly sent = new Map<number, SentRequest[]>();

  constructor(private readonly inv: Inventory, private readonly compiled: CompiledModel) {
    this.compiled.series.forEach((s, i) => {
      const key = JSON.stringify(s.labels);
      let m = this.siblings.get(key);
      if (!m) this.siblings.set(key, (m = new Map()));
      m.set(s.metric, i);
    });
  }

  private rate(i: number | undefined): number {
    if (i === undefined) return 0;
    return this.compiled.series[i]!.terms.filter((t) => t.incident < 0).reduce((a, t) => a + t.coef, 0);
  }

  private requestsOf(cls: number): SentRequest[] {
    let list = this.sent.get(cls);
    if (list) return list;
    const c: TrafficClass = this.compiled.classes[cls]!.cls;
    const rootNs = 'namespace' in c.source ? c.source.namespace : 'default';
    list = [{ request: c.request, fromNamespace: rootNs, ...('name' in c.source ? { sender: c.source.name } : {}) }];
    const walk = (calls: NestedCall[]) => {
      for (const call of calls) {
        list!.push({ request: call.request, fromNamespace: rootNs });
        walk(call.calls);
      }
    };
    walk(c.calls);
    this.sent.set(cls, list);
    return list;
  }

  /** The request a series' line shows, for a class: the request of its tree whose host the series names. */
  private lineOf(i: number, cls: number): SeriesLine {
    const k = `${i}/${cls}`;
    const hit = this.perSeriesClass.get(k);
    if (hit) return hit;
    const s = this.compiled.series[i]!;
    const l = s.labels;
    const candidates = this.requestsOf(cls);
    const domain = this.inv.clusterDomain;
    const matches = (r: SentRequest) => {
      const host = r.request.host ?? r.request.ip;
      if (!host) return false;
      const fq = toFqdn(host, r.fromNamespace, domain, 'dns');
      return fq === l.destination_service || host === l.destination_service || host.split('.')[0] === l.destination_service_name
        || (l.destination_service === 'unknown' && l.destination_service_name === 'unknown');
    };
    const request = (candidates.find(matches) ?? candidates[0])?.request;
    const sib = this.siblings.get(JSON.stringify(l)) ?? new Map<string, number>();
    const count = this.rate(sib.get(s.metric));
    const per = (metric: string) => (count > 0 ? this.rate(sib.get(metric)) / count : 0);
    const line: SeriesLine = {
      request,
      meanMs: s.metric === 'istio_requests_total' ? per('istio_request_duration_milliseconds_sum') : 0,
      requestBytes: Math.round(s.metric === 'istio_requests_total' ? per('istio_request_bytes_sum') : per('istio_tcp_received_bytes_total')),
      responseBytes: Math.round(s.metric === 'istio_requests_total' ? per('istio_response_bytes_sum') : per('istio_tcp_sent_bytes_total')),
    };
    this.perSeriesClass.set(k, line);
    return line;
  }

  /** The request an event stands for (matched in its class's tree) and the response body size of its series. */
  requestOf(e: RequestEvent): { request?: TrafficRequest; responseBytes: number } {
    const l = this.lineOf(e.series, e.cls);
    return { request: l.request, responseBytes: l.responseBytes };
  }

  private podOf(namespace: string | undefined, workload: string | undefined, key: number): PodView | undefined {
    if (!namespace || !workload || workload === 'unknown') return undefined;
    const w = this.inv.workloadsByKey.get(`${namespace}/${workload}`);
    if (!w || w.pods.length === 0) return undefined;
    return w.pods[Math.floor(unit(mix(key, 21)) * w.pods.length)];
  }

  /** A pod behind a Service host (its selected workloads' pods), when the proxy could not name the workload (no sidecar there). */
  private podOfService(host: string, key: number): PodView | undefined {
    const svc = this.inv.servicesByHost.get(host);
    if (!svc?.selector || Object.keys(svc.selector).length === 0) return undefined;
    const pods = this.inv.pods.filter((p) => p.namespace === svc.namespace && Object.entries(svc.selector!).every(([k, v]) => p.labels[k] === v));
    return pods.length > 0 ? pods[Math.floor(unit(mix(key, 21)) * pods.length)] : undefined;
  }

  /** The server port behind a Service port: its numeric targetPort, else the port. */
  private targetPort(host: string, port: number): number {
    const svc = this.inv.servicesByHost.get(host);
    const p = svc?.ports.find((x) => x.port === port) ?? svc?.ports[0];
    return typeof p?.targetPort === 'number' ? p.targetPort : (p?.port ?? port);
  }

  /**
   * The access-log line the proxy of `pod` (of workload `w`) writes for event `e`, and when it writes it (the end of
   * the request, unix seconds).
   */
  line(e: RequestEvent, w: WorkloadView, pod: PodView): { time: number; text: string } {
    const s = this.compiled.series[e.series]!;
    const l = s.labels;
    const info = this.lineOf(e.series, e.cls);
    const r = info.request;
    const tcp = s.metric !== 'istio_requests_total';
    const flags = l.response_flags ?? '-';
    const flagList = flags.split(',');
    const local = flagList.some((f) => LOCAL.has(f)) || l.destination_service_name === 'BlackHoleCluster';
    const inbound = l.reporter === 'destination';
    const host = l.destination_service ?? 'unknown';
    const port = r?.port ?? (tcp ? 9000 : 80);
    const code = tcp ? 0 : Number(l.response_code ?? 200);
    const jitter = 0.55 + 0.9 * unit(mix(e.key, 5));
    // Timeouts end at the timeout; an injected delay is a floor (the series' mean is the delay plus the upstream's time).
    const fixed = flagList.includes('UT') ? 1 : flagList.includes('DI') ? 1 + 0.03 * unit(mix(e.key, 5)) : jitter;
    const duration = local ? Math.floor(unit(mix(e.key, 6)) * 2) : Math.max(1, Math.round(info.meanMs * fixed));
    const me = pod.ip ?? '10.244.0.10';
    const authority = r?.host ? (port === 80 || port === 443 || !r.host ? r.host : `${r.host}:${port}`) : r?.ip;
    const passthrough = l.destination_service_name === 'PassthroughCluster';
    const blackhole = l.destination_service_name === 'BlackHoleCluster';
    const nr = flagList.includes('NR');
    const fqdn = host !== 'unknown' && !passthrough && !blackhole ? host : undefined;
    let upstreamHost: string | undefined;
    let upstreamCluster: string | undefined;
    let upstreamLocal: string | undefined;
    let downstreamLocal: string;
    let downstreamRemote: string;
    let sni: string | undefined;
    let route: string | undefined;
    const target = this.targetPort(host, port);
    if (inbound) {
      const peer = this.podOf(l.source_workload_namespace, l.source_workload, e.key);
      upstreamHost = `${me}:${target}`;
      upstreamCluster = `inbound|${target}||`;
      upstreamLocal = `127.0.0.6:${ephemeral(e.key, 7)}`;
      downstreamLocal = `${me}:${target}`;
      downstreamRemote = `${peer?.ip ?? '10.244.0.1'}:${ephemeral(e.key, 8)}`;
      if (l.connection_security_policy === 'mutual_tls' && fqdn) sni = `outbound_.${port}_._.${fqdn}`;
      route = 'default';
    } else {
      const server = this.podOf(l.destination_workload_namespace, l.destination_workload, e.key) ?? (fqdn ? this.podOfService(fqdn, e.key) : undefined);
      const external = r?.ip ?? (r?.host ? w.hostAliases?.find((a) => a.hostnames.includes(r.host!))?.ip ?? publicIP(r.host) : undefined);
      if (!local) {
        if (server?.ip) upstreamHost = `${server.ip}:${target}`;
        else if (external) upstreamHost = `${external}:${port}`;
        upstreamLocal = `${me}:${ephemeral(e.key, 9)}`;
      }
      if (passthrough) [upstreamCluster, route] = ['PassthroughCluster', 'allow_any'];
      else if (blackhole) [upstreamCluster, route] = ['BlackHoleCluster', 'block_all'];
      else if (!nr && fqdn) [upstreamCluster, route] = [`outbound|${port}||${fqdn}`, 'default'];
      const vip = fqdn ? clusterIP(this.inv, fqdn) : undefined;
      if (w.isGatewayProxy) {
        // A gateway's downstream is the client outside, reaching the gateway pod through its Service.
        downstreamLocal = `${me}:${port === 80 ? 8080 : port === 443 ? 8443 : port}`;
        downstreamRemote = `192.168.10.${(mix(e.key, 10) % 200) + 20}:${ephemeral(e.key, 8)}`;
      } else {
        downstreamLocal = `${vip ?? external ?? '10.96.0.10'}:${port}`;
        downstreamRemote = `${me}:${ephemeral(e.key, 8)}`;
      }
      if (tcp && r?.sni) sni = r.sni;
    }
    const method = tcp ? undefined : r?.method ?? 'GET';
    const text = formatAccessLog({
      startTime: new Date(Math.floor(e.start * 1000)).toISOString(),
      method,
      path: tcp ? undefined : r?.path ?? '/',
      protocol: tcp ? undefined : r?.protocol === 'http2' || r?.protocol === 'grpc' ? 'HTTP/2' : 'HTTP/1.1',
      responseCode: code,
      responseFlags: flags,
      responseCodeDetails: tcp ? undefined : RESPONSE_DETAILS[flagList.find((f) => RESPONSE_DETAILS[f]) ?? ''] ?? (blackhole ? 'direct_response' : 'via_upstream'),
      bytesReceived: local ? 0 : info.requestBytes,
      bytesSent: info.responseBytes,
      durationMs: duration,
      upstreamServiceTimeMs: tcp || local || code === 0 || flagList.includes('UT') ? undefined : Math.max(0, duration - 1),
      forwardedFor: w.isGatewayProxy && !tcp ? `192.168.10.${(mix(e.key, 10) % 200) + 20}` : undefined,
      userAgent: tcp ? undefined : r?.headers?.['user-agent'] ?? defaultUserAgent(l.source_workload),
      requestId: tcp ? undefined : uuid(e.key),
      authority: tcp ? undefined : authority,
      upstreamHost,
      upstreamCluster,
      upstreamLocalAddress: upstreamLocal,
      downstreamLocalAddress: downstreamLocal,
      downstreamRemoteAddress: downstreamRemote,
      requestedServerName: sni,
      routeName: route,
    });
    return { time: e.start + duration / 1000, text };
  }
}

/** What a client without an explicit user agent sends. */
function defaultUserAgent(sourceWorkload: string | undefined): string {
  const w = sourceWorkload ?? '';
  if (w.startsWith('productpage')) return 'python-requests/2.31.0';
  if (w.startsWith('reviews')) return 'Java/17.0.12';
  if (w === 'unknown' || w.includes('gateway')) return 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
  return 'curl/8.7.1';
}
