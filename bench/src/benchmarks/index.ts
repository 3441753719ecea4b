/** Every benchmark, in the order they run. Add a module to `benchmarks/` and list it here. */
import type { Benchmark } from '../benchmark.js';
import graphAssembly from './graph-assembly.js';

export const benchmarks: Benchmark<any>[] = [graphAssembly];
