/**
 * An edge's "Why": the tracer's answer for the edge's traffic (its source workload, destination host and protocol, read
 * from the edge's telemetry) in one sentence, the rules that decided it linked at their lines, and the full trace.
 * Shown for edges to PassthroughCluster or BlackHoleCluster and edges with errors; for other edges only when the
 * configuration and the telemetry disagree (explain/edgeWhy.ts).
 */
import { Link } from '@tanstack/react-router';
import type { EdgeData, NodeData, ObjectRef, TraceResponse } from '@meshlens/model';
import { formatRef } from '@meshlens/model';
import { explainEdge, HOST_SOURCE_WORDS, showsWhy, type EdgeWhy, type WhyReason, type WhyRequest } from '../explain/edgeWhy';
import { traceLink, objectLink } from '../router/links';
import { TextSkeleton } from '../components/PageSkeleton';
import { Section } from './parts';
import './explain.css';

const TITLES: Record<WhyReason, string> = {
  passthrough: 'Why it leaves through PassthroughCluster',
  blackhole: 'Why it is dropped (BlackHoleCluster)',
  errors: 'Why these errors',
  check: 'Why it differs from the configuration',
};

function WhyBody({ why, request, namespaces }: { why: EdgeWhy; request: Extract<WhyRequest, { url: string }>; namespaces: string[] }) {
  return (
    <>
      <p className="why-sentence" data-testid="why-sentence">{why.sentence}</p>
      {why.because && <p className="why-because" data-testid="why-because">{why.because}</p>}
      {why.rules.length > 0 && (
        <ul className="why-rules" data-testid="why-rules" aria-label="Rules that decided">
          {why.rules.map((r) => (
            <li key={`${formatRef(r.rule.object)}#${r.rule.path}`}>
              <Link {...objectLink(r.rule.object, namespaces, r.line)} data-testid="why-rule-link" data-line={r.line ?? ''}>
                {`${formatRef(r.rule.object)} ${r.rule.path}${r.line !== undefined ? ` (line ${r.line})` : ''}`}
              </Link>
              <span className="why-rule-note small">{r.role === 'meant' ? `Not applied. ${r.rule.note}` : r.rule.note}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="why-source muted small">{`Traced for ${request.url} from ${request.from}: ${HOST_SOURCE_WORDS[request.hostFrom]}.`}</p>
      <p className="why-actions">
        <Link {...traceLink({ from: request.from, url: request.url })} data-testid="why-trace-link">Open the full trace</Link>
      </p>
    </>
  );
}

export function WhySection({ edge, target, targetLabel, reason, request, requestLoading, trace, namespaces, faultObjects }: {
  edge: EdgeData;
  target: NodeData | undefined;
  targetLabel: string;
  reason: WhyReason;
  request: WhyRequest | null;
  requestLoading: boolean;
  trace: { data?: TraceResponse; isPending: boolean; error: Error | null };
  namespaces: string[];
  faultObjects: ObjectRef[];
}) {
  const why = trace.data ? explainEdge(trace.data, edge, target, targetLabel, reason, faultObjects) : undefined;
  // an ordinary edge shows nothing until the tracer says something is off
  if (reason === 'check' && !showsWhy(reason, why)) return null;
  const tracing = requestLoading || (request?.url && trace.isPending);
  return (
    <Section title={TITLES[reason]}>
      <div className={`why-section${why?.disagrees ? ' why-disagrees' : ''}`} data-testid="why-section" data-reason={reason}>
        {tracing && <TextSkeleton lines={3} label="Asking the route tracer…" />}
        {!tracing && request && request.url === null && (
          <p className="muted" data-testid="why-missing">{`The tracer cannot be asked about this edge: ${request.missing}.`}</p>
        )}
        {!tracing && request?.url && trace.error && (
          <p className="muted" data-testid="why-error">
            {`The tracer could not answer: ${trace.error.message} `}
            <Link {...traceLink({ from: request.from, url: request.url })}>Open the tracer</Link>
          </p>
        )}
        {!tracing && request?.url && why && <WhyBody why={why} request={request} namespaces={namespaces} />}
      </div>
    </Section>
  );
}
