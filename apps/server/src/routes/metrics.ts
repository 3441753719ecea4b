/**
 * Time and metrics over time:
 * - `GET /api/time-options`: the durations the telemetry can answer (retention, scrape interval);
 * - `GET /api/metrics`: chart series of a node or an edge over a window (Prometheus range queries, or the
 *   simulator at each step) — contract in packages/model/src/metrics.ts;
 * - `GET /metrics` (demo only): the simulator's counters in Prometheus' text format, for a real Prometheus to scrape.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { prometheusText, counterSetOf, type CounterSet, type Simulator } from '@meshlens/demo';
import type { DurationOption, MetricsResponse, TimeOptionsResponse } from '@meshlens/model';
import { durationLabel, metricSeries, MetricsTargetError, rangeGrid, resolveMetricsTarget, type MeshSource, type TelemetryTimeInfo } from '@meshlens/sources';
import { badRequest } from './errors.js';

const DURATIONS: DurationOption[] = [
  { seconds: 60, label: '1m' }, { seconds: 300, label: '5m' }, { seconds: 600, label: '10m' }, { seconds: 1800, label: '30m' },
  { seconds: 3600, label: '1h' }, { seconds: 10800, label: '3h' }, { seconds: 21600, label: '6h' }, { seconds: 43200, label: '12h' },
  { seconds: 86400, label: '1d' }, { seconds: 604800, label: '7d' }, { seconds: 2592000, label: '30d' },
];

/** Durations `rate()` can answer: at least two scrapes inside the window, and within retention; or the only ones with data. */
export function allowedDurations(info: TelemetryTimeInfo): DurationOption[] {
  // A snapshot holds its recorded windows: offering others would only show them in place of what was chosen.
  if (info.durations && info.durations.length > 0) {
    return info.durations.map((seconds) => DURATIONS.find((d) => d.seconds === seconds) ?? { seconds, label: durationLabel(seconds) });
  }
  const ok = DURATIONS.filter((d) => d.seconds >= 2 * info.scrapeInterval && (info.retention === undefined || d.seconds <= info.retention));
  // Never empty: a Prometheus scraping every 10 minutes with 1h retention still gets one choice.
  return ok.length > 0 ? ok : [DURATIONS.find((d) => d.seconds >= 2 * info.scrapeInterval) ?? DURATIONS[DURATIONS.length - 1]!];
}

const name = { type: 'string', minLength: 1, maxLength: 253 } as const;
const MetricsQuerySchema = Type.Object({
  namespace: Type.Optional(Type.String(name)),
  workload: Type.Optional(Type.String(name)),
  app: Type.Optional(Type.String(name)),
  version: Type.Optional(Type.String(name)),
  service: Type.Optional(Type.String(name)),
  direction: Type.Optional(Type.Union([Type.Literal('inbound'), Type.Literal('outbound')])),
  peerNamespace: Type.Optional(Type.String(name)),
  peerWorkload: Type.Optional(Type.String(name)),
  peerApp: Type.Optional(Type.String(name)),
  peerVersion: Type.Optional(Type.String(name)),
  peerService: Type.Optional(Type.String(name)),
  start: Type.Optional(Type.Integer({ minimum: 0, description: 'unix seconds' })),
  end: Type.Optional(Type.Integer({ minimum: 0, description: 'unix seconds' })),
  step: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, description: 'seconds between points' })),
  rateInterval: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86400, description: 'rate() window per point, seconds' })),
}, { additionalProperties: false });

const MAX_POINTS = 1000;
const DEMO_INFO: TelemetryTimeInfo = { scrapeInterval: 15, notes: [] };

/** `simulator`: the demo's, whose counters `GET /metrics` serves (the server's own source's, whatever a request selects). */
export function metricsRoutes(source: MeshSource, simulator?: Simulator): FastifyPluginAsyncTypebox {
  const timeInfo = async (): Promise<TelemetryTimeInfo> => {
    const t = source.telemetry;
    if (!t.timeInfo) return { ...DEMO_INFO, notes: [`telemetry "${t.kind}" has no history: durations are not limited`] };
    return t.timeInfo();
  };

  return async (app) => {
    app.get('/api/time-options', async (): Promise<TimeOptionsResponse> => {
      const info = await timeInfo();
      const durations = allowedDurations(info);
      // A snapshot's "now" is its capture: the time controls then open on the recorded window.
      const now = source.defaultQueryTime ?? Math.floor(Date.now() / 1000);
      const def = durations.find((d) => d.seconds === 600) ?? durations.reduce((a, b) => (Math.abs(b.seconds - 600) < Math.abs(a.seconds - 600) ? b : a));
      return {
        durations,
        defaultDuration: def.seconds,
        now,
        ...(source.defaultQueryTime !== undefined ? { frozen: true } : {}),
        scrapeInterval: info.scrapeInterval,
        ...(info.retention !== undefined ? { retention: info.retention, earliest: now - info.retention } : {}),
        telemetry: source.telemetry.kind,
        notes: info.notes,
      };
    });

    app.get('/api/metrics', { schema: { querystring: MetricsQuerySchema } }, async (req): Promise<MetricsResponse> => {
      const q = req.query;
      let resolved;
      try {
        resolved = resolveMetricsTarget(source.inventory(), q);
      } catch (e) {
        if (e instanceof MetricsTargetError) throw badRequest(`querystring: ${e.message}`);
        throw e;
      }
      const info = await timeInfo().catch(() => DEMO_INFO);
      // As the graph: a snapshot's "now" is the end of its recorded window.
      const end = q.end ?? source.defaultQueryTime ?? Math.floor(Date.now() / 1000);
      const start = q.start ?? end - 600;
      if (start >= end) throw badRequest(`querystring/start: start (${start}) must be before end (${end})`);
      // The start is aligned so every point sits on the step grid ending at `end` (snapshots record this grid).
      const { step, points, start: alignedStart, rateInterval } = rangeGrid(start, end, info.scrapeInterval, { step: q.step, rateInterval: q.rateInterval });
      if (points > MAX_POINTS) throw badRequest(`querystring/step: ${points} points asked, at most ${MAX_POINTS}; use step ≥ ${Math.ceil((end - start) / (MAX_POINTS - 1))}`);
      const base = { target: resolved.target, direction: resolved.direction, ...(resolved.peer ? { peer: resolved.peer } : {}), start: alignedStart, end, step, rateInterval };
      const provider = source.telemetry;
      if (!provider.range) {
        return { ...base, timestamps: [], series: [], warnings: [`Telemetry "${provider.kind}" has no history; start Meshlens with --prometheus URL for charts over time.`] };
      }
      try {
        const result = await provider.range({ matchers: resolved.matchers, start: alignedStart, end, step, rateInterval });
        return { ...base, timestamps: result.timestamps, series: metricSeries(result), ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}) };
      } catch (e) {
        req.log.warn({ err: e }, 'telemetry range query failed');
        return { ...base, timestamps: [], series: [], warnings: [`Charts are unavailable: ${(e as Error).message}.`] };
      }
    });

    if (simulator) {
      let counters: CounterSet | undefined;
      app.get('/metrics', async (_req, reply) => {
        counters ??= counterSetOf(simulator);
        return reply.type('text/plain; version=0.0.4; charset=utf-8').send(prometheusText(counters, Date.now() / 1000));
      });
    }
  };
}
