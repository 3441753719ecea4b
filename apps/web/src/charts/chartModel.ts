/**
 * From a `/api/metrics` answer to the charts the side panel draws: titles, colours, and the text alternative
 * (a one-sentence summary for `aria-label`, and per-series average / peak / latest for a table).
 */
import type { MetricChart, MetricSeries, MetricSeriesId, MetricsResponse } from '@meshlens/model';
import { formatBytesPerSecond, formatMs, formatPercent, formatRps } from '../format/units';

export const CHART_ORDER: MetricChart[] = ['requests', 'errors', 'latency', 'tcp'];

export const CHART_TITLES: Record<MetricChart, string> = {
  requests: 'Request rate',
  errors: 'Error rate',
  latency: 'Response time',
  tcp: 'TCP throughput',
};

/** Colours readable on white (≥ 3:1 against it) and telling the classes apart as the graph's edges do. */
export const SERIES_COLORS: Record<MetricSeriesId, string> = {
  'requests.2xx': '#2e7d32',
  'requests.3xx': '#0b57d0',
  'requests.4xx': '#b45309',
  'requests.5xx': '#c62828',
  'requests.noResponse': '#6b21a8',
  'errors.percent': '#c62828',
  'latency.p50': '#0b57d0',
  'latency.p95': '#b45309',
  'latency.p99': '#c62828',
  'tcp.sent': '#0b57d0',
  'tcp.received': '#2e7d32',
};

/** The same series on the dark theme's panel (#181e27): each keeps >= 3:1 against it. */
export const SERIES_COLORS_DARK: Record<MetricSeriesId, string> = {
  'requests.2xx': '#6cc070',
  'requests.3xx': '#8ab4ff',
  'requests.4xx': '#f0a04b',
  'requests.5xx': '#ff7b72',
  'requests.noResponse': '#c39bff',
  'errors.percent': '#ff7b72',
  'latency.p50': '#8ab4ff',
  'latency.p95': '#f0a04b',
  'latency.p99': '#ff7b72',
  'tcp.sent': '#8ab4ff',
  'tcp.received': '#6cc070',
};

/** Formats a value in a series' unit, as elsewhere in the UI. */
export function formatValue(unit: MetricSeries['unit'], value: number): string {
  switch (unit) {
    case 'req/s':
      return formatRps(value);
    case '%':
      return formatPercent(value);
    case 'ms':
      return formatMs(value);
    case 'B/s':
      return formatBytesPerSecond(value);
  }
}

export interface SeriesStats {
  id: MetricSeriesId;
  label: string;
  color: string;
  average: string;
  peak: string;
  latest: string;
}

export interface ChartModel {
  chart: MetricChart;
  title: string;
  unit: MetricSeries['unit'];
  series: MetricSeries[];
  stats: SeriesStats[];
  /** One sentence for screen readers: `Request rate over the 10m window: 2xx average 12 rps, peak 14 rps, latest 13 rps; …`. */
  summary: string;
}

function stats(s: MetricSeries): SeriesStats {
  const values = s.values.filter((v): v is number => v !== null && Number.isFinite(v));
  const average = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const peak = values.reduce((a, b) => Math.max(a, b), 0);
  const latest = values[values.length - 1] ?? 0;
  return { id: s.id, label: s.label, color: SERIES_COLORS[s.id], average: formatValue(s.unit, average), peak: formatValue(s.unit, peak), latest: formatValue(s.unit, latest) };
}

/**
 * The charts to draw, in a fixed order, leaving out charts with no series (an HTTP-only node has no TCP chart)
 * and, when `only` is given, charts that do not fit (a TCP edge has no request rate).
 */
export function chartModels(response: MetricsResponse, windowText: string, only?: MetricChart[]): ChartModel[] {
  return CHART_ORDER.filter((chart) => !only || only.includes(chart)).flatMap((chart) => {
    const series = response.series.filter((s) => s.chart === chart && s.values.some((v) => v !== null));
    if (series.length === 0) return [];
    const st = series.map(stats);
    const title = CHART_TITLES[chart];
    const summary = `${title} over ${windowText}: ${st.map((s) => `${s.label} average ${s.average}, peak ${s.peak}, latest ${s.latest}`).join('; ')}.`;
    return [{ chart, title, unit: series[0]!.unit, series, stats: st, summary }];
  });
}
