/** The header's one-line description of what the server is looking at. */
import type { HealthResponse, SourceStatus } from '@meshlens/model';

const TELEMETRY_WORDS: Record<SourceStatus['telemetry']['kind'], string> = {
  simulator: 'simulated telemetry',
  prometheus: 'Prometheus telemetry',
  samples: 'recorded telemetry',
  none: 'no telemetry',
};

const KIND_WORDS: Record<SourceStatus['kind'], string> = {
  demo: 'demo',
  files: 'files',
  kubernetes: 'cluster',
  snapshot: 'snapshot',
};

/** "Demo mesh · simulated telemetry"; the source kind is added when the name does not already say it. */
export function describeSources(health: HealthResponse): string {
  const parts = health.sources.map((source) => {
    const kind = KIND_WORDS[source.kind];
    const name = source.name.toLowerCase().includes(kind) ? source.name : `${source.name} (${kind})`;
    const state = source.state === 'ready' ? '' : ` · ${source.state}`;
    return `${name} · ${TELEMETRY_WORDS[source.telemetry.kind]}${state}`;
  });
  if (parts.length === 0) return 'No source loaded';
  return parts.join(' | ') + (health.status === 'degraded' ? ' · degraded' : '');
}
