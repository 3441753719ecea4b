/**
 * The config tab: every Istio object that applies, with its findings in full and a link to its page, the entity's own
 * findings, and the findings of other objects that involve it (a DestinationRule naming the pod carrying its labels).
 */
import { Link } from '@tanstack/react-router';
import type { AppliedConfig, Finding } from '@meshlens/model';
import { configListLink } from '../../router/links';
import { AppliedConfigList, InvolvingFindings, OwnFindings } from './AppliedConfigList';

export function ConfigTab({ objects, findings, involving = [], namespaces, namespace, what }: { objects: AppliedConfig[]; findings: Finding[]; involving?: Finding[]; namespaces: string[] | null; namespace: string; what: string }) {
  return (
    <div className="config-tab">
      <section className="detail-section">
        <h3>{`Istio objects that apply: ${objects.length}`}</h3>
        <AppliedConfigList objects={objects} namespaces={namespaces} full />
      </section>
      <section className="detail-section">
        <h3>{`Findings on the ${what} itself`}</h3>
        <OwnFindings findings={findings} namespaces={namespaces} what={what} />
      </section>
      {involving.length > 0 && (
        <section className="detail-section">
          <h3>{`Findings of other objects that involve the ${what}: ${involving.length}`}</h3>
          <InvolvingFindings findings={involving} namespaces={namespaces} />
        </section>
      )}
      <p className="small">
        <Link {...configListLink({ namespaces: [namespace] })}>{`Every Istio object of ${namespace}`}</Link>
      </p>
    </div>
  );
}
