/** A workload's replica status (Kiali's desired / current / available), from its controller's status or its pods. */
import type { ReplicaStatus } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { podContainers } from '../entities/pods.js';
import { podIsReady, type PodStatusProvider } from './pod-status.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Replica counts a controller's `status` gives (Deployment, ReplicaSet, StatefulSet, DaemonSet); undefined without status. */
function controllerReplicas(w: WorkloadView): ReplicaStatus | undefined {
  const o = w.obj?.object;
  const status = o?.status as Record<string, unknown> | undefined;
  if (!o || !status || typeof status !== 'object') return undefined;
  if (w.kind === 'DaemonSet') {
    const desired = num(status.desiredNumberScheduled);
    if (desired === undefined) return undefined;
    return { desired, current: num(status.currentNumberScheduled) ?? 0, available: num(status.numberAvailable) ?? 0 };
  }
  if (w.kind === 'Deployment' || w.kind === 'ReplicaSet' || w.kind === 'StatefulSet' || w.kind === 'ReplicationController') {
    // A status with none of the counters (`{}` or conditions only) says nothing about replicas.
    if (num(status.replicas) === undefined && num(status.availableReplicas) === undefined && num(status.readyReplicas) === undefined && num(status.observedGeneration) === undefined) return undefined;
    const desired = num(o.spec?.replicas) ?? 1;
    const available = num(status.availableReplicas) ?? (w.kind === 'StatefulSet' ? num(status.readyReplicas) : undefined) ?? 0;
    return { desired, current: num(status.replicas) ?? 0, available };
  }
  return undefined;
}

/**
 * A workload's replicas: the controller's status when it has one; else its pods' states (real Pod objects, or what
 * `status` knows of them, e.g. the demo's simulated pods); else every replica is assumed up (`assumed`), as
 * manifest files carry no status.
 */
export function workloadReplicas(inv: Inventory, w: WorkloadView, status: PodStatusProvider, at: number): ReplicaStatus {
  const fromController = controllerReplicas(w);
  if (fromController) return fromController;
  // Bare pods and Job pods: one replica per pod; controllers: their spec.replicas.
  const perPod = w.kind === 'Pod' || w.kind === 'Job' || w.kind === 'CronJob';
  let known = 0;
  let available = 0;
  for (const p of w.pods) {
    const s = status(p, at);
    if (!s) continue;
    known++;
    if (podIsReady(s, podContainers(inv, p).map((c) => c.name))) available++;
  }
  const desired = perPod ? w.pods.length : w.replicas;
  if (known === 0) return { desired, current: desired, available: desired, assumed: true };
  // Pods the source says nothing about count as up (made from a template alongside known ones).
  const unknown = w.pods.length - known;
  return { desired, current: w.pods.length, available: available + unknown };
}
