/**
 * Finds the demo's YAML next to the package (scenarios/ and traffic/), resolved from this module's URL so the
 * same code works from src/ (tests) and dist/ (the server).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTrafficFile } from './traffic/parse.js';
import type { TrafficModel } from './traffic/types.js';

export interface DemoFile {
  /** Path relative to the package (`scenarios/bookinfo-routing.yaml`), as errors and findings show it. */
  file: string;
  text: string;
}

const SCENARIOS_DIR = new URL('../scenarios/', import.meta.url);
const TRAFFIC_DIR = new URL('../traffic/', import.meta.url);

/**
 * The control plane is shared by every scenario and some scenarios re-declare its objects on purpose
 * (seed 001 shadows istio-egressgateway): it must load first so the scenario's copy is the later one.
 */
const LOAD_FIRST = ['istio-system.yaml'];

/** Reads every `*.yaml` of a directory, control plane first, then by name. */
export function readYamlDir(dir: URL, prefix: string): DemoFile[] {
  let names: string[];
  try {
    names = readdirSync(fileURLToPath(dir)).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return [];
  }
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((n) => ({ file: `${prefix}${n}`, text: readFileSync(fileURLToPath(new URL(n, dir)), 'utf8') }));
}

function rank(name: string): number {
  const i = LOAD_FIRST.indexOf(name);
  return i < 0 ? LOAD_FIRST.length : i;
}

/** The demo scenarios' Kubernetes/Istio manifests, in the order they must be loaded. */
export function loadDemoManifests(dir: URL = SCENARIOS_DIR): DemoFile[] {
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
export function loadTrafficModel(dir: URL = TRAFFIC_DIR): TrafficModel {
  return parseTrafficModel(readYamlDir(dir, 'traffic/'));
}
