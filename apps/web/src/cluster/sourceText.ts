/**
 * The header's status line for live clusters: which context, and which Prometheus it reads ("cluster prod ·
 * Prometheus http://prometheus.istio-system:9090 (via API server proxy)"). Other sources keep the wording of
 * api/sourceStatus.ts. URLs are shown without credentials, query or fragment: they may carry secrets.
 */
import type { HealthResponse, SourceStatus } from '@meshlens/model';
import { describeSources } from '../api/sourceStatus';

const PROXY_PATH = /\/api\/v1\/namespaces\/([^/]+)\/services\/(?:(https?):)?([^/:]+)(?::([^/]+))?\/proxy\/?$/;

/** A Prometheus URL as a person should see it: the in-cluster Service behind an API-server proxy path, never userinfo. */
export function displayTelemetryUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL: show nothing rather than something that might hold a password.
    return '(URL not shown)';
  }
  // `user:pw@host` parses as a URL of scheme "user:": only http(s) is a Prometheus address worth showing.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '(URL not shown)';
  const proxy = PROXY_PATH.exec(url.pathname);
  if (proxy) {
    const [, namespace, scheme, name, port] = proxy;
    const target = `${scheme ?? 'http'}://${decodeURIComponent(name!)}.${decodeURIComponent(namespace!)}${port ? `:${decodeURIComponent(port)}` : ''}`;
    return `${target} (via API server proxy)`;
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/$/, '');
}

function telemetryText(source: SourceStatus): string {
  const t = source.telemetry;
  if (t.kind === 'prometheus') return t.url ? `Prometheus ${displayTelemetryUrl(t.url)}` : 'Prometheus telemetry';
  if (t.kind === 'none') return 'no telemetry (configured topology only)';
  return t.kind === 'simulator' ? 'simulated telemetry' : 'recorded telemetry';
}

function describeLive(source: SourceStatus): string {
  const parts = [`cluster ${source.cluster ?? source.name}`, telemetryText(source)];
  if (source.state !== 'ready') parts.push(source.state);
  else if (source.connected === false) parts.push('reconnecting');
  return parts.join(' · ');
}

/** The whole status line: live clusters described here, every other source as api/sourceStatus.ts does. */
export function describeHealth(health: HealthResponse): string {
  if (!health.sources.some((s) => s.kind === 'kubernetes')) return describeSources(health);
  const parts = health.sources.map((s) => (s.kind === 'kubernetes' ? describeLive(s) : describeSources({ ...health, status: 'ok', sources: [s] })));
  return parts.join(' | ') + (health.status === 'degraded' ? ' · degraded' : '');
}
