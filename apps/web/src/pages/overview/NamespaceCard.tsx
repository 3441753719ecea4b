/** One namespace of the Overview as a card: health per entity type, traffic with its sparkline, mesh settings, findings, links. */
import { Link } from '@tanstack/react-router';
import type { NamespaceOverview } from '@meshlens/model';
import { SeverityCounts, summaryText } from '../../config/severity';
import { configListLink } from '../../router/links';
import { ErrorText, HealthIcon, RateText } from '../lists/entityParts';
import { HealthBar } from './HealthBar';
import { InjectionText, MtlsText, NamespaceLinks } from './namespaceFacts';
import { Sparkline } from './Sparkline';

export function NamespaceCard({ ns, selected }: { ns: NamespaceOverview; selected: boolean }) {
  const headingId = `ns-card-${ns.name}`;
  const findings = ns.findings.error + ns.findings.warning + ns.findings.info;
  return (
    <article className={`ns-card worst-${ns.worstStatus}${selected ? ' selected' : ''}`} aria-labelledby={headingId} data-testid="ns-card" data-namespace={ns.name} data-status={ns.worstStatus}>
      <header className="ns-card-head">
        <h3 id={headingId} className="ns-card-title">{ns.name}</h3>
        <HealthIcon status={ns.worstStatus} reason="the worst of its applications, workloads and services" testId="ns-status" />
      </header>
      <div className="ns-card-tags">
        {ns.isControlPlane && <span className="ns-tag">control plane</span>}
        {selected && <span className="ns-tag ns-tag-selected">selected</span>}
        <MtlsText mtls={ns.mtls} />
        <InjectionText injection={ns.injection} />
        {ns.injection.revision && ns.injection.mode !== 'revision' && <span className="muted small">{`rev ${ns.injection.revision}`}</span>}
      </div>
      <div className="ns-card-health">
        <HealthBar label="Apps" counts={ns.health.applications} />
        <HealthBar label="Workloads" counts={ns.health.workloads} />
        <HealthBar label="Services" counts={ns.health.services} />
      </div>
      <div className="ns-card-traffic">
        <div className="ns-card-rates">
          <span className="field-label">Inbound</span>
          {ns.traffic.requestRate > 0 || ns.traffic.tcpBytesRate ? (
            <>
              <span data-testid="ns-rate"><RateText traffic={ns.traffic} /></span>
              {ns.traffic.errorPercent !== undefined && <span data-testid="ns-errors"><ErrorText percent={ns.traffic.errorPercent} /> <span className="muted small">errors</span></span>}
            </>
          ) : (
            <span className="muted" data-testid="ns-rate">no requests in the window</span>
          )}
        </div>
        {(ns.traffic.requestRate > 0 || ns.traffic.tcpBytesRate) && <Sparkline data={ns.sparkline} testId="ns-sparkline" />}
      </div>
      <div className="ns-card-foot">
        {findings > 0 ? (
          <Link {...configListLink({ namespaces: [ns.name] })} className="ns-findings" aria-label={`Config findings of ${ns.name}: ${summaryText(ns.findings)}`}>
            <SeverityCounts summary={ns.findings} testId="ns-findings" />
          </Link>
        ) : (
          <span className="muted small" data-testid="ns-findings">no config findings</span>
        )}
        <span className="muted small">{`${ns.counts.istioObjects} Istio object${ns.counts.istioObjects === 1 ? '' : 's'}`}</span>
      </div>
      <NamespaceLinks ns={ns} />
    </article>
  );
}
