/** Sources whose inventory is loaded once: manifest files, and the bundled demo mesh. */
import { buildInventory, type Inventory } from '@meshlens/mesh';
import type { SourceStatus } from '@meshlens/model';
import { createSimulator, loadDemoManifests, loadTrafficModel, type Simulator } from '@meshlens/demo';
import { loadManifestPaths, loadManifestTexts, type LoadedManifests } from './files.js';
import { noTelemetry, type MeshSource, type TelemetryProvider } from './source.js';
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

/** The bundled demo mesh with simulated telemetry, deterministic from the seed. */
export function createDemoSource(options: { seed?: number } = {}): MeshSource & { simulator: Simulator } {
  const loaded = loadManifestTexts(loadDemoManifests(), 'demo');
  const inv = buildInventory(loaded.objects, loaded.errors);
  const model = loadTrafficModel();
  const simulator = createSimulator(inv, model, { seed: options.seed ?? 1 });
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
  return { ...staticSource('Demo mesh', 'demo', loaded, telemetry, inv), defaultNamespaces: ['bookinfo-routing'], simulator };
}
