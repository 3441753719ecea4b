/** Where a ServiceEntry host sends traffic: selected workloads, its `endpoints`, or the host itself (reference §3.7). */
import type { Endpoint, Hop, TraceProtocol } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { labelsMatch, podCount } from '../inventory/query.js';
import { isIP } from '../hosts/names.js';
import type { RegistryEntry } from '../hosts/registry.js';
import type { SubsetRef } from './destination-rules.js';
import type { EndpointLeg } from './destinations.js';
import { spreadByPods } from './destinations.js';
import { describeEndpoint, formatLabels, ruleRef, shortName } from './refs.js';

/** The legs beyond a ServiceEntry endpoint `from` (kind `serviceEntry`), or why there are none. */
export function serviceEntryLegs(
  inv: Inventory, entry: RegistryEntry, from: Endpoint, port: number, subset: SubsetRef | undefined, protocol: TraceProtocol,
): EndpointLeg[] | { failure: string } {
  const host = from.kind === 'serviceEntry' ? from.host : entry.host;
  const sePort = entry.ports.find((p) => p.number === port);
  if (!sePort) return { failure: `ServiceEntry ${entry.namespace}/${entry.name} declares no port ${port}, so there is no cluster for it` };
  const hostRef = ruleRef(entry.obj, entry.hostPath ?? 'spec.hosts', `ServiceEntry ${entry.namespace}/${entry.name} adds ${entry.host} to the registry (${entry.location}, resolution ${entry.resolution}).`);
  const subsetLabels = subset?.labels ?? {};

  if (entry.workloadSelector) {
    const selector = { ...entry.workloadSelector, ...subsetLabels };
    const spread = spreadByPods(inv.workloads.filter((w) => w.namespace === entry.namespace && labelsMatch(selector, w.labels)));
    if (spread.length === 0) return { failure: `no pod in namespace ${entry.namespace} carries the labels ${formatLabels(selector)} that ServiceEntry ${entry.namespace}/${entry.name}${subset ? ` and subset ${subset.name}` : ''} select` };
    const total = spread.reduce((n, s) => n + podCount(s.workload), 0);
    return spread.map(({ workload: w, weight }) => {
      const to: Endpoint = { kind: 'workload', namespace: w.namespace, name: w.name, pods: podCount(w), ...(w.version ? { version: w.version } : {}), ...(w.app ? { app: w.app } : {}) };
      const hop: Hop = { from, to, protocol, decidedBy: [hostRef], explanation: `ServiceEntry ${entry.namespace}/${entry.name} selects workload ${w.namespace}/${w.name} (${podCount(w)} of ${total} pods) through its workloadSelector.` };
      return { weight, hops: [hop], hasSidecar: w.hasSidecar };
    });
  }

  const endpoints = entry.endpoints.filter((e) => labelsMatch(subsetLabels, e.labels ?? {}));
  if (entry.endpoints.length > 0 && (entry.resolution === 'STATIC' || entry.resolution === 'DNS' || entry.resolution === 'DNS_ROUND_ROBIN')) {
    if (endpoints.length === 0) return { failure: `subset ${subset?.name ?? ''} selects labels ${formatLabels(subsetLabels)} and no endpoint of ServiceEntry ${entry.namespace}/${entry.name} carries them` };
    // DNS_ROUND_ROBIN uses only the first endpoint; STATIC and DNS balance over all of them
    const used = entry.resolution === 'DNS_ROUND_ROBIN' ? endpoints.slice(0, 1) : endpoints;
    const total = used.reduce((n, e) => n + (e.weight ?? 1), 0);
    return used.map((e) => {
      const epPort = (sePort.name !== undefined ? e.ports?.[sePort.name] : undefined) ?? (typeof sePort.targetPort === 'number' ? sePort.targetPort : port);
      const to: Endpoint = e.address && isIP(e.address) ? { kind: 'external', host, ip: e.address, port: epPort } : { kind: 'external', host: e.address ?? host, port: epPort };
      const epRef = ruleRef(entry.obj, e.path, `Endpoint ${e.address ?? '?'} of ServiceEntry ${entry.namespace}/${entry.name}.`);
      const hop: Hop = { from, to, protocol, decidedBy: [epRef], explanation: `ServiceEntry ${entry.namespace}/${entry.name} (resolution ${entry.resolution}) sends ${describeEndpoint(from)} to its endpoint ${describeEndpoint(to)}.` };
      return { weight: (e.weight ?? 1) / total, hops: [hop], hasSidecar: false };
    });
  }

  const target = typeof sePort.targetPort === 'number' ? sePort.targetPort : port;
  const ip = from.kind === 'serviceEntry' ? from.address : undefined;
  const to: Endpoint = { kind: 'external', host, ...(ip ? { ip } : {}), port: target };
  const how = entry.resolution === 'NONE'
    ? 'resolution NONE forwards the connection to the address the client resolved and dialled'
    : `resolution ${entry.resolution} makes the proxy resolve ${host} itself`;
  const hop: Hop = { from, to, protocol, decidedBy: [hostRef], explanation: `ServiceEntry ${shortName(entry.obj)} defines ${entry.host}; ${how}, so the request leaves the mesh for ${describeEndpoint(to)}.` };
  return [{ weight: 1, hops: [hop], hasSidecar: entry.location === 'MESH_INTERNAL' }];
}
