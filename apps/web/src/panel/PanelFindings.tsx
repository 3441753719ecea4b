/**
 * Findings and routing objects in the side panel: each finding with its message, what to change and links to the
 * objects (the finding's own object opened at its line); each object that routes or applies with how, linked to its
 * page (at the rule's line when the tracer placed it).
 */
import { Link } from '@tanstack/react-router';
import type { Finding } from '@meshlens/model';
import { formatRef } from '@meshlens/model';
import { SeverityIcon } from '../config/severity';
import { findingKey, type RoutingObject } from '../explain/panelFindings';
import { objectLink } from '../router/links';
import { useFindingLines } from './usePanelExplain';
import { Section } from './parts';
import './explain.css';

function FindingItem({ finding: f, line, namespaces }: { finding: Finding; line: number | undefined; namespaces: string[] }) {
  const linkable = f.object.kind !== 'File' && f.object.kind !== 'Secret';
  return (
    <li className={`panel-finding severity-border-${f.severity}`} data-testid="panel-finding" data-code={f.code}>
      <div className="panel-finding-head">
        <SeverityIcon severity={f.severity} withLabel />
        <code className="finding-code">{f.code}</code>
        {f.aliases && f.aliases.length > 0 && <span className="muted small">{`also ${f.aliases.join(', ')}`}</span>}
      </div>
      {linkable ? (
        <Link {...objectLink(f.object, namespaces, line)} className="panel-finding-object" data-testid="panel-finding-link" data-line={line ?? ''}>
          {formatRef(f.object)}
          {line !== undefined ? `, line ${line}` : ''}
        </Link>
      ) : (
        <span className="panel-finding-object">{formatRef(f.object)}</span>
      )}
      {f.path && <code className="panel-finding-path">{f.path}</code>}
      <p className="panel-finding-message">{f.message}</p>
      {f.fix && (
        <p className="panel-finding-fix">
          <strong>Fix: </strong>
          {f.fix}
        </p>
      )}
      {f.references.length > 0 && (
        <p className="panel-finding-refs">
          <span className="muted">Involves </span>
          {f.references.map((r, i) => (
            <span key={`${formatRef(r.object)}-${i}`}>
              {i > 0 ? ', ' : ''}
              {r.object.kind === 'Secret' ? formatRef(r.object) : <Link {...objectLink(r.object, namespaces)}>{formatRef(r.object)}</Link>}
            </span>
          ))}
        </p>
      )}
    </li>
  );
}

/** A node's or an edge's findings, worst first; nothing when there are none. */
export function FindingsSection({ findings, namespaces, title, testId }: { findings: Finding[]; namespaces: string[]; title: string; testId: string }) {
  const lines = useFindingLines(findings);
  if (findings.length === 0) return null;
  return (
    <Section title={`${title} (${findings.length})`}>
      <ul className="panel-findings" data-testid={testId}>
        {findings.map((f, i) => (
          <FindingItem key={`${findingKey(f)}-${i}`} finding={f} line={lines.get(findingKey(f))} namespaces={namespaces} />
        ))}
      </ul>
    </Section>
  );
}

/** The objects that route an edge's traffic or apply to a node, linked. */
export function RoutingObjectsSection({ objects, namespaces, title, empty, loading, testId }: {
  objects: RoutingObject[];
  namespaces: string[];
  title: string;
  empty: string | null;
  loading: boolean;
  testId: string;
}) {
  if (objects.length === 0 && (loading || empty === null)) return null;
  return (
    <Section title={title}>
      {objects.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="panel-objects" data-testid={testId}>
          {objects.map((o) => (
            <li key={formatRef(o.ref)} data-kind={o.ref.kind} data-name={o.ref.name}>
              <Link {...objectLink(o.ref, namespaces, o.line)} data-testid="routing-object-link">
                {formatRef(o.ref)}
              </Link>
              <span className="muted small panel-object-how">{o.how}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
