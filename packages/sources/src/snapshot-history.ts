/**
 * The charts section of a snapshot bundle: the chart families of every namespace over the recorded window (a
 * TelemetryMatrix), stored compactly — per family the label names once, then each series as its label values and
 * one rate per point of the shared grid — and the chart answers (`TelemetryProvider.range`) served back from it.
 */
import { matchesAll } from './prometheus/promql.js';
import { sumChartSamples, type ChartSample, type ChartSamples } from './simulated-range.js';
import {
  CHART_FAMILIES, emptyPoints, stepTimestamps,
  type ChartFamily, type FamilySeries, type MatrixOmission, type TelemetryMatrix, type TelemetryRangePoints, type TelemetryRangeQuery,
} from './telemetry-range.js';

/** One family in a bundle: label names once; each series as [label values in that order ('' = absent), values]. */
export interface SnapshotFamily {
  labels: string[];
  series: Array<[string[], Array<number | null>]>;
}

/**
 * `SnapshotBundle.history`. Points are `start`..`end` by `step` (unix seconds); each value is a per-second rate over
 * the `rateInterval` seconds before its point, null where the series had no rate.
 */
export interface SnapshotHistory {
  start: number;
  end: number;
  step: number;
  rateInterval: number;
  /** The live telemetry's scrape interval: the reopened console derives the same chart grid from it. */
  scrapeInterval: number;
  families: Partial<Record<ChartFamily, SnapshotFamily>>;
  /** Families that are not recorded, and why (size budget, telemetry without history, a failed query). */
  omitted?: MatrixOmission[];
}

/** Significant digits kept per value: far below what a chart shows, and a third less to store than a double's 17. */
export const HISTORY_DIGITS = 10;

const round = (v: number | null): number | null => (v === null ? null : Number(v.toPrecision(HISTORY_DIGITS)));

/** A matrix as a bundle's charts section. */
export function encodeHistory(m: TelemetryMatrix, scrapeInterval: number): SnapshotHistory {
  const families: SnapshotHistory['families'] = {};
  for (const family of CHART_FAMILIES) {
    const list = m.families[family];
    if (!list || list.length === 0) continue;
    const labels = [...new Set(list.flatMap((s) => Object.keys(s.metric)))].sort();
    families[family] = { labels, series: list.map((s) => [labels.map((l) => s.metric[l] ?? ''), s.values.map(round)]) };
  }
  return { start: m.start, end: m.end, step: m.step, rateInterval: m.rateInterval, scrapeInterval, families, ...(m.omitted.length > 0 ? { omitted: m.omitted } : {}) };
}

/** The grid of the points, for a file whose own section cannot be trusted. */
export interface HistoryGrid {
  start: number;
  end: number;
  step: number;
  rateInterval: number;
  scrapeInterval: number;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Most points a section may have: what /api/metrics allows for one chart; a file claiming more is damaged. */
export const MAX_HISTORY_POINTS = 1000;

/** Points of a grid whose end lies on its step from the start, or undefined when it does not (or is too long). */
function gridPoints(h: Partial<SnapshotHistory>): number | undefined {
  if (!isNum(h.start) || !isNum(h.end) || !isNum(h.step) || h.step <= 0 || h.end < h.start) return undefined;
  const points = Math.round((h.end - h.start) / h.step) + 1;
  if (points > MAX_HISTORY_POINTS || Math.abs(h.start + (points - 1) * h.step - h.end) > 1e-6) return undefined;
  return points;
}

/** Why a family of a file's section cannot be read, or undefined when it can. */
function familyProblem(f: Partial<SnapshotFamily>, points: number): string | undefined {
  if (!Array.isArray(f.labels) || !f.labels.every((l) => typeof l === 'string')) return 'its label names are not a list of strings';
  if (!Array.isArray(f.series)) return 'its series are not a list';
  for (const [k, s] of f.series.entries()) {
    if (!Array.isArray(s) || !Array.isArray(s[0]) || !Array.isArray(s[1])) return `series ${k} is not [labels, values]`;
    if (s[0].length !== f.labels.length || !s[0].every((v) => typeof v === 'string')) return `series ${k} has ${s[0].length} label values for ${f.labels.length} labels`;
    if (s[1].length !== points || !s[1].every((v) => v === null || isNum(v))) return `series ${k} has ${s[1].length} values for ${points} points, or values that are not numbers`;
  }
  return undefined;
}

/**
 * Reads a file's charts section. A damaged family is left out (and said so), a damaged section keeps only the
 * reason on `fallback`'s grid: the inventory and graph of the file are still good. So does a section of more than
 * `maxSeries` series: the charts are the part of a bundle that can be dropped.
 */
export function decodeHistory(raw: unknown, fallback: HistoryGrid | undefined, maxSeries = Number.POSITIVE_INFINITY): SnapshotHistory | undefined {
  const h = raw as Partial<SnapshotHistory> | null;
  const points = typeof h === 'object' && h !== null ? gridPoints(h) : undefined;
  const without = (reason: string) => (fallback ? { ...fallback, families: {}, omitted: [{ families: [...CHART_FAMILIES], reason }] } : undefined);
  if (points === undefined || !isNum(h!.rateInterval) || !isNum(h!.scrapeInterval) || typeof h!.families !== 'object' || h!.families === null) {
    return without("the file's charts section is damaged");
  }
  const series = CHART_FAMILIES.reduce((n, f) => {
    const list = (h!.families as Record<string, Partial<SnapshotFamily> | undefined>)[f]?.series;
    return n + (Array.isArray(list) ? list.length : 0);
  }, 0);
  if (series > maxSeries) {
    const grid = { start: h!.start!, end: h!.end!, step: h!.step!, rateInterval: h!.rateInterval!, scrapeInterval: h!.scrapeInterval! };
    return { ...grid, families: {}, omitted: [{ families: [...CHART_FAMILIES], reason: `the file's charts section holds ${series.toLocaleString('en-US')} series, more than the ${maxSeries.toLocaleString('en-US')} Meshlens opens` }] };
  }
  const families: SnapshotHistory['families'] = {};
  const omitted: MatrixOmission[] = Array.isArray(h!.omitted) ? h!.omitted.filter((o) => Array.isArray(o?.families) && typeof o.reason === 'string') : [];
  for (const family of CHART_FAMILIES) {
    const f = (h!.families as Record<string, Partial<SnapshotFamily> | undefined>)[family];
    if (f === undefined) continue;
    const problem = typeof f === 'object' && f !== null ? familyProblem(f, points) : 'it is not an object';
    if (problem) omitted.push({ families: [family], reason: `the file's ${family} section is damaged (${problem})` });
    else families[family] = f as SnapshotFamily;
  }
  return { start: h!.start!, end: h!.end!, step: h!.step!, rateInterval: h!.rateInterval!, scrapeInterval: h!.scrapeInterval!, families, ...(omitted.length > 0 ? { omitted } : {}) };
}

/** The section back as a matrix (label sets as objects), to answer charts from. */
export function historyMatrix(h: SnapshotHistory): TelemetryMatrix {
  const families: TelemetryMatrix['families'] = {};
  for (const family of CHART_FAMILIES) {
    const f = h.families[family];
    if (!f) continue;
    families[family] = f.series.map(([labelValues, values]): FamilySeries => {
      const metric: Record<string, string> = {};
      f.labels.forEach((l, k) => { if (labelValues[k] !== '') metric[l] = labelValues[k]!; });
      return { metric, values };
    });
  }
  return { start: h.start, end: h.end, step: h.step, rateInterval: h.rateInterval, timestamps: stepTimestamps(h.start, h.end, h.step), families, omitted: h.omitted ?? [], warnings: [] };
}

/** `10m`, `1h`, `1h30m`, `45s`. */
export function durationLabel(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}

/**
 * Windows as `03:47:00–03:57:00 UTC`; with dates (`2026-11-21 03:47:00–…`) when the times shown together fall on
 * more than one day, so two windows are never told apart by the time of day alone.
 */
export function utcWindows(...windows: Array<[number, number]>): string[] {
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const days = new Set(windows.flat().map((t) => iso(t).slice(0, 10)));
  const at = (t: number) => (days.size > 1 ? iso(t).slice(0, 19).replace('T', ' ') : iso(t).slice(11, 19));
  return windows.map(([a, b]) => `${at(a)}–${at(b)} UTC`);
}

const FAMILY_WORDS: Record<ChartFamily, string> = {
  istio_requests_total: 'request rates and errors',
  istio_request_duration_milliseconds_bucket: 'response times (p50/p95/p99)',
  istio_tcp_received_bytes_total: 'TCP bytes',
  istio_tcp_sent_bytes_total: 'TCP bytes',
};

/** "This snapshot did not record response times (p50/p95/p99): <reason>." */
export function omissionWarning(o: MatrixOmission): string {
  const what = CHART_FAMILIES.every((f) => o.families.includes(f)) ? 'charts over time' : [...new Set(o.families.map((f) => FAMILY_WORDS[f] ?? f))].join(' and ');
  return `This snapshot did not record ${what}: ${o.reason}.`;
}

function* valuesAt(series: FamilySeries[], j: number): Iterable<ChartSample> {
  for (const s of series) {
    const value = s.values[j];
    if (value !== null && value !== undefined) yield { metric: s.metric, value };
  }
}

/**
 * A chart's points from the recorded matrix: each asked timestamp takes the recorded point at or nearest before
 * it; timestamps outside the recorded points have no data, and the warnings say what the snapshot holds.
 */
export function historyRange(m: TelemetryMatrix | undefined, q: TelemetryRangeQuery): TelemetryRangePoints {
  const points = emptyPoints(stepTimestamps(q.start, q.end, q.step));
  if (!m) {
    points.warnings.push('This snapshot has no charts over time: the Meshlens that took it did not record them; take a new snapshot to get them.');
    return points;
  }
  points.warnings.push(...m.warnings, ...m.omitted.map(omissionWarning));
  // Filter once: a chart reads a handful of the mesh's series at every point.
  const selected: Partial<Record<ChartFamily, FamilySeries[]>> = {};
  for (const family of CHART_FAMILIES) {
    const list = m.families[family]?.filter((s) => matchesAll(s.metric, q.matchers));
    if (list && list.length > 0) selected[family] = list;
  }
  const recorded = new Set(CHART_FAMILIES.flatMap((f) => (m.families[f] ?? []).flatMap((s) => Object.keys(s.metric))));
  const unknown = [...new Set(q.matchers.map((x) => x.label))].filter((l) => !recorded.has(l) && recorded.size > 0);
  if (unknown.length > 0) points.warnings.push(`This snapshot did not record the label${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which this chart selects on: it may miss series.`);
  if (q.rateInterval !== m.rateInterval) points.warnings.push(`This snapshot recorded rates over ${m.rateInterval} s; the charts show those in place of rates over ${q.rateInterval} s.`);
  let outside = false;
  points.timestamps.forEach((t, i) => {
    if (t < m.start - 1e-9 || t > m.end + 1e-9) {
      outside = true;
      return;
    }
    const j = Math.floor((t - m.start) / m.step + 1e-9);
    const at: ChartSamples = {};
    for (const family of CHART_FAMILIES) if (selected[family]) at[family] = valuesAt(selected[family]!, j);
    sumChartSamples(points, i, at, []);
  });
  if (outside) points.warnings.push(`This snapshot recorded only ${utcWindows([m.start, m.end])[0]}; the charts have no data outside it.`);
  return points;
}

