/** Every benchmark, in the order they run. Add a module to `benchmarks/` and list it here. */
import type { Benchmark } from '../benchmark.js';
import graphAssembly from './graph-assembly.js';
import { checksBenchmarks } from './checks.js';
import prometheusGraph from './prometheus-graph.js';
import kubeSync from './kube-sync.js';
import snapshotHistory from './snapshot-history.js';
import entities from './entities.js';
import browserPages from './browser-pages.js';
import graphBrowser from './graph-browser.js';
import draftsBrowser from './drafts-browser.js';
import load from './load.js';
import validateFiles from './validate-files.js';

export const benchmarks: Benchmark<any>[] = [...graphAssembly, ...prometheusGraph, ...checksBenchmarks, ...kubeSync, ...snapshotHistory, ...entities, ...browserPages, ...graphBrowser, ...draftsBrowser, ...load, ...validateFiles];
