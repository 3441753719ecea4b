/** Telemetry from a JSON file of Prometheus vector samples keyed by metric name (`meshlens graph --samples`). */
import { readFile } from 'node:fs/promises';
import { ISTIO_METRICS, type PromSample, type TelemetrySamples } from '@meshlens/model';
import type { TelemetryProvider } from './source.js';

export class SamplesFileError extends Error {}

/** Reads and checks a samples file; unknown metric names and malformed samples are reported, not ignored. */
export async function readSamplesFile(path: string): Promise<{ samples: TelemetrySamples; warnings: string[] }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SamplesFileError(`${path}: ${code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`}`);
  }
  return parseSamples(raw, path);
}

/** Checks a parsed samples document: `{ "<metric>": [{metric:{…}, value:[ts,"v"]}] }`. */
export function parseSamples(raw: unknown, origin = 'samples'): { samples: TelemetrySamples; warnings: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SamplesFileError(`${origin}: expected an object keyed by metric name, e.g. {"istio_requests_total": [...]}`);
  }
  const samples: TelemetrySamples = {};
  const warnings: string[] = [];
  for (const [name, list] of Object.entries(raw as Record<string, unknown>)) {
    const known = (ISTIO_METRICS as string[]).includes(name) || name.startsWith('istio_request_duration_milliseconds');
    if (!known) {
      warnings.push(`${origin}: metric "${name}" is not an Istio metric Meshlens reads; ignored`);
      continue;
    }
    if (!Array.isArray(list)) {
      warnings.push(`${origin}: "${name}" is not a list of samples; ignored`);
      continue;
    }
    const good: PromSample[] = [];
    list.forEach((s, i) => {
      const sample = s as Partial<PromSample>;
      const v = sample?.value;
      if (typeof sample?.metric !== 'object' || sample.metric === null || !Array.isArray(v) || v.length !== 2 || Number.isNaN(Number(v[1]))) {
        warnings.push(`${origin}: ${name}[${i}] is not a sample {metric:{…}, value:[ts,"v"]}; skipped`);
        return;
      }
      good.push({ metric: sample.metric as Record<string, string>, value: [Number(v[0]), String(v[1])] });
    });
    (samples as Record<string, PromSample[]>)[name] = good;
  }
  return { samples, warnings };
}

/** A provider that always answers with the same samples. */
export function staticTelemetry(samples: TelemetrySamples, url?: string): TelemetryProvider {
  return { kind: 'samples', url, async samples() { return samples; } };
}
