/** The Overview's top strip: istiod pods (versions and revisions), the gateways and their health, mesh-wide settings. */
import { Link } from '@tanstack/react-router';
import type { ControlPlaneSummary } from '@meshlens/model';
import { formatRps } from '../../format/units';
import { entityLink } from '../details/entityLinks';
import { HealthIcon } from '../lists/entityParts';
import { MtlsText } from './namespaceFacts';

export function ControlPlaneStrip({ controlPlane: cp }: { controlPlane: ControlPlaneSummary }) {
  const versions = [...new Set(cp.istiod.map((p) => p.version).filter((v): v is string => Boolean(v)))];
  const revisions = [...new Set(cp.istiod.map((p) => p.revision))];
  const ready = cp.istiod.filter((p) => p.isReady).length;
  return (
    <section className="control-plane" aria-labelledby="cp-title" data-testid="control-plane">
      <h3 id="cp-title" className="cp-title">Control plane</h3>
      <div className="cp-block" data-testid="cp-istiod">
        <span className="field-label">istiod</span>
        {cp.istiod.length === 0 ? (
          <span className="status-Failure cp-value" title="No istiod pod in the inventory: sidecars get no configuration">
            <span aria-hidden="true">✖ </span>none found
          </span>
        ) : (
          <span className="cp-value">
            <HealthIcon status={ready === cp.istiod.length ? 'Healthy' : ready === 0 ? 'Failure' : 'Degraded'} reason={`${ready} of ${cp.istiod.length} istiod pods ready`} compact />
            {`${ready}/${cp.istiod.length} ready`}
            <span className="muted">{` · ${versions.length > 0 ? `version ${versions.join(', ')}` : 'version unknown'} · revision ${revisions.join(', ')}`}</span>
          </span>
        )}
        {cp.istiod.length > 0 && (
          <ul className="cp-pods visually-hidden">
            {cp.istiod.map((p) => (
              <li key={`${p.namespace}/${p.name}`}>{`${p.namespace}/${p.name}: ${p.phase}, ${p.ready} ready, ${p.restarts} restarts, revision ${p.revision}${p.version ? `, version ${p.version}` : ''}`}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="cp-block cp-gateways" data-testid="cp-gateways">
        <span className="field-label">Gateways</span>
        {cp.gateways.length === 0 ? (
          <span className="muted cp-value">none</span>
        ) : (
          <ul className="cp-gateway-list">
            {cp.gateways.map((g) => (
              <li key={`${g.namespace}/${g.name}`} className="cp-gateway" data-testid="cp-gateway" data-name={g.name}>
                <HealthIcon status={g.health.status} reason={g.health.reason} compact />
                <Link {...entityLink('workload', g.namespace, g.name)} title={`${g.kind} gateway ${g.namespace}/${g.name}${g.version ? `, proxy ${g.version}` : ''}${g.revision ? `, revision ${g.revision}` : ''}`}>
                  {g.name}
                </Link>
                <span className="muted small">{`${g.kind} · ${g.ready}${g.requestRate > 0 ? ` · ${formatRps(g.requestRate)}` : ''}`}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="cp-block">
        <span className="field-label">Mesh</span>
        <span className="cp-value">
          <MtlsText mtls={cp.meshMtls} />
          <span className="muted" title={cp.outboundTrafficPolicy === 'REGISTRY_ONLY' ? 'Only hosts in the service registry (Services, ServiceEntries) are reachable' : 'Unknown hosts are reached through PassthroughCluster'}>
            {` · outbound ${cp.outboundTrafficPolicy}`}
          </span>
          <span className="muted">{` · root ${cp.rootNamespace}`}</span>
        </span>
      </div>
    </section>
  );
}
