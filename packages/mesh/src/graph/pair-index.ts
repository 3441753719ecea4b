/**
 * A map keyed by the labels that identify who talked to whom, walked label by label. Histograms repeat the
 * same label pair for every bucket; a trie of Maps finds the pair without building a key string per sample,
 * which is what kept the garbage collector busy on large meshes.
 */

/** The labels that say who talked to whom: the same on both proxies' reports of one request. */
export const PAIR_LABELS = [
  'source_workload', 'source_workload_namespace', 'source_canonical_service', 'source_canonical_revision',
  'destination_workload', 'destination_workload_namespace', 'destination_service', 'destination_service_name',
  'destination_service_namespace', 'request_protocol', 'destination_port',
] as const;

type Metric = Record<string, string | undefined>;

interface Entry<T> {
  m: Metric;
  value: T;
}

/** True when two metrics agree on every pair label but the two the index is keyed by. */
function samePair(a: Metric, b: Metric): boolean {
  return a.source_workload_namespace === b.source_workload_namespace
    && a.destination_service === b.destination_service
    && a.source_canonical_service === b.source_canonical_service
    && a.source_canonical_revision === b.source_canonical_revision
    && a.destination_workload_namespace === b.destination_workload_namespace
    && a.destination_service_name === b.destination_service_name
    && a.destination_service_namespace === b.destination_service_namespace
    && a.request_protocol === b.request_protocol
    && a.destination_port === b.destination_port;
}

/** True when two metrics are the same pair: what `PairIndex` finds them by (a missing workload reads as ''). */
export function sameKey(a: Metric, b: Metric): boolean {
  return (a.destination_workload ?? '') === (b.destination_workload ?? '')
    && (a.source_workload ?? '') === (b.source_workload ?? '')
    && samePair(a, b);
}

/**
 * Keyed by PAIR_LABELS: three Map levels (destination namespace, destination workload, source workload), then a
 * short list compared label by label. The namespace level matters at scale: meshes repeat workload names in every
 * namespace (one `api` per team), and without it one list held a pair per namespace, so finding a pair cost a scan
 * of a thousand entries at 1,000 namespaces. Few objects per pair (a trie of Maps per label kept the garbage
 * collector busy on large meshes), and constant property names keep V8's inline caches monomorphic.
 */
export class PairIndex<T> {
  private readonly root = new Map<string, Map<string, Map<string, Entry<T>[]>>>();

  private list(m: Metric): Entry<T>[] | undefined {
    return this.root.get(m.destination_workload_namespace ?? '')?.get(m.destination_workload ?? '')?.get(m.source_workload ?? '');
  }

  /** The value stored for a metric's pair, or undefined. */
  get(m: Metric): T | undefined {
    const list = this.list(m);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) if (samePair(list[i]!.m, m)) return list[i]!.value;
    return undefined;
  }

  /** Stores a value for a metric's pair (replacing what was stored for it). */
  set(m: Metric, value: T): void {
    const dstNs = m.destination_workload_namespace ?? '';
    let byWorkload = this.root.get(dstNs);
    if (byWorkload === undefined) this.root.set(dstNs, (byWorkload = new Map()));
    const dst = m.destination_workload ?? '';
    let bySource = byWorkload.get(dst);
    if (bySource === undefined) byWorkload.set(dst, (bySource = new Map()));
    const src = m.source_workload ?? '';
    const list = bySource.get(src);
    // A pair's first entry goes in a one-element literal: a first push would reserve 17 slots.
    if (list === undefined) {
      bySource.set(src, [{ m, value }]);
      return;
    }
    for (const e of list) {
      if (samePair(e.m, m)) {
        e.value = value;
        return;
      }
    }
    list.push({ m, value });
  }
}
