/** Mesh-config details some checks need beyond the inventory's MeshConfig (proxy metadata, injector defaults). */
import { parse } from 'yaml';
import type { Inventory } from '../inventory/types.js';

export interface MeshExtras {
  dnsAutoAllocate: boolean;
  injectByDefault: boolean;
  /** meshConfig.trustDomainAliases: former or federated trust domains whose principals still count as this mesh's. */
  trustDomainAliases: string[];
}

const CACHE = new WeakMap<Inventory, MeshExtras>();

/** DNS capture + auto-allocation (ServiceEntries need no addresses), the injector's enableNamespacesByDefault and trust domain aliases. */
export function meshExtras(inv: Inventory): MeshExtras {
  const cached = CACHE.get(inv);
  if (cached) return cached;
  let dnsAutoAllocate = false;
  let injectByDefault = false;
  let trustDomainAliases: string[] = [];
  const text = inv.meshConfig.obj?.object.data?.mesh;
  if (typeof text === 'string') {
    try {
      const mesh = parse(text) as any;
      const md = mesh?.defaultConfig?.proxyMetadata ?? {};
      if (Array.isArray(mesh?.trustDomainAliases)) trustDomainAliases = mesh.trustDomainAliases.filter((a: unknown): a is string => typeof a === 'string');
      dnsAutoAllocate = String(md.ISTIO_META_DNS_CAPTURE) === 'true' && String(md.ISTIO_META_DNS_AUTO_ALLOCATE) === 'true';
    } catch {
      // an unparsable mesh config is reported by the inventory; Istio's defaults apply
    }
  }
  const injector = inv.configMaps.find((c) => c.ref.name === 'istio-sidecar-injector');
  const values = injector?.object.data?.values;
  if (typeof values === 'string') {
    try {
      injectByDefault = (JSON.parse(values) as any)?.sidecarInjectorWebhook?.enableNamespacesByDefault === true;
    } catch {
      injectByDefault = /"enableNamespacesByDefault"\s*:\s*true/.test(values);
    }
  }
  const out: MeshExtras = { dnsAutoAllocate, injectByDefault, trustDomainAliases };
  CACHE.set(inv, out);
  return out;
}
