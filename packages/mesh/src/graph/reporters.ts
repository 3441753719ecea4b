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

export type ReporterName = 'source' | 'destination' | 'waypoint';

/** One series that survived de-duplication, with the rate to count and which proxy reported it. */
export interface CountedSeries {
  metric: Record<string, string>;
  value: number;
  reporter: ReporterName;
}

/** A sample's value as a number; NaN, negative and zero rates carry no traffic. */
export function sampleValue(s: PromSample): number {
  const v = parseRate(s.value[1]);
  return v > 0 && Number.isFinite(v) ? v : 0;
}

/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * `Number(text)`, with a fast path for the plain decimals Prometheus writes (`12.595`): `Number()` of a
 * string calls into the runtime, once per sample of every histogram bucket. With at most 15 digits the
 * digits form an exact integer and 10^k is exact, so one correctly rounded division gives exactly the
 * double `Number()` gives. Anything else (signs, exponents, `NaN`, `+Inf`, long values) goes to `Number()`.
 */
export function parseRate(text: string): number {
  const n = text.length;
  if (n === 0 || n > 16) return Number(text);
  let digits = 0;
  let mantissa = 0;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && dot < 0) dot = i;
    else return Number(text);
  }
  if (digits === 0 || digits > 15) return Number(text);
  const decimals = dot < 0 ? 0 : n - dot - 1;
  return decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
}

/**
 * Series of one pair with the same response code, gRPC status and flags, in order of first sight. Its
 * destination and source reports are linked lists through `next` (sample indices, -1 ending a list): no
 * array and no object per sample, which kept the garbage collector busy on large meshes.
 */
interface Group {
  code: string | undefined;
  grpc: string | undefined;
  flags: string | undefined;
  destHead: number;
  destTail: number;
  srcHead: number;
  srcTail: number;
}

interface Pair {
  destTotal: number;
  srcTotal: number;
  /** A plain list: a pair has a handful of groups, and comparing three labels beats building a key per sample. */
  groups: Group[];
}

/** Receives each counted series: its labels, the rate to count and which proxy reported it. */
export type CountedVisitor = (metric: Record<string, string>, value: number, reporter: ReporterName) => void;

/**
 * Keeps one report of every request (see the module comment); `waypoint` reports are ignored unless asked for,
 * then they count as the server side's report of their pair (other reporters are always ignored).
 */
export function deduplicate(samples: readonly PromSample[] | undefined, options?: { waypoint?: boolean }): CountedSeries[] {
  const out: CountedSeries[] = [];
  forEachCounted(samples, (metric, value, reporter) => out.push({ metric, value, reporter }), options);
  return out;
}

/**
 * `deduplicate` without the list: visits the series to count, in the same order (pairs, then groups, in
 * order of first sight; a group's destination reports before its source reports, each in sample order).
 */
export function forEachCounted(samples: readonly PromSample[] | undefined, visit: CountedVisitor, options?: { waypoint?: boolean }): void {
  const withWaypoint = options?.waypoint === true;
  if (!samples || samples.length === 0) return;
  const index = new PairIndex<Pair>();
  const pairs: Pair[] = [];
  const values = new Float64Array(samples.length);
  const next = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const m = samples[i]!.metric;
    const reporter = m.reporter;
    // A waypoint answers the client like a destination proxy: its report stands with the destination's (ambient).
    if (reporter !== 'source' && reporter !== 'destination' && !(withWaypoint && reporter === 'waypoint')) continue;
    const value = sampleValue(samples[i]!);
    if (value === 0) continue;
    let pair = index.get(m);
    let group: Group;
    if (!pair) {
      // The first group in a one-element literal: a first push would reserve 17 slots, per pair.
      group = newGroup(m);
      pair = { destTotal: 0, srcTotal: 0, groups: [group] };
      index.set(m, pair);
      pairs.push(pair);
    } else group = groupOf(pair.groups, m);
    values[i] = value;
    next[i] = -1;
    if (reporter !== 'source') {
      if (group.destTail < 0) group.destHead = i;
      else next[group.destTail] = i;
      group.destTail = i;
      pair.destTotal += value;
    } else {
      if (group.srcTail < 0) group.srcHead = i;
      else next[group.srcTail] = i;
      group.srcTail = i;
      pair.srcTotal += value;
    }
  }
  for (const pair of pairs) {
    if (pair.destTotal === 0 || pair.srcTotal === 0) {
      for (const g of pair.groups) {
        for (let i = g.destHead; i >= 0; i = next[i]!) visit(samples[i]!.metric, values[i]!, serverSide(samples[i]!.metric));
        for (let i = g.srcHead; i >= 0; i = next[i]!) visit(samples[i]!.metric, values[i]!, 'source');
      }
      continue;
    }
    let sourceOnly = 0;
    for (const g of pair.groups) if (g.destHead < 0) for (let i = g.srcHead; i >= 0; i = next[i]!) sourceOnly += values[i]!;
    const surplus = Math.max(0, pair.srcTotal - pair.destTotal);
    const factor = sourceOnly > 0 ? Math.min(1, surplus / sourceOnly) : 0;
    for (const g of pair.groups) {
      if (g.destHead >= 0) for (let i = g.destHead; i >= 0; i = next[i]!) visit(samples[i]!.metric, values[i]!, serverSide(samples[i]!.metric));
      else if (factor > 0) for (let i = g.srcHead; i >= 0; i = next[i]!) visit(samples[i]!.metric, factor === 1 ? values[i]! : values[i]! * factor, 'source');
    }
  }
}

/** `destination`, or `waypoint` for a waypoint's report (only kept when asked for). */
function serverSide(m: Record<string, string>): 'destination' | 'waypoint' {
  return m.reporter === 'waypoint' ? 'waypoint' : 'destination';
}

/** The group of a series' response code, gRPC status and flags (a missing label groups with an empty one, as before). */
function groupOf(groups: Group[], m: Record<string, string>): Group {
  const code = m.response_code ?? '';
  const grpc = m.grpc_response_status ?? '';
  const flags = m.response_flags ?? '';
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.code === code && g.grpc === grpc && g.flags === flags) return g;
  }
  const g = newGroup(m);
  groups.push(g);
  return g;
}

function newGroup(m: Record<string, string>): Group {
  return { code: m.response_code ?? '', grpc: m.grpc_response_status ?? '', flags: m.response_flags ?? '', destHead: -1, destTail: -1, srcHead: -1, srcTail: -1 };
}
