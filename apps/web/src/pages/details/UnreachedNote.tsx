/**
 * On a workload's logs tab: requests for its Services that never reached it, because the caller's proxy answered
 * them itself (UO circuit breaking, UH no healthy upstream, NR no route…). Their log lines are in the caller's
 * istio-proxy log, not in this workload's, so the note names each caller and links to its proxy log filtered on the
 * flag — the step a user would otherwise have to guess.
 */
import { Link, linkOptions } from '@tanstack/react-router';
import type { UnreachedEdge } from '@meshlens/model';
import { formatRps } from '../../format/units';

function callerLogs(edge: UnreachedEdge, flag: string) {
  const { namespace, workload } = edge.peer;
  if (edge.peer.nodeType !== 'workload' || !workload || namespace === 'unknown') return null;
  return linkOptions({ to: '/namespaces/$namespace/workloads/$name', params: { namespace, name: workload }, search: { tab: 'logs', logq: flag } });
}

export function UnreachedNote({ edges, workload }: { edges: UnreachedEdge[]; workload: string }) {
  return (
    <aside className="logs-unreached" aria-labelledby="logs-unreached-title" data-testid="logs-unreached">
      <p id="logs-unreached-title">
        <strong>{`Some requests for ${workload} never reached it.`}</strong>{' '}
        The caller&apos;s proxy answered them itself, so they are logged in the caller&apos;s istio-proxy, not below:
      </p>
      <ul>
        {edges.map((e) =>
          e.explained.map((f) => {
            const rate = (e.rate * (e.responseFlags[f.flag] ?? 0)) / 100;
            const link = callerLogs(e, f.flag);
            const caller = `${e.peer.label}${e.peer.namespace && e.peer.namespace !== 'unknown' ? ` (${e.peer.namespace})` : ''}`;
            return (
              <li key={`${e.peer.id} ${f.flag}`} data-testid="unreached-item" data-flag={f.flag} data-caller={e.peer.id}>
                <span className="log-flag" title={`${f.flag} ${f.name}: ${f.meaning}`}>{f.flag}</span>{' '}
                {`${caller}: ${formatRps(rate)} answered by its own proxy. ${f.name}: ${f.meaning}`}{' '}
                {link ? (
                  <Link {...link} data-testid="unreached-logs-link">{`Open ${e.peer.label}'s proxy log on ${f.flag}`}</Link>
                ) : (
                  <span className="muted">(the caller has no workload page)</span>
                )}
              </li>
            );
          }),
        )}
      </ul>
    </aside>
  );
}
