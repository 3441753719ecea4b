/**
 * The simulator's counters as text a real Prometheus reads:
 * - OpenMetrics with timestamps, for `promtool tsdb create-blocks-from openmetrics` (backfill);
 * - the Prometheus text exposition format (0.0.4), for a `/metrics` endpoint Prometheus scrapes.
 *
 * Istio's families: `istio_requests` and `istio_tcp_*_bytes` are counters (samples end in `_total`), and
 * `istio_request_duration_milliseconds`, `istio_request_bytes`, `istio_response_bytes` are histograms. The
 * simulator keeps only `_sum` of the byte histograms; their `_count` and `+Inf` bucket are the request count
 * of the same series, so the histograms stay well-formed.
 */

/** A counter series: the sample name as Prometheus stores it (`istio_requests_total`, `…_bucket`) and its labels. */
export interface CounterSeries {
  metric: string;
  labels: Record<string, string>;
}

/** Counters whose values can be read at any time. `valuesAt` returns one value per `series` entry, in order. */
export interface CounterSet {
  series: CounterSeries[];
  valuesAt(time: number): number[];
}

interface Family {
  name: string;
  type: 'counter' | 'histogram';
  help: string;
}

const FAMILIES: Record<string, Family> = {
  istio_requests_total: { name: 'istio_requests', type: 'counter', help: 'Requests, by source and destination (Istio standard metric).' },
  istio_tcp_sent_bytes_total: { name: 'istio_tcp_sent_bytes', type: 'counter', help: 'Bytes sent by the server during TCP connections.' },
  istio_tcp_received_bytes_total: { name: 'istio_tcp_received_bytes', type: 'counter', help: 'Bytes received by the server during TCP connections.' },
  istio_tcp_connections_opened_total: { name: 'istio_tcp_connections_opened', type: 'counter', help: 'TCP connections opened.' },
  istio_tcp_connections_closed_total: { name: 'istio_tcp_connections_closed', type: 'counter', help: 'TCP connections closed.' },
  istio_request_messages_total: { name: 'istio_request_messages', type: 'counter', help: 'gRPC messages sent by the client.' },
  istio_response_messages_total: { name: 'istio_response_messages', type: 'counter', help: 'gRPC messages sent by the server.' },
};

function familyOf(metric: string): Family | undefined {
  const direct = FAMILIES[metric];
  if (direct) return direct;
  const m = /^(istio_request_duration_milliseconds|istio_request_bytes|istio_response_bytes)_(bucket|sum|count)$/.exec(metric);
  return m ? { name: m[1]!, type: 'histogram', help: `${m[1]} histogram (Istio standard metric).` } : undefined;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** Key of a label set without `le`, to pair histogram parts and byte sums with their request counts. */
function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels).filter((k) => k !== 'le').sort().map((k) => `${k}=${labels[k]}`).join('\u0000');
}

/** A series as written: its family, the sample name, the label text, and how to read its value from the counter values. */
interface OutSeries {
  family: Family;
  sample: string;
  labels: string;
  /** Index of the counter value in `valuesAt`; -1 never occurs. */
  source: number;
}

/** Lays out every series by family, adding `_count` and `+Inf` for byte histograms the simulator keeps only `_sum` of. */
function layout(set: CounterSet): Map<string, OutSeries[]> {
  const requestIndex = new Map<string, number>();
  set.series.forEach((s, i) => { if (s.metric === 'istio_requests_total') requestIndex.set(seriesKey(s.labels), i); });
  const byFamily = new Map<string, OutSeries[]>();
  const add = (family: Family, sample: string, labels: Record<string, string>, source: number) => {
    let list = byFamily.get(family.name);
    if (!list) byFamily.set(family.name, (list = []));
    list.push({ family, sample, labels: labelText(labels), source });
  };
  const hasCount = new Set(set.series.filter((s) => s.metric.endsWith('_count')).map((s) => `${s.metric}|${seriesKey(s.labels)}`));
  set.series.forEach((s, i) => {
    const family = familyOf(s.metric);
    if (!family) return;
    add(family, s.metric, s.labels, i);
    const bytes = /^(istio_request_bytes|istio_response_bytes)_sum$/.exec(s.metric);
    if (bytes && !hasCount.has(`${bytes[1]}_count|${seriesKey(s.labels)}`)) {
      const count = requestIndex.get(seriesKey(s.labels));
      if (count === undefined) return;
      add(family, `${bytes[1]}_bucket`, { ...s.labels, le: '+Inf' }, count);
      add(family, `${bytes[1]}_count`, s.labels, count);
    }
  });
  return byFamily;
}

function header(f: Family, openMetrics: boolean): string {
  // OpenMetrics names the counter family without `_total`; the 0.0.4 text format names it with.
  const name = f.type === 'counter' && !openMetrics ? `${f.name}_total` : f.name;
  return `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export interface OpenMetricsRange {
  /** First and last sample time, unix seconds. */
  start: number;
  end: number;
  /** Seconds between samples (a scrape interval). */
  interval: number;
}

/**
 * Writes OpenMetrics with timestamps for backfill: every series' samples together and in time order (what
 * promtool's block writer needs), families one after the other, `# EOF` last. `write` may return a promise
 * (a file stream's backpressure).
 */
export async function writeOpenMetrics(set: CounterSet, range: OpenMetricsRange, write: (chunk: string) => void | Promise<void>): Promise<{ series: number; samples: number }> {
  const times: number[] = [];
  for (let t = range.start; t <= range.end; t += range.interval) times.push(t);
  const values = times.map((t) => set.valuesAt(t));
  const families = layout(set);
  let series = 0;
  let samples = 0;
  for (const list of families.values()) {
    await write(header(list[0]!.family, true));
    let chunk = '';
    for (const s of list) {
      series++;
      const prefix = `${s.sample}${s.labels} `;
      for (let i = 0; i < times.length; i++) {
        chunk += `${prefix}${formatValue(values[i]![s.source]!)} ${times[i]}\n`;
        samples++;
      }
      if (chunk.length > 1 << 20) {
        await write(chunk);
        chunk = '';
      }
    }
    if (chunk) await write(chunk);
  }
  await write('# EOF\n');
  return { series, samples };
}

/** The counters at `time` in the Prometheus text exposition format (0.0.4), for a scraped `/metrics`. */
export function prometheusText(set: CounterSet, time: number): string {
  const values = set.valuesAt(time);
  const out: string[] = [];
  for (const list of layout(set).values()) {
    out.push(header(list[0]!.family, false));
    for (const s of list) out.push(`${s.sample}${s.labels} ${formatValue(values[s.source]!)}\n`);
  }
  return out.join('');
}

/**
 * Adapts a simulator (or anything with `countersAt`) to a CounterSet. Series are fixed at creation.
 *
 * The simulator's counters are floating-point integrals: a counter that barely moves can dip by a rounding
 * error. Prometheus reads any dip as a counter reset and adds the whole value to `rate()`, so values read in
 * ascending time are kept monotonic (the running maximum), as a real proxy's counters are.
 */
export function counterSetOf(sim: { countersAt(time: number): Array<{ metric: string; labels: Record<string, string>; value: number }> }): CounterSet {
  const series = sim.countersAt(0).map((c) => ({ metric: c.metric, labels: c.labels }));
  let last: number[] | undefined;
  let lastTime = -Infinity;
  return {
    series,
    valuesAt(t) {
      const values = sim.countersAt(t).map((c) => c.value);
      if (last && t >= lastTime) for (let i = 0; i < values.length; i++) if (values[i]! < last[i]!) values[i] = last[i]!;
      if (t >= lastTime) {
        last = values;
        lastTime = t;
      }
      return values;
    },
  };
}
