/**
 * Pod runtime state (phase, container readiness, restarts): from the Pod object's `status` when the input has one
 * (a live cluster), from a source's own notion of it (the demo simulates its pods), or assumed up (manifest files).
 */
import type { PodView } from '../inventory/types.js';

/** One container's runtime state. */
export interface ContainerStatusInput {
  name: string;
  ready?: boolean;
  restarts?: number;
  /** `running`, `waiting: CrashLoopBackOff`, `terminated: Completed`. */
  state?: string;
}

/** A pod's runtime state, as a source knows it. */
export interface PodStatusInput {
  phase?: string;
  containers?: ContainerStatusInput[];
  /** ISO 8601. */
  startTime?: string;
}

/** What a source can say about a pod's runtime state at a moment (unix seconds); undefined when it knows nothing. */
export type PodStatusProvider = (pod: PodView, at: number) => PodStatusInput | undefined;

function stateText(state: unknown): string | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const s = state as Record<string, { reason?: unknown } | undefined>;
  if (s.running) return 'running';
  if (s.waiting) return typeof s.waiting.reason === 'string' ? `waiting: ${s.waiting.reason}` : 'waiting';
  if (s.terminated) return typeof s.terminated.reason === 'string' ? `terminated: ${s.terminated.reason}` : 'terminated';
  return undefined;
}

function containerStatuses(list: unknown): ContainerStatusInput[] {
  if (!Array.isArray(list)) return [];
  return list.filter((c) => c && typeof c.name === 'string').map((c) => ({
    name: c.name as string,
    ready: typeof c.ready === 'boolean' ? c.ready : undefined,
    restarts: typeof c.restartCount === 'number' ? c.restartCount : undefined,
    state: stateText(c.state),
  }));
}

/** The runtime state a Pod object carries in `status`; undefined for pods made from templates or without status. */
export function podObjectStatus(p: PodView): PodStatusInput | undefined {
  const status = p.obj?.object.status as Record<string, unknown> | undefined;
  if (!status || typeof status !== 'object' || Object.keys(status).length === 0) return undefined;
  const containers = [...containerStatuses(status.containerStatuses), ...containerStatuses(status.initContainerStatuses).filter((c) => c.name === 'istio-proxy')];
  return {
    phase: typeof status.phase === 'string' ? status.phase : undefined,
    ...(containers.length > 0 ? { containers } : {}),
    ...(typeof status.startTime === 'string' ? { startTime: status.startTime } : {}),
  };
}

/** The provider every source has: the Pod object's own status. */
export const objectStatusProvider: PodStatusProvider = (p) => podObjectStatus(p);

/** A provider that asks `first`, then the Pod object. */
export function withObjectStatus(first: PodStatusProvider | undefined): PodStatusProvider {
  if (!first) return objectStatusProvider;
  return (p, at) => first(p, at) ?? podObjectStatus(p);
}

/**
 * Whether a pod serves: Succeeded (a finished Job pod), or Running with every container ready. Without container
 * statuses, Running is taken as ready.
 */
export function podIsReady(status: PodStatusInput | undefined, containerNames: string[]): boolean {
  if (!status) return true;
  if (status.phase === 'Succeeded') return true;
  if (status.phase !== undefined && status.phase !== 'Running') return false;
  if (!status.containers || status.containers.length === 0) return status.phase === 'Running';
  return containerNames.every((n) => status.containers!.find((c) => c.name === n)?.ready !== false);
}
