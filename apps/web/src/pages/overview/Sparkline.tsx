/**
 * A small SVG sparkline of a namespace's inbound request rate (line) and error share (bars under it, in the
 * failure colour) over the window. It is an image with a text alternative that says the same in words.
 */
import type { Sparkline as SparklineData } from '@meshlens/model';
import { formatPercent, formatRps } from '../../format/units';

const WIDTH = 120;
const HEIGHT = 30;

/** Points of the rate line, scaled to the box; gaps (null) break the line. Pure, for the tests. */
export function sparkPaths(values: ReadonlyArray<number | null>, width = WIDTH, height = HEIGHT): string[] {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const paths: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) paths.push(current.join(' '));
      current = [];
      return;
    }
    const x = Math.round(i * step * 10) / 10;
    const y = max > 0 ? Math.round((height - 2 - (v / max) * (height - 4)) * 10) / 10 : height - 2;
    current.push(`${current.length === 0 ? 'M' : 'L'}${x},${y}`);
  });
  if (current.length > 0) paths.push(current.join(' '));
  return paths;
}

export function describeSparkline(data: SparklineData): string {
  const rates = data.requestRate.filter((v): v is number => v !== null);
  const errors = data.errorPercent.filter((v): v is number => v !== null);
  if (rates.length === 0) return 'No requests over the window';
  const peak = Math.max(...rates);
  const last = rates[rates.length - 1]!;
  const worst = errors.length > 0 ? Math.max(...errors) : 0;
  return `Requests over the window: peak ${formatRps(peak)}, last ${formatRps(last)}; errors peak ${formatPercent(worst)}`;
}

export function Sparkline({ data, testId, width = WIDTH }: { data: SparklineData | undefined; testId?: string; width?: number }) {
  if (!data || data.timestamps.length < 2) return <span className="muted small spark-none">no history</span>;
  if (!data.requestRate.some((v) => v !== null && v > 0)) return <span className="muted small spark-none">no requests</span>;
  const label = describeSparkline(data);
  const n = data.errorPercent.length;
  const barWidth = n > 0 ? width / n : 0;
  return (
    <svg className="sparkline" width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={label} data-testid={testId}>
      <title>{label}</title>
      {data.errorPercent.map((e, i) =>
        e !== null && e > 0 ? (
          <rect key={i} className="spark-error" x={i * barWidth} y={HEIGHT - Math.max(2, (Math.min(100, e) / 100) * HEIGHT)} width={Math.max(1, barWidth - 0.5)} height={Math.max(2, (Math.min(100, e) / 100) * HEIGHT)} />
        ) : null,
      )}
      {sparkPaths(data.requestRate, width).map((d, i) => (
        <path key={i} className="spark-rate" d={d} />
      ))}
    </svg>
  );
}
