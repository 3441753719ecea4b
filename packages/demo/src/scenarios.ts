/**
 * Finds the demo's YAML next to the package (scenarios/ and traffic/), resolved from this module's URL so the
 * same code works from src/ (tests) and dist/ (the server).
 *
 * Node's fs and url are reached when a function here runs, not imported: the package's index is also bundled for
 * the browser (the what-if graph worker runs the simulator, apps/web/src/drafts/graph.worker.ts), which never calls
 * these and has no `node:` modules.
 */
import { parseTrafficFile } from './traffic/parse.js';
import type { TrafficModel } from './traffic/types.js';

export interface DemoFile {
  /** Path relative to the package (`scenarios/bookinfo-routing.yaml`), as errors and findings show it. */
  file: string;
  text: string;
}

// relative to this module, at call time (a bundler would otherwise try to resolve them as assets)
const SCENARIOS_PATH = '../scenarios/';
const TRAFFIC_PATH = '../traffic/';

function node(): { fs: typeof import('node:fs'); url: typeof import('node:url') } {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!getBuiltinModule) throw new Error('Reading the demo\'s YAML needs Node.js 20.19 or later (process.getBuiltinModule); run meshlens with a newer Node.js.');
  return { fs: getBuiltinModule('node:fs') as typeof import('node:fs'), url: getBuiltinModule('node:url') as typeof import('node:url') };
}

/**
 * Reads every `*.yaml` of a directory in path order, as `meshlens validate -f DIR` and `kubectl apply -f DIR` do. The
 * control plane is `00-istio-system.yaml`, so it comes first; seed 001 re-declares istio-egressgateway on purpose,
 * and the engine uses the copy of the file that sorts last (buildInventory), whatever the order of loading.
 */
export function readYamlDir(dir: URL, prefix: string): DemoFile[] {
  const { fs: { readdirSync, readFileSync }, url: { fileURLToPath } } = node();
  let names: string[];
  try {
    names = readdirSync(fileURLToPath(dir)).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return [];
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => ({ file: `${prefix}${n}`, text: readFileSync(fileURLToPath(new URL(n, dir)), 'utf8') }));
}

/** The demo scenarios' Kubernetes/Istio manifests, in the order they must be loaded. */
export function loadDemoManifests(dir: URL = new URL(SCENARIOS_PATH, import.meta.url)): DemoFile[] {
  return readYamlDir(dir, 'scenarios/');
}

/** Parses traffic files into one model; bad entries become errors (file, line) and the rest still loads. */
export function parseTrafficModel(files: DemoFile[]): TrafficModel {
  const model: TrafficModel = { scenarios: [], errors: [] };
  for (const f of files) {
    const { traffic, errors } = parseTrafficFile(f.text, f.file);
    model.scenarios.push(traffic);
    model.errors.push(...errors);
  }
  return model;
}

/** The demo's traffic model (traffic/*.yaml), validated. */
export function loadTrafficModel(dir: URL = new URL(TRAFFIC_PATH, import.meta.url)): TrafficModel {
  return parseTrafficModel(readYamlDir(dir, 'traffic/'));
}
