/** The pods behind an entity: phase, readiness, restarts, addresses, node, host aliases, containers and proxy version. */
import type { PodDetail } from '@meshlens/model';

function Containers({ pod }: { pod: PodDetail }) {
  return (
    <ul className="plain-list">
      {pod.containers.map((c) => (
        <li key={c.name} data-testid="pod-container" data-container={c.name} title={[c.image, c.state, c.injected ? 'added by sidecar injection' : ''].filter(Boolean).join(' · ')}>
          <span className={c.isProxy ? 'container-proxy' : 'container-app'}>{c.name}</span>
          {c.isProxy && pod.istioProxyVersion && <span className="muted small">{` ${pod.istioProxyVersion}`}</span>}
          {c.ready === false && <span className="status-Degraded small">{' not ready'}</span>}
          {c.state && c.state !== 'running' && <span className="muted small">{` (${c.state})`}</span>}
        </li>
      ))}
    </ul>
  );
}

export function PodsTable({ pods }: { pods: PodDetail[] }) {
  if (pods.length === 0) return <p className="muted" data-testid="pods-empty">No pods: the controller runs none (scaled to zero, or not created yet).</p>;
  const assumed = pods.some((p) => p.statusAssumed);
  return (
    <>
      {assumed && <p className="muted small">The input holds no pod status (manifest files or the demo): phase and readiness are assumed.</p>}
      <div className="table-wrap">
        <table className="data-table detail-table" data-testid="pods-table">
          <thead>
            <tr>
              <th scope="col">Pod</th>
              <th scope="col">Phase</th>
              <th scope="col">Ready</th>
              <th scope="col" className="num">Restarts</th>
              <th scope="col">Pod IP</th>
              <th scope="col">Node (host IP)</th>
              <th scope="col">Host aliases</th>
              <th scope="col">Containers</th>
            </tr>
          </thead>
          <tbody>
            {pods.map((p) => (
              <tr key={p.name} data-testid="pod-row" data-pod={p.name}>
                <td className="break" title={`service account ${p.serviceAccount}${p.createdAt ? `, created ${p.createdAt}` : ''}`}>{p.name}</td>
                <td className={p.phase === 'Running' || p.phase === 'Succeeded' ? '' : 'status-Degraded'}>{p.phase}</td>
                <td>
                  <span className={p.isReady ? 'status-Healthy' : 'status-Degraded'}>
                    <span aria-hidden="true">{p.isReady ? '✔ ' : '▲ '}</span>
                    {p.ready}
                  </span>
                </td>
                <td className={`num${p.restarts > 0 ? ' status-Degraded' : ''}`}>{p.restarts}</td>
                <td data-testid="pod-ip" className="nowrap">{p.podIP ?? <span className="muted">–</span>}</td>
                <td className="break">
                  {p.nodeName ?? <span className="muted">–</span>}
                  {p.hostIP && <span className="muted">{` (${p.hostIP})`}</span>}
                </td>
                <td data-testid="host-aliases">
                  {p.hostAliases.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <ul className="plain-list">
                      {p.hostAliases.map((a) => (
                        <li key={a.ip} data-testid="host-alias">{`${a.ip} → ${a.hostnames.join(', ')}`}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td><Containers pod={p} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
