/**
 * The route tracer: `/trace?from=<ns>/<workload>&url=<url>` (also `from=gateway:<ns>/<name>`, `from=outside`,
 * repeatable `header=Name: value`, `sni=`, `method=`, the caller's `principal=` and a JWT's `requestPrincipal=`). The form fills the URL; the page traces what the URL says —
 * the same answer as `meshlens trace` — and compares each path with the window's telemetry.
 */
import { Link } from '@tanstack/react-router';
import { ApiRequestError, ServerUnreachableError } from '../../api/client';
import { useTrace, useTraceSuggestions } from '../../api/trace';
import { TextSkeleton } from '../../components/PageSkeleton';
import { traceLink } from '../../router/links';
import { useUrlState } from '../../router/useUrlState';
import { WindowControls } from '../lists/WindowControls';
import { TraceForm } from './TraceForm';
import { TraceResultView } from './TraceResultView';
import { hasRequest, readTraceState, searchFromTraceState, traceParams, type TraceState } from './traceSearch';
import '../lists/lists.css';
import '../details/details.css';
import { TraceWithDrafts } from '../../drafts/TraceWithDrafts';
import './trace.css';

/** What the form is for, and an example to start from (seed 001's request when the mesh has its client). */
function EmptyState() {
  const suggestions = useTraceSuggestions('');
  const workloads = suggestions.data?.workloads ?? [];
  const example = workloads.includes('default/pod1')
    ? { from: 'default/pod1', url: 'https://en.wikipedia.org' }
    : workloads[0] && suggestions.data?.hosts[0] ? { from: workloads[0], url: suggestions.data.hosts[0].url } : null;
  return (
    <div className="empty-note trace-empty" data-testid="trace-empty">
      <p>
        <strong>Trace a request through the mesh.</strong> Say who sends it — a workload (<code>namespace/name</code>, a pod name works
        too), a gateway (<code>gateway:namespace/name</code>), or <code>outside</code> — and the URL it asks for, then press Trace.
      </p>
      <p>
        The tracer reads the configuration the way Istio's proxies do: each step names the rule that decided it (with a link to the
        object at that line), the outcome says what the client sees (delivered, 404 NR, 502 BlackHoleCluster, 503 UH, a fault, a
        timeout, a policy's 403, a plaintext connection reset by STRICT mTLS), each server says what its PeerAuthentication and
        AuthorizationPolicies decided (give the caller's identity when it is outside the mesh), and next to each path the telemetry of the window shows whether traffic really went that way.
      </p>
      {example && (
        <p>
          {'For example: '}
          <Link {...traceLink(example)} data-testid="trace-example">{`${example.from} → ${example.url}`}</Link>
        </p>
      )}
    </div>
  );
}

function ErrorState({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const refused = error instanceof ApiRequestError && error.status < 500;
  return (
    <div className="banner banner-error" role="alert" data-testid="trace-error">
      <strong>{refused ? (error.status === 404 ? 'Nothing to trace from. ' : 'This request cannot be traced. ') : 'The trace could not be loaded. '}</strong>
      {`${error.message} `}
      {refused
        ? error.status === 404 ? 'Pick a source the form suggests, then press Trace.' : 'Correct the form above and press Trace again.'
        : (
          <>
            {error instanceof ServerUnreachableError ? 'Start the server, then ' : ''}
            <button type="button" className="link-button" onClick={onRetry}>try again</button>.
          </>
        )}
    </div>
  );
}

function ResultSkeleton() {
  return (
    <div className="trace-skeleton" data-testid="trace-loading">
      <TextSkeleton lines={3} label="Tracing the request…" />
      <div className="skeleton trace-skeleton-diagram" aria-hidden="true" />
      <TextSkeleton lines={6} label="" />
    </div>
  );
}

export function TracePage() {
  const [state, set] = useUrlState<TraceState>(readTraceState, searchFromTraceState);
  const params = hasRequest(state) ? traceParams(state) : null;
  const live = state.queryTime === null;
  const trace = useTrace(params, live);
  // A new request in the URL (a submit, Back, Forward, a link) is a new draft.
  const formKey = JSON.stringify([state.from, state.url, state.headers, state.sni, state.method, state.principal, state.requestPrincipal]);

  return (
    <div className="entity-page trace-page">
      <main className="entity-main trace-main" aria-labelledby="trace-title">
        <div className="entity-head detail-head trace-head">
          <h2 id="trace-title" className="entity-title">
            <span className="entity-kind">Route tracer</span>
            Trace a request
          </h2>
          <div className="detail-window">
            <WindowControls duration={state.duration} queryTime={state.queryTime} onChange={(change) => set(change as Partial<TraceState>)} />
          </div>
          {params && (
            <button type="button" className="link-button refresh-link" onClick={() => void trace.refetch()} disabled={trace.isFetching}>
              Refresh
            </button>
          )}
        </div>
        <TraceForm key={formKey} initial={state} onSubmit={(request) => set(request)} />
        <div className="progress-line" role="status" aria-live="polite">
          {trace.isFetching && (
            <>
              <progress className="progress" aria-label="Tracing the request" />
              <span className="visually-hidden">Tracing the request</span>
            </>
          )}
        </div>
        <TraceWithDrafts input={params ? { from: state.from, url: state.url, headers: state.headers, sni: state.sni || null, method: state.method, principal: state.principal || null, requestPrincipal: state.requestPrincipal || null } : null} />
        {!params && <EmptyState />}
        {params && trace.error && <ErrorState error={trace.error} onRetry={() => void trace.refetch()} />}
        {params && !trace.data && trace.isPending && <ResultSkeleton />}
        {params && trace.data && <TraceResultView data={trace.data} namespaces={state.namespaces} live={live} />}
      </main>
    </div>
  );
}
