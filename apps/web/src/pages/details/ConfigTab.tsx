/** The config tab: every Istio object that applies, with its findings in full and a link to its page, and the entity's own findings. */
import { Link } from '@tanstack/react-router';
import type { AppliedConfig, Finding } from '@meshlens/model';
import { configListLink } from '../../router/links';
import { AppliedConfigList, OwnFindings } from './AppliedConfigList';

export function ConfigTab({ objects, findings, namespaces, namespace, what }: { objects: AppliedConfig[]; findings: Finding[]; namespaces: string[] | null; namespace: string; what: string }) {
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
      <p className="small">
        <Link {...configListLink({ namespaces: [namespace] })}>{`Every Istio object of ${namespace}`}</Link>
      </p>
    </div>
  );
}
