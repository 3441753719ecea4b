/**
 * The demo's pod logs, as `kubectl logs --timestamps` would show them: Envoy access-log lines in the istio-proxy
 * container for every request the simulator counts for that proxy (circuit-breaking's UO on fortio's sidecar, the
 * fault-injection tasks' FI and DI, the ingress gateway's 404 NR, REGISTRY_ONLY's 502 to BlackHoleCluster, the broken
 * egress setup's PassthroughCluster…), application lines in the application container (one per request it served),
 * a few start-up lines, and the pods' simulated status. Deterministic from the seed and the time.
 */
import { podContainers, type Inventory, type PodStatusInput, type PodView, type WorkloadView } from '@meshlens/mesh';
import type { Simulator } from '../simulator/simulator.js';
import type { TrafficModel } from '../traffic/types.js';
import { mix, unit } from '../simulator/random.js';
import { EventSource, type RequestEvent } from './events.js';
import { AccessLines } from './access-lines.js';
import { demoPodStatus, podStartTime } from './pod-status.js';

export { demoPodStatus, podStartTime } from './pod-status.js';

/** Why a log cannot be read: no such pod or container (the API server's 404), or several containers and none named (its 400). */
export class DemoLogError extends Error {
  constructor(readonly reason: 'pod' | 'container' | 'choose', message: string) {
    super(message);
    this.name = 'DemoLogError';
  }
}

export interface DemoLogQuery {
  namespace: string;
  pod: string;
  /** Required when the pod has more than one container (the API server's rule). */
  container?: string;
  /** Lines written after `from` and up to `to` (unix seconds) are returned. */
  from: number;
  to: number;
  /** At most this many lines, the newest. */
  tailLines?: number;
}

export interface DemoLogs {
  /** The simulated runtime status of a pod at a time. */
  podStatus(pod: PodView, at: number): PodStatusInput;
  /** Lines as the kubelet serves them with `timestamps=true` (`<RFC 3339 nano> <message>`), oldest first. */
  read(query: DemoLogQuery): { container: string; lines: string[] };
}

/** How far back a request for a whole log looks (the kubelet keeps ~10 MiB per container; this keeps answers small). */
const MAX_LOOKBACK = 6 * 3600;

/** `2026-11-22T03:57:00.123456789Z`: the kubelet's RFC 3339 timestamps with nanoseconds (below the millisecond: the time's own fraction, so order is kept). */
export function kubeletTimestamp(time: number): string {
  const ms = Math.floor(time * 1000);
  const below = Math.min(999_999, Math.max(0, Math.floor((time * 1000 - ms) * 1e6)));
  return `${new Date(ms).toISOString().slice(0, -1)}${String(below).padStart(6, '0')}Z`;
}

function clfTime(time: number): string {
  const d = new Date(Math.floor(time) * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

interface Line {
  time: number;
  key: number;
  text: string;
}

/** A line not yet written: its request's start bounds its write time from below (requests end within a minute). */
interface Pending {
  start: number;
  line: () => Line;
}

const done = (l: Line): Pending => ({ start: l.time, line: () => l });

/** Builds the demo's logs over its inventory, traffic model and simulator. */
export function createDemoLogs(inv: Inventory, model: TrafficModel, simulator: Simulator, seed: number): DemoLogs {
  const compiled = simulator.compiled;
  const events = new EventSource(compiled, seed);
  const access = new AccessLines(inv, compiled);
  const status = demoPodStatus(inv, model, seed);
  const podByKey = new Map(inv.pods.map((p) => [`${p.namespace}/${p.name}`, p]));

  /** Series the workload's proxy writes lines for: its inbound (destination) and outbound (source) reports. */
  const proxySeries = (w: WorkloadView) => {
    const out: number[] = [];
    compiled.series.forEach((s, i) => {
      if (s.metric !== 'istio_requests_total' && s.metric !== 'istio_tcp_connections_closed_total') return;
      const l = s.labels;
      const mine = l.reporter === 'destination'
        ? l.destination_workload === w.name && l.destination_workload_namespace === w.namespace
        : l.source_workload === w.name && l.source_workload_namespace === w.namespace;
      if (mine) out.push(i);
    });
    return out;
  };
  const inboundSeries = (w: WorkloadView) => proxySeries(w).filter((i) => compiled.series[i]!.labels.reporter === 'destination' && compiled.series[i]!.metric === 'istio_requests_total');
  const outboundSeries = (w: WorkloadView) => proxySeries(w).filter((i) => compiled.series[i]!.labels.reporter === 'source');

  const podIndex = (w: WorkloadView, pod: PodView) => [...w.pods].sort((a, b) => (a.name < b.name ? -1 : 1)).indexOf(pod);

  /** Lines of one minute (events started in it, plus periodic lines), for the container. */
  const minuteLines = (w: WorkloadView, pod: PodView, container: { name: string; isProxy: boolean }, m: number, series: number[], kind: 'proxy' | 'app' | 'other'): Pending[] => {
    const idx = podIndex(w, pod);
    const out: Pending[] = [];
    if (kind === 'other' || (kind === 'app' && series.length === 0)) {
      // Containers without requests of their own log something periodic.
      const t = m * 60 + 30 + unit(mix(seed, m)) * 20;
      const key = mix(m, 77);
      if (container.name === 'discovery') {
        out.push(done({ time: t, key, text: `${new Date(Math.floor(t * 1000)).toISOString()}\tinfo\tads\tXDS: Pushing Services:${inv.services.length} ConnectedEndpoints:${inv.pods.filter((p) => p.hasSidecar).length} Version:${new Date(m * 60000).toISOString().slice(0, 16)}` }));
      } else if (kind === 'app') {
        const sent = outboundSeries(w).filter((i) => compiled.series[i]!.metric === 'istio_requests_total').flatMap((i) => events.minute(i, m - 1, idx, w.pods.length));
        const failed = sent.filter((e) => /^[45]/.test(compiled.series[e.series]!.labels.response_code ?? '')).length;
        if (sent.length > 0) out.push(done({ time: t, key, text: `${new Date(Math.floor(t * 1000)).toISOString()} INFO sent ${sent.length} requests in the last minute, ${failed} failed` }));
      }
      return out;
    }
    for (const i of series) {
      for (const e of events.minute(i, m, idx, w.pods.length)) {
        out.push({
          start: e.start,
          line: kind === 'proxy' ? () => {
            const l = access.line(e, w, pod);
            return { time: l.time, key: e.key, text: l.text };
          } : () => appLine(e),
        });
      }
    }
    return out;
  };

  const appLine = (e: RequestEvent): Line => {
    const l = compiled.series[e.series]!.labels;
    const { request, responseBytes } = access.requestOf(e);
    const time = e.start + 0.002;
    const code = l.response_code ?? '200';
    const ua = request?.headers?.['user-agent'] ?? 'curl/8.7.1';
    return { time, key: e.key, text: `127.0.0.6 - - [${clfTime(time)}] "${request?.method ?? 'GET'} ${request?.path ?? '/'} HTTP/1.1" ${code} ${responseBytes} "-" "${ua}"` };
  };

  const startupLines = (w: WorkloadView, container: { name: string; isProxy: boolean; image?: string }, start: number): Line[] => {
    const key = mix(Math.floor(start), 99);
    if (container.isProxy) {
      return [
        { time: start + 0.4, key, text: `${new Date(Math.floor((start + 0.4) * 1000)).toISOString()}\tinfo\tFLAG: --concurrency="2"` },
        { time: start + 1.8, key: key + 1, text: `${new Date(Math.floor((start + 1.8) * 1000)).toISOString()}\tinfo\tEnvoy proxy is ready` },
      ];
    }
    return [{ time: start + 0.6, key, text: `${new Date(Math.floor((start + 0.6) * 1000)).toISOString()} INFO starting ${container.image ?? container.name} for ${w.namespace}/${w.name}` }];
  };

  return {
    podStatus: status,
    read(q) {
      const pod = podByKey.get(`${q.namespace}/${q.pod}`);
      if (!pod) throw new DemoLogError('pod', `pods "${q.pod}" not found in namespace "${q.namespace}"`);
      const containers = podContainers(inv, pod);
      const names = containers.map((c) => c.name);
      if (!q.container && containers.length > 1) throw new DemoLogError('choose', `a container name must be specified for pod ${q.pod}, choose one of: [${names.join(' ')}]`);
      const container = q.container ? containers.find((c) => c.name === q.container) : containers[0];
      if (!container) throw new DemoLogError('container', `container ${q.container} is not valid for pod ${q.pod}, choose one of: [${names.join(' ')}]`);
      const w = inv.workloadsByKey.get(`${pod.namespace}/${pod.workload}`)!;
      const start = podStartTime(seed, pod, q.to);
      const phase = status(pod, q.to).phase;
      const from = Math.max(q.from, start, q.to - MAX_LOOKBACK);
      const kind = container.isProxy ? 'proxy' : w.containers[0]?.name === container.name ? 'app' : 'other';
      const series = kind === 'proxy' ? proxySeries(w) : kind === 'app' ? inboundSeries(w) : [];
      // A finished pod (a Job's) logged only at its start.
      const running = phase === 'Running';
      const pending: Pending[] = [];
      if (start > from - 1e-9) pending.push(...startupLines(w, container, start).map(done));
      const tail = q.tailLines ?? Infinity;
      if (running && (kind !== 'proxy' || pod.hasSidecar || w.isGatewayProxy)) {
        let spare = 1;
        for (let m = Math.floor(q.to / 60); m >= Math.floor(from / 60) - 1; m--) {
          const before = pending.length;
          pending.push(...minuteLines(w, pod, container, m, series, kind));
          // Lines of minute m can end in minute m+1: one more minute once there are enough.
          if (pending.length - before > 0 && pending.length >= tail && spare-- <= 0) break;
        }
      }
      // Newest first. A line is written when its request ends, within a minute of its start: once `tail` lines are
      // written at or after some request's start, requests that started a minute before it cannot be among the newest.
      pending.sort((a, b) => b.start - a.start);
      const kept: Line[] = [];
      let next = 0;
      while (next < pending.length) {
        const anchor = Number.isFinite(tail) ? pending[Math.min(pending.length - 1, next + tail - 1)]!.start - 60 : -Infinity;
        while (next < pending.length && pending[next]!.start >= anchor) {
          const l = pending[next++]!.line();
          if (l.time > from && l.time <= q.to) kept.push(l);
        }
        if (kept.length >= tail) break;
      }
      if (kept.length > tail) {
        kept.sort((a, b) => b.time - a.time || b.key - a.key);
        kept.length = tail;
      }
      kept.sort((a, b) => a.time - b.time || a.key - b.key);
      return { container: container.name, lines: kept.map((l) => `${kubeletTimestamp(l.time)} ${l.text}`) };
    },
  };
}
