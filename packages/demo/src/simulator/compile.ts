/**
 * Compiles a traffic model against an inventory into series with linear terms: each series' rate at time t is
 * Σ coef × shape_c(t) × [incident i active at t], over the classes c that feed it (i = none for the normal state).
 * An incident's term is the difference its state makes to the class's series, so outside its windows it adds
 * nothing and inside them the series take the incident's values exactly.
 */
import type { Inventory } from '@meshlens/mesh';
import type { TraceRequest, TraceResult } from '@meshlens/model';
import { allClasses, allIncidents, type Incident, type TrafficClass, type TrafficModel } from '../traffic/types.js';
import { seriesKey } from './labels.js';
import { hashString, mix, unit } from './random.js';
import type { Sink } from './report.js';
import type { Schedule } from './schedule.js';
import type { RateShape } from './shape.js';
import { walk, type WalkContext } from './walk.js';

/** `coef` × the shape of class `cls`, restricted to the windows of incident `incident` (−1: always). */
export interface Term {
  cls: number;
  incident: number;
  coef: number;
}

export interface CompiledSeries {
  metric: string;
  labels: Record<string, string>;
  terms: Term[];
}

export interface CompiledModel {
  series: CompiledSeries[];
  shapes: RateShape[];
  schedules: Schedule[];
  /** Per class (in model order): the incidents whose target it reaches (indices into `schedules`). */
  classes: Array<{ cls: TrafficClass; touched: number[] }>;
  problems: string[];
}

export interface CompileOptions {
  seed: number;
  cluster: string;
  trace: (req: TraceRequest) => TraceResult;
}

type Amounts = Map<string, { metric: string; labels: Record<string, string>; amount: number }>;

function collector(): { sink: Sink; amounts: Amounts } {
  const amounts: Amounts = new Map();
  return {
    amounts,
    sink: {
      add(metric, labels, amount) {
        if (!(amount > 0)) return;
        const key = seriesKey(metric, labels);
        const hit = amounts.get(key);
        if (hit) hit.amount += amount;
        else amounts.set(key, { metric, labels, amount });
      },
    },
  };
}

/** Compiles every class of the model. */
export function compileModel(inv: Inventory, model: TrafficModel, opts: CompileOptions): CompiledModel {
  const incidents = allIncidents(model);
  const incidentIndex = new Map(incidents.map((i, k) => [i, k]));
  const incidentsByTarget = new Map<string, Incident[]>();
  for (const i of incidents) {
    const key = `${i.target.namespace}/${i.target.workload}`;
    incidentsByTarget.set(key, [...(incidentsByTarget.get(key) ?? []), i]);
  }
  const schedules = incidents.map((i) => scheduleOf(opts.seed, i));
  const series = new Map<string, CompiledSeries>();
  const shapes: RateShape[] = [];
  const classes: CompiledModel['classes'] = [];
  const problems = new Set<string>();

  allClasses(model).forEach((cls, c) => {
    const where = `${cls.at.file}:${cls.at.line} class "${cls.name}"`;
    const pass = (active?: Incident) => {
      const { sink, amounts } = collector();
      const ctx: WalkContext = { inv, cluster: opts.cluster, trace: opts.trace, sink, incidentsByTarget, active, touched: new Set(), problems, where };
      walk(ctx, cls.source, cls, cls.rps);
      return { amounts, touched: ctx.touched };
    };
    const base = pass();
    const touched = [...base.touched].map((i) => incidentIndex.get(i)!).sort((a, b) => a - b);
    if (base.amounts.size === 0 && cls.rps > 0) problems.add(`${where}: produces no telemetry (no proxy on its path reports it)`);
    const deltas = touched.map((k) => delta(base.amounts, pass(incidents[k]).amounts));
    const scale = nonNegativeScale(base.amounts, deltas);
    const addTerm = (key: string, metric: string, labels: Record<string, string>, term: Term) => {
      let s = series.get(key);
      if (!s) series.set(key, (s = { metric, labels, terms: [] }));
      s.terms.push(term);
    };
    for (const [key, v] of base.amounts) addTerm(key, v.metric, v.labels, { cls: c, incident: -1, coef: v.amount });
    deltas.forEach((d, j) => {
      for (const [key, v] of d) if (v.amount !== 0) addTerm(key, v.metric, v.labels, { cls: c, incident: touched[j]!, coef: v.amount * scale });
    });
    shapes.push(shapeOf(opts.seed, cls, touched.map((k) => schedules[k]!)));
    classes.push({ cls, touched });
  });
  return { series: [...series.values()], shapes, schedules, classes, problems: [...problems] };
}

/** What an incident's state changes, series by series (may be negative). */
function delta(base: Amounts, during: Amounts): Amounts {
  const out: Amounts = new Map();
  for (const [k, v] of during) out.set(k, { ...v, amount: v.amount - (base.get(k)?.amount ?? 0) });
  for (const [k, v] of base) if (!during.has(k)) out.set(k, { ...v, amount: -v.amount });
  return out;
}

/**
 * Incidents of one class are independent terms; if two overlap, their decreases could add up past a series'
 * normal amount. Scaling every delta by one factor keeps each series non-negative (and counters monotonic).
 */
function nonNegativeScale(base: Amounts, deltas: Amounts[]): number {
  if (deltas.length < 2) return 1;
  let scale = 1;
  for (const [k, v] of base) {
    const drop = deltas.reduce((a, d) => a + Math.min(0, d.get(k)?.amount ?? 0), 0);
    if (-drop > v.amount) scale = Math.min(scale, v.amount / -drop);
  }
  return scale;
}

/** An incident's windows: every `everyMinutes`, at a seeded offset so incidents do not all fire together. */
function scheduleOf(seed: number, i: Incident): Schedule {
  const h = mix(hashString(`${i.scenario}/${i.name}/${i.target.namespace}/${i.target.workload}`), seed);
  return { periodMin: i.everyMinutes, lengthMin: i.lastMinutes, offsetMin: h % i.everyMinutes };
}

const DAY = 86400;
const HOUR = 3600;

/**
 * A class's time shape: ±30% over the day (the whole mesh peaks together, as users do), ±10% over the hour and a
 * ±8% wander of 12–28 minutes with per-class phases, plus ±20% per-minute noise. The lowest it can go is 0.32.
 */
function shapeOf(seed: number, cls: TrafficClass, quiet: Schedule[]): RateShape {
  const key = hashString(`${cls.scenario}/${cls.name}`);
  const r = (n: number) => unit(mix(mix(key, seed), n));
  const day = unit(mix(hashString('daily'), seed));
  const wanderPeriod = 720 + 960 * r(3);
  return {
    sinusoids: [
      { amplitude: 0.3, omega: (2 * Math.PI) / DAY, phase: 2 * Math.PI * day },
      { amplitude: 0.1, omega: (2 * Math.PI) / HOUR, phase: 2 * Math.PI * r(1) },
      { amplitude: 0.08, omega: (2 * Math.PI) / wanderPeriod, phase: 2 * Math.PI * r(2) },
    ],
    noiseAmplitude: 0.2,
    noiseKey: mix(key, seed ^ 0x5bd1e995),
    quiet,
  };
}
