/** `meshlens serve --prometheus URL` and its auth/TLS options, turned into a Prometheus telemetry provider. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createPrometheusTelemetry, type MeshSource, type PrometheusTelemetry } from '@meshlens/sources';

export interface PrometheusCliOptions {
  prometheus?: string;
  prometheusToken?: string;
  prometheusCa?: string;
  prometheusInsecure?: boolean;
  prometheusHeader?: string[];
  prometheusTimeout: number;
  prometheusMaxSeries: number;
}

function header(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z0-9-]+:\s*\S/.test(value)) throw new InvalidArgumentError('--prometheus-header must be "Name: value", e.g. "X-Scope-OrgID: tenant-a"');
  return [...previous, value];
}

function positive(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0) || n > max) throw new InvalidArgumentError(`${name} must be a number above 0 and at most ${max}`);
    return n;
  };
}

/** Adds the Prometheus options to a command (serve). */
export function addPrometheusOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--prometheus <url>', 'telemetry from this Prometheus-compatible API (Prometheus, Thanos, Mimir, VictoriaMetrics); basic auth as https://user:pass@host').env('MESHLENS_PROMETHEUS_URL'))
    .addOption(new Option('--prometheus-token <token>', 'bearer token sent to Prometheus').env('MESHLENS_PROMETHEUS_TOKEN'))
    .option('--prometheus-ca <file>', 'PEM file of the CA that signed Prometheus\' certificate')
    .option('--prometheus-insecure', 'do not verify Prometheus\' TLS certificate')
    .option('--prometheus-header <header>', 'extra header for Prometheus, "Name: value" (repeatable)', header)
    .addOption(new Option('--prometheus-timeout <seconds>', 'timeout of each Prometheus query').default(10).argParser(positive('--prometheus-timeout', 600)))
    .addOption(new Option('--prometheus-max-series <n>', 'fail a query that returns more series than this; an answer may also take 4 KiB per series (plus 64 bytes per point of a range), 48 MiB at most, and the answers read at once 64 MiB').default(200_000).argParser(positive('--prometheus-max-series', 1e8)));
}

/** The provider for `--prometheus`, or undefined without it. Throws an Error with a sentence for a bad URL. */
export function prometheusTelemetryFrom(opts: PrometheusCliOptions): PrometheusTelemetry | undefined {
  if (!opts.prometheus) {
    const stray = opts.prometheusToken || opts.prometheusCa || opts.prometheusInsecure || opts.prometheusHeader;
    if (stray) throw new Error('--prometheus-token, --prometheus-ca, --prometheus-insecure and --prometheus-header need --prometheus URL');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(opts.prometheus);
  } catch {
    throw new Error(`--prometheus must be a URL such as http://prometheus.istio-system:9090, got "${opts.prometheus}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--prometheus must be an http:// or https:// URL, got "${opts.prometheus}"`);
  // fetch refuses URLs with credentials: move them into an Authorization header.
  const basic = url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined;
  url.username = '';
  url.password = '';
  const headers: Record<string, string> = {};
  for (const h of opts.prometheusHeader ?? []) {
    const i = h.indexOf(':');
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return createPrometheusTelemetry({
    url: url.toString().replace(/\/$/, ''),
    auth: opts.prometheusToken ? { bearerToken: opts.prometheusToken } : basic ? { basic } : undefined,
    caFile: opts.prometheusCa,
    insecure: opts.prometheusInsecure,
    headers,
    timeoutMs: opts.prometheusTimeout * 1000,
    maxSeries: opts.prometheusMaxSeries,
  });
}

/** The same source with its telemetry replaced (the demo inventory over a real Prometheus). */
export function withTelemetry<S extends MeshSource>(source: S, telemetry: PrometheusTelemetry): S {
  return { ...source, telemetry, status: () => ({ ...source.status(), telemetry: { kind: telemetry.kind, url: telemetry.url } }) };
}
