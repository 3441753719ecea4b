/** The traffic tab: the entity's inbound and outbound edges over the window, one table each, peers linked to their pages. */
import { Link } from '@tanstack/react-router';
import type { TrafficEdge } from '@meshlens/model';
import { formatBytesPerSecond, formatMs, formatPercent, formatRps } from '../../format/units';
import { ErrorText, HealthIcon } from '../lists/entityParts';
import { entityLink, peerEntity } from './entityLinks';

function Peer({ edge }: { edge: TrafficEdge }) {
  const entity = peerEntity(edge.peer);
  const ns = edge.peer.namespace && edge.peer.namespace !== 'unknown' ? edge.peer.namespace : '';
  const title = `${edge.peer.nodeType}${ns ? ` in ${ns}` : ''}${edge.peer.isOutside ? ' (outside the shown namespaces)' : ''}`;
  return (
    <span className="peer" title={title}>
      {entity ? <Link {...entityLink(entity.type, entity.namespace, entity.name)} data-testid="peer-link">{edge.peer.label}</Link> : <span>{edge.peer.label}</span>}
      {ns && <span className="muted small">{` ${ns}`}</span>}
    </span>
  );
}

/** "UO 12% · – 88%": the flags other than "-" first, each with its share. */
function flagsText(flags: Record<string, number>): string {
  const entries = Object.entries(flags).filter(([f]) => f !== '-').sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? '' : entries.map(([f, share]) => `${f} ${formatPercent(share)}`).join(' · ');
}

function codesText(codes: Record<string, number>): string {
  return Object.entries(codes)
    .sort(([, a], [, b]) => b - a)
    .map(([c, share]) => `${c} ${formatPercent(share)}`)
    .join(', ');
}

function EdgeTable({ edges, direction }: { edges: TrafficEdge[]; direction: 'inbound' | 'outbound' }) {
  const title = direction === 'inbound' ? 'Inbound (callers)' : 'Outbound (destinations)';
  if (edges.length === 0)
    return (
      <section className="detail-section">
        <h3>{title}</h3>
        <p className="muted">{direction === 'inbound' ? 'Nothing called it in the window.' : 'It called nothing in the window.'}</p>
      </section>
    );
  return (
    <section className="detail-section">
      <h3>{`${title}: ${edges.length}`}</h3>
      <div className="table-wrap">
        <table className="data-table detail-table" data-testid={`traffic-${direction}`}>
          <thead>
            <tr>
              <th scope="col">{direction === 'inbound' ? 'From' : 'To'}</th>
              <th scope="col">Protocol</th>
              <th scope="col" className="num">Rate</th>
              <th scope="col" className="num">Errors</th>
              <th scope="col" className="num">p95</th>
              <th scope="col">Response codes</th>
              <th scope="col">Flags</th>
              <th scope="col" className="num">mTLS</th>
              <th scope="col">Reporter</th>
              <th scope="col">Health</th>
            </tr>
          </thead>
          <tbody>
            {edges.map((e, i) => (
              <tr key={`${e.peer.id}-${e.protocol}-${e.node}-${i}`} data-testid="traffic-row" data-peer={e.peer.label}>
                <td><Peer edge={e} /></td>
                <td>{e.protocol}</td>
                <td className="num nowrap">{e.protocol === 'tcp' ? formatBytesPerSecond(e.rate) : formatRps(e.rate)}</td>
                <td className="num">{e.protocol === 'tcp' ? <span className="muted">n/a</span> : <ErrorText percent={e.errorPercent} />}</td>
                <td className="num nowrap">{e.p95Ms !== undefined ? formatMs(e.p95Ms) : <span className="muted">–</span>}</td>
                <td className="small">{codesText(e.responseCodes) || <span className="muted">–</span>}</td>
                <td className="small">{flagsText(e.responseFlags) ? <strong className="flags-text">{flagsText(e.responseFlags)}</strong> : <span className="muted">none</span>}</td>
                <td className="num nowrap">{e.mtlsPercent !== undefined ? formatPercent(e.mtlsPercent) : <span className="muted">–</span>}</td>
                <td>{e.reporter}</td>
                <td>{e.health ? <HealthIcon status={e.health} /> : <span className="muted">–</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function TrafficTab({ traffic, kindWord }: { traffic: TrafficEdge[]; kindWord: string }) {
  const inbound = traffic.filter((e) => e.direction === 'inbound');
  const outbound = traffic.filter((e) => e.direction === 'outbound');
  return (
    <div className="traffic-tab">
      <p className="muted small">{`Edges of the ${kindWord}'s graph node over the window, counted once per request as the graph counts them.`}</p>
      <EdgeTable edges={inbound} direction="inbound" />
      {kindWord !== 'service' || outbound.length > 0 ? <EdgeTable edges={outbound} direction="outbound" /> : null}
    </div>
  );
}
