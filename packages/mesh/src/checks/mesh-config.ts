/** Mesh-config details some checks need beyond the inventory's MeshConfig (proxy metadata, injector defaults). */
import { parse } from 'yaml';
import type { Inventory } from '../inventory/types.js';

const CACHE = new WeakMap<Inventory, { dnsAutoAllocate: boolean; injectByDefault: boolean }>();

/** DNS capture + auto-allocation (ServiceEntries need no addresses) and the injector's enableNamespacesByDefault. */
export function meshExtras(inv: Inventory): { dnsAutoAllocate: boolean; injectByDefault: boolean } {
  const cached = CACHE.get(inv);
  if (cached) return cached;
  let dnsAutoAllocate = false;
  let injectByDefault = false;
  const text = inv.meshConfig.obj?.object.data?.mesh;
  if (typeof text === 'string') {
    try {
      const md = (parse(text) as any)?.defaultConfig?.proxyMetadata ?? {};
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
  const out = { dnsAutoAllocate, injectByDefault };
  CACHE.set(inv, out);
  return out;
}
