/**
 * Scrape interval and retention, asked from Prometheus' status endpoints when they answer (Prometheus does;
 * Thanos, Mimir and gateways often refuse): `/api/v1/status/runtimeinfo` (storageRetention), then
 * `/api/v1/status/flags` (storage.tsdb.retention.time), and `/api/v1/status/config` (global.scrape_interval).
 */
import type { TelemetryTimeInfo } from '../telemetry-range.js';
import type { PrometheusClient } from './client.js';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Parses a Prometheus duration (`15s`, `1h30m`, `30d`) into seconds; undefined when it is not one or is 0. */
export function parsePromDuration(text: string): number | undefined {
  const t = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(t)) return undefined;
  let total = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNITS[unit!]!;
  return total > 0 ? total : undefined;
}

/** `global.scrape_interval` from the config YAML Prometheus serves (defaults to 1m when the config leaves it out, as Prometheus does). */
export function scrapeIntervalFromConfig(yaml: string): number | undefined {
  const global = /^global:\s*\n((?:[ \t]+.*\n?)*)/m.exec(yaml);
  const m = global ? /^\s+scrape_interval:\s*(\S+)/m.exec(global[1]!) : null;
  return m ? parsePromDuration(m[1]!.replace(/['"]/g, '')) : undefined;
}

/** Reads what Prometheus permits; every refusal becomes a note and a default, never an error. */
export async function readTimeInfo(client: PrometheusClient, defaults = { scrapeInterval: 15 }): Promise<TelemetryTimeInfo> {
  const notes: string[] = [];
  let retention: number | undefined;
  let scrapeInterval: number | undefined;
  const ask = async <T>(path: string): Promise<T | undefined> => {
    try {
      return (await client.get<T>(path)).data;
    } catch (e) {
      notes.push(`${path}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const [runtime, flags, config] = await Promise.all([
    ask<{ storageRetention?: string }>('/api/v1/status/runtimeinfo'),
    ask<Record<string, string>>('/api/v1/status/flags'),
    ask<{ yaml?: string }>('/api/v1/status/config'),
  ]);
  // runtimeinfo says "15d" or "30d or 10GiB"; the size part cannot be turned into time.
  const fromRuntime = runtime?.storageRetention?.split(/\s+or\s+/)[0];
  retention = fromRuntime ? parsePromDuration(fromRuntime) : undefined;
  if (retention === undefined && flags) retention = parsePromDuration(flags['storage.tsdb.retention.time'] ?? '') ?? parsePromDuration(flags['storage.tsdb.retention'] ?? '');
  if (retention === undefined) notes.push('retention unknown: durations are not limited by it');
  if (config?.yaml) scrapeInterval = scrapeIntervalFromConfig(config.yaml) ?? 60;
  if (scrapeInterval === undefined) {
    scrapeInterval = defaults.scrapeInterval;
    notes.push(`scrape interval unknown: assuming ${scrapeInterval} s`);
  }
  return { scrapeInterval, ...(retention !== undefined ? { retention } : {}), notes };
}
