/** Sources whose inventory is loaded once: manifest files, and the bundled demo mesh. */
import { buildInventory, type Inventory } from '@meshlens/mesh';
import type { SourceStatus } from '@meshlens/model';
import { createDemoLogs, createSimulator, DemoLogError, loadDemoManifests, loadTrafficModel, type DemoLogs, type Simulator } from '@meshlens/demo';
import { loadManifestPaths, loadManifestTexts, type LoadedManifests } from './files.js';
import { noTelemetry, PodLogError, type MeshSource, type PodLogQuery, type PodLogStream, type TelemetryProvider } from './source.js';
import { simulatedMatrix, simulatedRange } from './simulated-range.js';

function staticSource(name: string, kind: SourceStatus['kind'], loaded: LoadedManifests, telemetry: TelemetryProvider, inventory?: Inventory): MeshSource {
  const inv = inventory ?? buildInventory(loaded.objects, loaded.errors);
  return {
    name,
    kind,
    inventory: () => inv,
    telemetry,
    status: () => ({ name, kind, state: 'ready', objects: inv.objects.length, errors: inv.errors, telemetry: { kind: telemetry.kind, url: telemetry.url } }),
  };
}

/** A source over manifest files or directories; telemetry from the given provider (none by default). */
export async function createFileSource(paths: string[], telemetry: TelemetryProvider = noTelemetry): Promise<MeshSource> {
  const loaded = await loadManifestPaths(paths);
  return staticSource(paths.join(', '), 'files', loaded, telemetry);
}

/** How often a followed demo log looks for new lines, ms. */
const DEMO_FOLLOW_INTERVAL_MS = 1000;

/** A followed or plain demo log: the simulator's lines up to now, then (with follow) the new ones each second. */
function demoPodLogs(logs: () => DemoLogs, now: () => number, q: PodLogQuery): Promise<PodLogStream> {
  const to = now();
  const read = (from: number, until: number, tailLines?: number) => {
    try {
      return logs().read({ namespace: q.namespace, pod: q.pod, container: q.container, from, to: until, tailLines });
    } catch (e) {
      if (e instanceof DemoLogError) throw new PodLogError(e.reason === 'choose' ? 400 : 404, e.message);
      throw e;
    }
  };
  let first: { container: string; lines: string[] };
  try {
    first = read(q.sinceSeconds !== undefined ? to - q.sinceSeconds : -Infinity, to, q.tailLines);
  } catch (e) {
    return Promise.reject(e);
  }
  async function* lines(): AsyncGenerator<string> {
    yield* first.lines;
    if (!q.follow) return;
    let last = to;
    while (!q.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DEMO_FOLLOW_INTERVAL_MS);
        q.signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
      if (q.signal?.aborted) return;
      const until = now();
      yield* read(last, until).lines;
      last = until;
    }
  }
  return Promise.resolve({ container: first.container, lines: lines() });
}

/** The bundled demo mesh with simulated telemetry, deterministic from the seed. `now` (unix seconds) is the logs' clock. */
export function createDemoSource(options: { seed?: number; now?: () => number } = {}): MeshSource & { simulator: Simulator } {
  const loaded = loadManifestTexts(loadDemoManifests(), 'demo');
  const inv = buildInventory(loaded.objects, loaded.errors);
  const model = loadTrafficModel();
  const seed = options.seed ?? 1;
  const simulator = createSimulator(inv, model, { seed });
  let logs: DemoLogs | undefined;
  const demoLogs = () => (logs ??= createDemoLogs(inv, model, simulator, seed));
  const now = options.now ?? (() => Date.now() / 1000);
  const telemetry: TelemetryProvider = {
    kind: 'simulator',
    async samples({ queryTime, duration }) {
      return simulator.samplesAt(queryTime, duration);
    },
    async range(query) {
      return simulatedRange(simulator, query);
    },
    async rangeMatrix(query) {
      return simulatedMatrix(simulator, query);
    },
    // The simulator's counters exist at any time: no retention; 15 s is Prometheus' usual scrape interval.
    async timeInfo() {
      return { scrapeInterval: 15, notes: ['demo mode: the simulator answers any time window'] };
    },
  };
  // The demo opens on Bookinfo's request routing: small, readable, and every part of the graph shows.
  return {
    ...staticSource('Demo mesh', 'demo', loaded, telemetry, inv),
    defaultNamespaces: ['bookinfo-routing'],
    simulator,
    podLogs: (q) => demoPodLogs(demoLogs, now, q),
    podStatus: (pod, at) => demoLogs().podStatus(pod, at),
  };
}
