/**
 * A real Prometheus (Debian's /usr/bin/prometheus, on loopback, with its own data directory) holding the demo
 * simulator's history, backfilled from OpenMetrics as `meshlens demo export-metrics` writes it: the Prometheus
 * integration tests compare what Meshlens reads from it with what the simulator says.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { counterSetOf, writeOpenMetrics, type Simulator } from '@meshlens/demo';
import { startLocalPrometheus, type LocalPrometheus } from '@meshlens/sources';

export interface DemoPrometheus {
  prometheus: LocalPrometheus;
  /** Stops Prometheus and removes its files. */
  stop(): Promise<void>;
}

/** Starts Prometheus with the simulator's counters from `end − hours` to `end`, one sample every `interval` seconds. */
export async function startDemoPrometheus(simulator: Simulator, window: { end: number; hours: number; interval: number }): Promise<DemoPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'meshlens-om-'));
  try {
    const file = join(dir, 'demo.om');
    const out = createWriteStream(file);
    await writeOpenMetrics(counterSetOf(simulator), { start: window.end - window.hours * 3600, end: window.end, interval: window.interval }, (c) => (out.write(c) ? undefined : once(out, 'drain').then(() => undefined)));
    out.end();
    await once(out, 'finish');
    const prometheus = await startLocalPrometheus({ openMetricsFile: file, scrapeInterval: `${window.interval}s` });
    return {
      prometheus,
      stop: async () => {
        await prometheus.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
