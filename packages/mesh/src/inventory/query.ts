/** Look-ups over an Inventory that every part of the engine needs. */
import type { Inventory, PodView, ServiceView, WorkloadView } from './types.js';

/** True when every key/value of `selector` is in `labels`. An empty selector selects everything. */
export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/**
 * How many pods a workload runs: its Pod objects when the input has them, else its replica count (its synthetic
 * pods are only a sample of those replicas).
 */
export function podCount(w: WorkloadView): number {
  // synthetic pods are made only for workloads without a Pod object, so the first pod tells which case this is
  return w.pods[0]?.synthetic ? w.replicas : w.pods.length;
}

/** The workloads whose pods a Service selects. */
export function workloadsOfService(inv: Inventory, svc: ServiceView): WorkloadView[] {
  if (!svc.selector || Object.keys(svc.selector).length === 0) return [];
  return inv.workloads.filter((w) => w.namespace === svc.namespace && labelsMatch(svc.selector, w.labels));
}

/** The Services that select a workload's pods. */
export function servicesOfWorkload(inv: Inventory, w: WorkloadView): ServiceView[] {
  return inv.services.filter((s) => s.namespace === w.namespace && s.selector && Object.keys(s.selector).length > 0 && labelsMatch(s.selector, w.labels));
}

/** Pods in `namespace` (or anywhere, when undefined) whose labels match `selector`. */
export function podsMatching(inv: Inventory, selector: Record<string, string>, namespace?: string): PodView[] {
  return inv.pods.filter((p) => (namespace === undefined || p.namespace === namespace) && labelsMatch(selector, p.labels));
}

/** The Service named by a Kubernetes FQDN (`name.ns.svc.<domain>`), short forms resolved in `fromNamespace`. */
export function serviceByHost(inv: Inventory, host: string, fromNamespace?: string): ServiceView | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  const direct = inv.servicesByHost.get(h);
  if (direct) return direct;
  const parts = h.split('.');
  if (parts.length === 1 && fromNamespace) return inv.servicesByHost.get(`${h}.${fromNamespace}.svc.${inv.clusterDomain}`);
  if (parts.length === 2) return inv.servicesByHost.get(`${h}.svc.${inv.clusterDomain}`);
  if (parts.length === 3 && parts[2] === 'svc') return inv.servicesByHost.get(`${h}.${inv.clusterDomain}`);
  return undefined;
}

/** The workload `ns/name`. */
export function workloadByName(inv: Inventory, namespace: string, name: string): WorkloadView | undefined {
  return inv.workloadsByKey.get(`${namespace}/${name}`);
}
