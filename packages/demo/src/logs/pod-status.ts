/**
 * The demo's pods as a kubelet would report them: Running (or what a Pod object of the scenario says), every
 * container ready, started at a per-pod moment of the week (a weekly redeploy), and a few restarts of the
 * application container of workloads whose scenario has error bursts (an incident with an error rate: the
 * application crashed in some of them). Deterministic from the seed and the time.
 */
import { podContainers, type Inventory, type PodStatusInput, type PodView } from '@meshlens/mesh';
import type { TrafficModel } from '../traffic/types.js';
import { allIncidents } from '../traffic/types.js';
import { hashString, mix } from '../simulator/random.js';

const WEEK = 7 * 86400;

/** When the pod (re)started last before `at`, unix seconds: once a week, at a per-pod offset. */
export function podStartTime(seed: number, pod: Pick<PodView, 'namespace' | 'name'>, at: number): number {
  const offset = mix(hashString(`${pod.namespace}/${pod.name}`), seed) % WEEK;
  return Math.floor((at - offset) / WEEK) * WEEK + offset;
}

/** Error bursts per workload (`ns/name`): their period in seconds and the phase of their first window. */
function errorBursts(model: TrafficModel, seed: number): Map<string, Array<{ period: number; offset: number }>> {
  const out = new Map<string, Array<{ period: number; offset: number }>>();
  for (const i of allIncidents(model)) {
    if (!(i.errorRate && i.errorRate > 0)) continue;
    // Same phase as the simulator's schedule (compile.ts scheduleOf), so restarts line up with the bursts.
    const offsetMin = mix(hashString(`${i.scenario}/${i.name}/${i.target.namespace}/${i.target.workload}`), seed) % i.everyMinutes;
    const key = `${i.target.namespace}/${i.target.workload}`;
    out.set(key, [...(out.get(key) ?? []), { period: i.everyMinutes * 60, offset: offsetMin * 60 }]);
  }
  return out;
}

/** Bursts that started in (from, to]. */
function burstsBetween(b: { period: number; offset: number }, from: number, to: number): number {
  const k = (t: number) => Math.floor((t - b.offset) / b.period);
  return Math.max(0, k(to) - k(from));
}

/** A pod-status provider for the demo inventory. */
export function demoPodStatus(inv: Inventory, model: TrafficModel, seed: number): (pod: PodView, at: number) => PodStatusInput {
  const bursts = errorBursts(model, seed);
  return (pod, at) => {
    const start = podStartTime(seed, pod, at);
    const objectStatus = pod.obj?.object.status as { phase?: string; startTime?: string } | undefined;
    const phase = objectStatus?.phase ?? 'Running';
    const w = inv.workloadsByKey.get(`${pod.namespace}/${pod.workload}`);
    const own = bursts.get(`${pod.namespace}/${pod.workload}`) ?? [];
    // About one burst in eighty brings the application down (the liveness probe fails): a few restarts a week.
    const crashes = own.reduce((n, b) => n + Math.ceil(burstsBetween(b, start, at) / 80), 0);
    const containers = podContainers(inv, pod).map((c) => {
      if (phase === 'Succeeded') return { name: c.name, ready: false, restarts: 0, state: 'terminated: Completed' };
      const app = !c.isProxy && w?.containers[0]?.name === c.name;
      return { name: c.name, ready: phase === 'Running', restarts: app ? crashes : 0, state: phase === 'Running' ? 'running' : 'waiting: ContainerCreating' };
    });
    return { phase, containers, startTime: objectStatus?.startTime ?? new Date(start * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  };
}
