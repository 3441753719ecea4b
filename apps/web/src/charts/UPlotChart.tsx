/**
 * One uPlot chart as a React component: creates the uPlot instance on mount (and again when the theme changes),
 * destroys it on unmount, feeds it new data in place (no flicker during a replay), and follows the panel's width
 * with a ResizeObserver. The legend shows each series' latest value, and the values at the pointer's time while the
 * pointer is over the chart (the time row only then, instead of "Time: –").
 * The canvas is an image to assistive technology: `aria-label` carries the summary and a visually hidden
 * table the numbers.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Theme } from '../theme/theme';
import { useTheme } from '../theme/themeStore';
import type { ChartModel } from './chartModel';
import { formatValue, SERIES_COLORS, SERIES_COLORS_DARK } from './chartModel';

interface Props {
  model: ChartModel;
  timestamps: number[];
  height?: number;
}

const AXIS_COLORS: Record<Theme, { text: string; grid: string; ticks: string }> = {
  light: { text: '#4b5563', grid: '#e5e7eb', ticks: '#d6d9de' },
  dark: { text: '#aab4c2', grid: '#2b3440', ticks: '#38434f' },
};

/** The last value that is not a gap. */
function latest(values: ArrayLike<number | null | undefined>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function options(model: ChartModel, width: number, height: number, theme: Theme): uPlot.Options {
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'no data' : formatValue(model.unit, v));
  const colors = AXIS_COLORS[theme];
  const seriesColors = theme === 'dark' ? SERIES_COLORS_DARK : SERIES_COLORS;
  const axis = {
    stroke: colors.text,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.ticks, width: 1 },
    font: '11px sans-serif',
  };
  return {
    width,
    height,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { show: true, live: true },
    scales: {
      x: { time: true },
      // Rates, percentages and latencies start at zero: a baseline that moves would exaggerate small changes.
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      {
        ...axis,
        // One line per tick (uPlot's default adds a date line): the date only when the window spans days.
        size: 28,
        space: 60,
        values: (u, splits) => {
          const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
          return splits.map((t) =>
            span > 2 * 86400
              ? new Date(t * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })
              : new Date(t * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
          );
        },
      },
      { ...axis, size: 62, space: 24, values: (_u, splits) => splits.map((v) => formatValue(model.unit, v)) },
    ],
    series: [
      { label: 'At', value: (_u, v) => (v === null ? '' : new Date(v * 1000).toLocaleTimeString()) },
      ...model.series.map((s) => ({
        label: s.label,
        stroke: seriesColors[s.id] ?? colors.text,
        width: 1.5,
        points: { show: false },
        // A gap (no traffic or no scrape) stays a gap rather than a line through a false value.
        spanGaps: false,
        // The pointer's value over the chart; otherwise the latest, so the legend always says something true.
        value: (u: uPlot, v: number | null, sidx: number, idx: number | null) =>
          idx === null ? `${fmt(latest(u.data[sidx] ?? []))} latest` : fmt(v),
      })),
    ],
    hooks: {
      // The time row means something only while the pointer is over the chart.
      setLegend: [(u) => u.root.classList.toggle('chart-cursor-off', u.cursor.idx === null || u.cursor.idx === undefined)],
    },
  };
}

export function UPlotChart({ model, timestamps, height = 130 }: Props) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { theme } = useTheme();
  const data: uPlot.AlignedData = [timestamps, ...model.series.map((s) => s.values)];
  // Recreate only when the set of series (or the theme) changes; new values for the same series go through setData.
  const shape = `${model.chart}:${model.series.map((s) => s.id).join(',')}`;
  const latestData = useRef(data);
  latestData.current = data;

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const u = new uPlot(options(model, Math.max(160, el.clientWidth), height, theme), latestData.current, el);
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const width = Math.max(160, el.clientWidth);
      if (width !== u.width) u.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // `model` is read once per shape on purpose: its values are fed below without rebuilding the chart.
  }, [shape, height, theme]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <figure className="chart" data-testid={`chart-${model.chart}`}>
      <figcaption className="chart-title">{model.title}</figcaption>
      <div ref={holder} className="chart-plot" role="img" aria-label={model.summary} />
      <table className="visually-hidden">
        <caption>{`${model.title}: average, peak and latest value per series`}</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Average</th>
            <th scope="col">Peak</th>
            <th scope="col">Latest</th>
          </tr>
        </thead>
        <tbody>
          {model.stats.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.label}</th>
              <td>{s.average}</td>
              <td>{s.peak}</td>
              <td>{s.latest}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
