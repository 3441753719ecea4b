/**
 * Reporter de-duplication: both proxies of a request report it, so every series is counted once.
 *
 * Series are grouped by (source, destination, protocol) — the "pair" — and, within a pair, by response
 * code, gRPC status and response flags. In each group the destination proxy's report is taken when it
 * exists, else the source proxy's. Source-only groups on a pair that also has destination reports are
 * requests the destination never saw (fault aborts `FI`, circuit breaking `UO`, `NR`, `UH`…) — or the same
 * requests written with other flags or codes by the client (`DI` delays, `UT` timeouts answered late).
 * To count every request once, those source-only groups are scaled to the pair's surplus
 * (source total − destination total), capped at their own rate.
 */
import type { PromSample } from '@meshlens/model';
import { PairIndex } from './pair-index.js';

export type ReporterName = 'source' | 'destination';

/** One series that survived de-duplication, with the rate to count and which proxy reported it. */
export interface CountedSeries {
  metric: Record<string, string>;
  value: number;
  reporter: ReporterName;
}

/** A sample's value as a number; NaN, negative and zero rates carry no traffic. */
export function sampleValue(s: PromSample): number {
  const v = Number(s.value[1]);
  return v > 0 && Number.isFinite(v) ? v : 0;
}

interface Group {
  dest: CountedSeries[];
  src: CountedSeries[];
}

interface Pair {
  destTotal: number;
  srcTotal: number;
  groups: Map<string, Group>;
}

/** Keeps one report of every request (see the module comment); `waypoint` and other reporters are ignored. */
export function deduplicate(samples: readonly PromSample[] | undefined): CountedSeries[] {
  if (!samples || samples.length === 0) return [];
  const index = new PairIndex<Pair>();
  const pairs: Pair[] = [];
  for (const s of samples) {
    const m = s.metric;
    const reporter = m.reporter;
    if (reporter !== 'source' && reporter !== 'destination') continue;
    const value = sampleValue(s);
    if (value === 0) continue;
    let pair = index.get(m);
    if (!pair) {
      pair = { destTotal: 0, srcTotal: 0, groups: new Map() };
      index.set(m, pair);
      pairs.push(pair);
    }
    const gk = `${m.response_code ?? ''}|${m.grpc_response_status ?? ''}|${m.response_flags ?? ''}`;
    let group = pair.groups.get(gk);
    if (!group) pair.groups.set(gk, (group = { dest: [], src: [] }));
    const counted: CountedSeries = { metric: m, value, reporter };
    if (reporter === 'destination') {
      group.dest.push(counted);
      pair.destTotal += value;
    } else {
      group.src.push(counted);
      pair.srcTotal += value;
    }
  }
  const out: CountedSeries[] = [];
  for (const pair of pairs) {
    if (pair.destTotal === 0 || pair.srcTotal === 0) {
      for (const g of pair.groups.values()) out.push(...g.dest, ...g.src);
      continue;
    }
    let sourceOnly = 0;
    for (const g of pair.groups.values()) if (g.dest.length === 0) for (const c of g.src) sourceOnly += c.value;
    const surplus = Math.max(0, pair.srcTotal - pair.destTotal);
    const factor = sourceOnly > 0 ? Math.min(1, surplus / sourceOnly) : 0;
    for (const g of pair.groups.values()) {
      if (g.dest.length > 0) out.push(...g.dest);
      else if (factor > 0) for (const c of g.src) out.push(factor === 1 ? c : { ...c, value: c.value * factor });
    }
  }
  return out;
}
