/**
 * On the trace page, with a change set: the same request traced by the what-if worker over the live objects ("now")
 * and over the drafted ones ("with drafts"), side by side, so a draft's effect on where traffic goes shows before
 * anything is applied.
 */
import { useEffect } from 'react';
import type { Endpoint, TracePath, TraceResult } from '@meshlens/model';
import { traceRequestOf, type TraceInput } from './traceRequest';
import { useDrafts } from './store';
import { useDraftCheck } from './useDraftCheck';
import './drafts.css';

/** A hop's end as `meshlens trace` words it. */
export function endpointText(e: Endpoint): string {
  switch (e.kind) {
    case 'client': return e.description;
    case 'gateway': return `gateway ${e.namespace}/${e.workload}:${e.port}`;
    case 'service': return `service ${e.host}:${e.port}${e.subset ? ` (subset ${e.subset})` : ''}`;
    case 'workload': return `${e.namespace}/${e.name}`;
    case 'serviceEntry': return `ServiceEntry ${e.namespace}/${e.name} (${e.host}:${e.port})`;
    case 'passthrough': return `PassthroughCluster → ${e.host ?? e.ip}:${e.port}`;
    case 'blackhole': return `BlackHoleCluster (${e.host ?? e.ip}:${e.port} dropped)`;
    case 'external': return `${e.host ?? e.ip}:${e.port} (external)`;
  }
}

function outcome(p: TracePath): string {
  return p.outcome.kind === 'delivered' ? 'delivered' : `${p.outcome.kind}${'responseCode' in p.outcome ? ` (${p.outcome.responseCode})` : ''}`;
}

function Paths({ result, testId }: { result: TraceResult; testId: string }) {
  return (
    <div data-testid={testId}>
      {result.problems.map((p) => <p key={p} className="muted">{p}</p>)}
      {result.paths.map((p, i) => (
        <div key={i} className="draft-trace-path" data-testid={`${testId}-path`} data-outcome={p.outcome.kind}>
          <p className="draft-trace-line"><strong>{`${(p.weight * 100).toFixed(0)}% → ${endpointText(p.destination)}`}</strong>{` — ${outcome(p)}`}</p>
          <ol className="draft-trace-hops">
            {p.hops.map((h, j) => (
              <li key={j} data-testid={`${testId}-hop`} data-to={h.to.kind}>{`${endpointText(h.from)} → ${endpointText(h.to)}`}</li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}

/** The request last traced on the trace page, which the draft editor traces again after each edit. */
export const LAST_TRACE_KEY = 'meshlens-drafts-trace';

export function lastTraceInput(): TraceInput | null {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(LAST_TRACE_KEY) ?? 'null') as TraceInput | null;
    return v && typeof v.from === 'string' && typeof v.url === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** One line per path: where the request ends, and how. */
export function TraceSummary({ result, testId }: { result: TraceResult; testId: string }) {
  return (
    <ul className="draft-trace-summary" data-testid={testId}>
      {result.problems.map((p) => <li key={p}>{p}</li>)}
      {result.paths.map((p, i) => (
        <li key={i} data-outcome={p.outcome.kind}>{`${(p.weight * 100).toFixed(0)}% via ${p.hops.slice(0, -1).map((h) => endpointText(h.to)).join(' → ') || 'no proxy'} → ${endpointText(p.destination)} — ${outcome(p)}`}</li>
      ))}
    </ul>
  );
}

export function TraceWithDrafts({ input }: { input: TraceInput | null }) {
  const drafts = useDrafts();
  const inputKey = JSON.stringify(input);
  useEffect(() => {
    if (input) globalThis.localStorage?.setItem(LAST_TRACE_KEY, inputKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inputKey]);
  const request = input ? traceRequestOf(input) : undefined;
  const check = useDraftCheck(drafts, request, drafts.length > 0 && request !== undefined);
  if (drafts.length === 0 || !request) return null;
  const trace = check.result?.trace;
  return (
    <section className="draft-trace" aria-labelledby="draft-trace-title" data-testid="trace-with-drafts">
      <h3 id="draft-trace-title">{`What-if: this request with your ${drafts.length === 1 ? 'draft' : `${drafts.length} drafts`}`}</h3>
      <p className="muted">Traced in your browser by the same engine; nothing is applied.{trace ? ` (${check.result!.ms} ms)` : ''}</p>
      {check.error && <p role="alert">{`The what-if trace failed: ${check.error}`}</p>}
      {!trace && !check.error && <p className="muted">Tracing with the drafts…</p>}
      {trace && (
        <div className="draft-trace-columns">
          <div>
            <h4>Now</h4>
            <Paths result={trace.now} testId="trace-now" />
          </div>
          <div>
            <h4>With drafts</h4>
            <Paths result={trace.withDrafts} testId="trace-drafted" />
          </div>
        </div>
      )}
    </section>
  );
}
