/**
 * Says which namespaces and kinds the identity may not read, and why (the RBAC verb and resource), so a graph
 * with holes is not mistaken for an empty mesh. Collapsed to one line by default; the details list each refusal.
 */
import { useHealth } from '../api/queries';
import { visibilityNotices } from './visibility';
import './cluster.css';

export function VisibilityBanner() {
  const health = useHealth();
  const notices = visibilityNotices(health.data);
  if (notices.length === 0) return null;
  return (
    <section className="visibility-banner" aria-label="Limited visibility" data-testid="visibility-banner">
      {notices.map((n) => (
        <details key={n.source}>
          <summary>
            <strong>{`Limited visibility in ${n.source}. `}</strong>
            {n.summary}
          </summary>
          <ul>
            {n.reasons.map((r) => (
              <li key={r.text} title={r.message}>
                {r.text}
              </li>
            ))}
          </ul>
          <p className="visibility-hint">Ask a cluster admin for get/list/watch on these resources (a Role or ClusterRole bound to your identity), or pick another context.</p>
        </details>
      ))}
    </section>
  );
}
