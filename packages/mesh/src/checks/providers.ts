/** The dependency keys each object provides (see keys.ts): what a check may have read about it. */
import type { InventoryObject } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { toFqdn } from '../hosts/names.js';
import { hostProvideKeys, labelProvideKeys } from './keys.js';
import { gatewayCredentials, gatewayPorts } from './index-build.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController']);

/** Keys provided by `obj` as it is in `inv`. */
export function providedKeys(inv: Inventory, obj: InventoryObject): string[] {
  const ns = obj.ref.namespace ?? 'default';
  const spec = obj.object.spec ?? {};
  const keys = [`K:${obj.ref.kind}`, `O:${obj.ref.kind}/${ns}/${obj.ref.name}`];
  switch (obj.ref.kind) {
    case 'Service':
      keys.push(...hostProvideKeys('R', `${obj.ref.name}.${ns}.svc.${inv.clusterDomain}`), `SVC:${ns}`, `SVCNS:${ns}`);
      break;
    case 'ServiceEntry':
      for (const h of strings(spec.hosts)) keys.push(...hostProvideKeys('R', toFqdn(h, ns, inv.clusterDomain)));
      break;
    case 'DestinationRule':
      if (typeof spec.host === 'string') keys.push(...hostProvideKeys('D', toFqdn(spec.host, ns, inv.clusterDomain)));
      break;
    case 'VirtualService':
      for (const h of strings(spec.hosts)) keys.push(...hostProvideKeys('V', toFqdn(h, ns, inv.clusterDomain)));
      break;
    case 'Gateway':
      keys.push(`G:${ns}/${obj.ref.name}`, 'G:*', ...gatewayPorts(obj).map((p) => `GP:${p}`), ...gatewayCredentials(obj).map((c) => `GC:${c}`));
      break;
    case 'Namespace':
      keys.push(`NS:${obj.ref.name}`, `NSX:${obj.ref.name}`);
      break;
    case 'Secret':
      keys.push(`SEC:${ns}/${obj.ref.name}`);
      break;
    case 'ServiceAccount':
      keys.push(`SA:${ns}`);
      break;
    case 'Node':
      keys.push('NODES');
      break;
    case 'ConfigMap':
      keys.push('MESH');
      break;
    case 'PeerAuthentication': case 'RequestAuthentication': case 'Sidecar': case 'AuthorizationPolicy':
      keys.push(`${obj.ref.kind}:${ns}`);
      break;
    default:
      break;
  }
  if (WORKLOAD_KINDS.has(obj.ref.kind)) {
    const labels = obj.ref.kind === 'Pod' ? obj.object.metadata.labels : (spec.jobTemplate?.spec?.template ?? spec.template)?.metadata?.labels;
    keys.push(...labelProvideKeys(ns, labels ?? {}), `W:${ns}`);
  }
  // A namespace exists as soon as one object lives in it.
  keys.push(`NSX:${ns}`);
  return keys;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
