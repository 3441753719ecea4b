/** DestinationRule lookup, subsets and the traffic policy that applies to one destination port (reference §3.6, §3.13). */
import type { ConnectionPoolLimits, InventoryObject, TracePath } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { labelsMatch } from '../inventory/query.js';
import { exportToOf, isExportedTo } from '../hosts/export-to.js';
import { hostMatches, hostSpecificity, toFqdn } from '../hosts/names.js';
import { ruleRef, shortName } from './refs.js';

/** The DestinationRule(s) a client uses for a host: same namespace, same host, merged in order (first wins). */
export interface DrResolution {
  objs: InventoryObject[];
  /** The DR host that matched (short names expanded). */
  host: string;
  /** Which step of the lookup path found it. */
  step: 'client namespace' | 'service namespace' | 'root namespace';
}

export interface SubsetRef {
  obj: InventoryObject;
  name: string;
  index: number;
  labels: Record<string, string>;
}

/**
 * The DestinationRule for `host` seen from a client in `clientNamespace`: the client's namespace first, then the
 * service's, then the root namespace; in each the most specific host wins; steps 2 and 3 only see DRs exported to the
 * client (`push_context.go destinationRule()`, reference §3.6). `workloadSelector` DRs apply only to selected clients of their namespace.
 */
export function lookupDestinationRule(
  inv: Inventory, host: string, clientNamespace: string, serviceNamespace: string, clientLabels: Record<string, string>,
): DrResolution | undefined {
  const steps: Array<[string, DrResolution['step']]> = [
    [clientNamespace, 'client namespace'], [serviceNamespace, 'service namespace'], [inv.meshConfig.rootNamespace, 'root namespace'],
  ];
  const seen = new Set<string>();
  for (const [ns, step] of steps) {
    if (seen.has(ns)) continue;
    seen.add(ns);
    const candidates = inv.istio.DestinationRule.flatMap((dr) => {
      if ((dr.ref.namespace ?? 'default') !== ns) return [];
      if (!isExportedTo(exportToOf(dr), ns, clientNamespace)) return [];
      const selector: unknown = dr.object.spec?.workloadSelector?.labels;
      if (selector && (ns !== clientNamespace || !labelsMatch(selector as Record<string, string>, clientLabels))) return [];
      const written: unknown = dr.object.spec?.host;
      if (typeof written !== 'string') return [];
      const drHost = toFqdn(written, ns, inv.clusterDomain);
      return hostMatches(drHost, host) ? [{ dr, drHost }] : [];
    });
    if (candidates.length === 0) continue;
    const top = Math.max(...candidates.map((c) => hostSpecificity(c.drHost)));
    const best = candidates.filter((c) => hostSpecificity(c.drHost) === top);
    return { objs: best.map((c) => c.dr), host: best[0]!.drHost, step };
  }
  return undefined;
}

/** The subset `name` of a (merged) DestinationRule: the first definition wins. */
export function findSubset(dr: DrResolution | undefined, name: string): SubsetRef | undefined {
  for (const obj of dr?.objs ?? []) {
    const subsets: unknown = obj.object.spec?.subsets;
    if (!Array.isArray(subsets)) continue;
    const index = subsets.findIndex((s: { name?: unknown }) => s?.name === name);
    if (index >= 0) return { obj, name, index, labels: { ...((subsets[index] as { labels?: Record<string, string> }).labels ?? {}) } };
  }
  return undefined;
}

interface Component { value: Record<string, unknown>; obj: InventoryObject; path: string }
interface Policy { connectionPool?: Component; outlierDetection?: Component; tls?: Component }

/** What the DestinationRule sets for one destination port (and subset): limits and client-side TLS. */
export interface EffectivePolicy {
  connectionPool?: ConnectionPoolLimits;
  tls?: TracePath['tls'];
}

const COMPONENTS = ['connectionPool', 'outlierDetection', 'tls'] as const;

function policyAt(obj: InventoryObject, policy: unknown, path: string, port: number | undefined): Policy {
  const out: Policy = {};
  if (!policy || typeof policy !== 'object') return out;
  const p = policy as Record<string, unknown>;
  for (const c of COMPONENTS) {
    if (p[c] && typeof p[c] === 'object') out[c] = { value: p[c] as Record<string, unknown>, obj, path: `${path}.${c}` };
  }
  const levels = Array.isArray(p.portLevelSettings) ? p.portLevelSettings : [];
  const i = port === undefined ? -1 : levels.findIndex((l: { port?: { number?: unknown } }) => l?.port?.number === port);
  if (i >= 0) {
    // port-level settings replace the destination-level ones as a whole, they are not merged (reference §3.6)
    const level = levels[i] as Record<string, unknown>;
    for (const c of COMPONENTS) {
      out[c] = level[c] && typeof level[c] === 'object' ? { value: level[c] as Record<string, unknown>, obj, path: `${path}.portLevelSettings[${i}].${c}` } : undefined;
    }
  }
  return out;
}

/**
 * The effective policy: the first top-level `trafficPolicy` of the merged DRs, overridden per component by the
 * subset's `trafficPolicy`, each with port-level settings for `port` replacing the destination-level ones.
 */
export function effectivePolicy(dr: DrResolution | undefined, subset: SubsetRef | undefined, port: number | undefined): EffectivePolicy {
  if (!dr) return {};
  const top = dr.objs.find((o) => o.object.spec?.trafficPolicy);
  let policy: Policy = top ? policyAt(top, top.object.spec.trafficPolicy, 'spec.trafficPolicy', port) : {};
  if (subset) {
    const subsetPolicy: unknown = subset.obj.object.spec.subsets[subset.index]?.trafficPolicy;
    if (subsetPolicy) {
      const own = policyAt(subset.obj, subsetPolicy, `spec.subsets[${subset.index}].trafficPolicy`, port);
      const hasPortLevel = Array.isArray((subsetPolicy as { portLevelSettings?: unknown }).portLevelSettings)
        && ((subsetPolicy as { portLevelSettings: Array<{ port?: { number?: unknown } }> }).portLevelSettings).some((l) => l?.port?.number === port);
      policy = hasPortLevel ? own : { ...policy, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) };
    }
  }
  return { connectionPool: limitsOf(policy), tls: tlsOf(policy) };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function limitsOf(policy: Policy): ConnectionPoolLimits | undefined {
  const cp = policy.connectionPool;
  const od = policy.outlierDetection;
  if (!cp && !od) return undefined;
  const tcp = (cp?.value.tcp ?? {}) as Record<string, unknown>;
  const http = (cp?.value.http ?? {}) as Record<string, unknown>;
  const src = (cp ?? od)!;
  const drName = shortName(src.obj);
  const limits: ConnectionPoolLimits = defined({
    maxConnections: num(tcp.maxConnections),
    http1MaxPendingRequests: num(http.http1MaxPendingRequests),
    http2MaxRequests: num(http.http2MaxRequests),
    maxRequestsPerConnection: num(http.maxRequestsPerConnection),
    maxRetries: num(http.maxRetries),
    outlierDetection: od ? defined({
      consecutive5xxErrors: num(od.value.consecutive5xxErrors) ?? num(od.value.consecutiveErrors),
      interval: str(od.value.interval),
      baseEjectionTime: str(od.value.baseEjectionTime),
      maxEjectionPercent: num(od.value.maxEjectionPercent),
    }) : undefined,
    rule: ruleRef(src.obj, src.path, `DestinationRule ${drName} limits connections to this destination (${src.path}); overflow is answered 503 UO.`),
  });
  return limits;
}

function tlsOf(policy: Policy): TracePath['tls'] | undefined {
  const mode = str(policy.tls?.value.mode);
  if (!policy.tls || !mode) return undefined;
  const known = ['ISTIO_MUTUAL', 'MUTUAL', 'SIMPLE', 'DISABLE'] as const;
  const m = (known as readonly string[]).includes(mode) ? (mode as (typeof known)[number]) : 'DISABLE';
  return { mode: m, rule: ruleRef(policy.tls.obj, `${policy.tls.path}.mode`, `DestinationRule ${shortName(policy.tls.obj)} sets client TLS mode ${mode}.`) };
}
