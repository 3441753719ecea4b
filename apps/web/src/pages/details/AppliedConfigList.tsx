/**
 * The Istio objects that apply to an entity: kind and name linked to the object's config page, how it applies, its
 * badges, and its findings — counted (overview tab) or in full (config tab, with the config page's finding cards).
 */
import { Link } from '@tanstack/react-router';
import type { AppliedConfig, AppliesVia, Finding } from '@meshlens/model';
import { formatRef } from '@meshlens/model';
import { SeverityCounts } from '../../config/severity';
import { FindingCard } from '../config/FindingCard';
import { objectLink } from '../../router/links';
import { IstioBadges } from '../lists/entityParts';
import '../config/configPages.css';

export const VIA_TEXT: Record<AppliesVia, string> = {
  host: 'its hosts name the service, or route to it',
  selector: 'its workload selector selects the pods',
  namespace: 'namespace-wide (no selector)',
  mesh: 'mesh-wide (root namespace)',
  gateway: 'a gateway serving it',
};

export function AppliedConfigList({ objects, namespaces, full = false }: { objects: AppliedConfig[]; namespaces: string[] | null; full?: boolean }) {
  if (objects.length === 0) return <p className="muted" data-testid="config-empty">No Istio object applies: it gets the mesh's defaults.</p>;
  return (
    <ul className="applied-list" data-testid="applied-config">
      {objects.map((o) => (
        <li key={formatRef(o.ref)} className="applied-item" data-testid="applied-object" data-kind={o.ref.kind} data-name={o.ref.name}>
          <div className="applied-head">
            <span className="applied-kind">{o.ref.kind}</span>
            <Link {...objectLink(o.ref, namespaces)} data-testid="applied-link">{o.ref.namespace ? `${o.ref.namespace}/${o.ref.name}` : o.ref.name}</Link>
            <IstioBadges badges={o.badges} />
            <SeverityCounts summary={o.findings} />
          </div>
          <p className="muted small applied-via">{`Applies because ${VIA_TEXT[o.via]}.`}</p>
          {full && o.findingList.length > 0 && (
            <ul className="finding-list">
              {o.findingList.map((f, i) => (
                <FindingCard key={`${f.code}-${f.path ?? ''}-${i}`} finding={f} namespaces={namespaces} />
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Findings on other objects whose involved objects include the entity's: each links to its own object. */
export function InvolvingFindings({ findings, namespaces }: { findings: Finding[]; namespaces: string[] | null }) {
  return (
    <ul className="finding-list" data-testid="involving-findings">
      {findings.map((f, i) => (
        <FindingCard key={`${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}-${f.code}-${f.path ?? ''}-${i}`} finding={f} namespaces={namespaces} showObject />
      ))}
    </ul>
  );
}

export function OwnFindings({ findings, namespaces, what }: { findings: Finding[]; namespaces: string[] | null; what: string }) {
  if (findings.length === 0) return <p className="muted">{`No findings on the ${what}'s own objects.`}</p>;
  return (
    <ul className="finding-list" data-testid="own-findings">
      {findings.map((f, i) => (
        <FindingCard key={`${f.code}-${f.path ?? ''}-${i}`} finding={f} namespaces={namespaces} showObject />
      ))}
    </ul>
  );
}
