/** A namespace's mTLS mode, sidecar injection and links, in words (shared by the cards and the table). */
import { Link } from '@tanstack/react-router';
import type { InjectionStatus, MtlsStatus, NamespaceOverview } from '@meshlens/model';
import { formatRef } from '@meshlens/model';
import { configListLink, graphLink } from '../../router/links';
import { entityListLink } from '../details/entityLinks';

const MTLS_SOURCE: Record<MtlsStatus['source'], string> = { namespace: 'set in the namespace', mesh: 'from the mesh-wide policy', default: "Istio's default" };

export function mtlsTitle(m: MtlsStatus): string {
  const parts = [`mTLS ${m.mode}, ${MTLS_SOURCE[m.source]}${m.policy ? ` (PeerAuthentication ${formatRef(m.policy)})` : ''}.`];
  if (m.workloadPolicies.length > 0) parts.push(`Workload-level policies may override it: ${m.workloadPolicies.map((p) => p.name).join(', ')}.`);
  return parts.join(' ');
}

export function MtlsText({ mtls }: { mtls: MtlsStatus }) {
  const glyph = mtls.mode === 'STRICT' ? '🔒' : mtls.mode === 'DISABLE' ? '⚠' : '';
  return (
    <span className={`mtls mtls-${mtls.mode}`} title={mtlsTitle(mtls)} data-testid="ns-mtls">
      {glyph && <span aria-hidden="true">{`${glyph} `}</span>}
      {`mTLS ${mtls.mode.toLowerCase()}`}
      {mtls.workloadPolicies.length > 0 && <span className="muted">{` +${mtls.workloadPolicies.length}`}</span>}
    </span>
  );
}

export function injectionText(i: InjectionStatus): string {
  switch (i.mode) {
    case 'enabled':
      return 'sidecars injected';
    case 'revision':
      return `sidecars from revision ${i.revision ?? '?'}`;
    case 'ambient':
      return 'ambient';
    case 'disabled':
      return 'injection disabled';
    case 'unset':
      return 'no injection';
  }
}

export function InjectionText({ injection }: { injection: InjectionStatus }) {
  const title = [
    injection.label ? `Label ${injection.label}.` : 'No injection label: new pods get no sidecar.',
    injection.revision ? `Istio revision ${injection.revision}.` : '',
    injection.conflicting ? 'Conflicting labels: more than one of istio-injection, istio.io/rev and istio.io/dataplane-mode is set (IST0123).' : '',
  ].filter(Boolean).join(' ');
  return (
    <span className={`injection injection-${injection.mode}`} title={title} data-testid="ns-injection">
      {injection.conflicting && <span aria-hidden="true">{'⚠ '}</span>}
      {injectionText(injection)}
      {injection.conflicting && <span className="visually-hidden"> (conflicting labels)</span>}
    </span>
  );
}

/** Graph, lists and config of one namespace. */
export function NamespaceLinks({ ns }: { ns: NamespaceOverview }) {
  const name = ns.name;
  const hidden = (text: string) => <span className="visually-hidden">{` of ${text}`}</span>;
  return (
    <span className="ns-links">
      <Link {...graphLink([name])} data-testid="ns-graph-link">Graph{hidden(name)}</Link>
      <Link {...entityListLink('applications', [name])}>Apps{hidden(name)}</Link>
      <Link {...entityListLink('workloads', [name])} data-testid="ns-workloads-link">Workloads{hidden(name)}</Link>
      <Link {...entityListLink('services', [name])}>Services{hidden(name)}</Link>
      <Link {...configListLink({ namespaces: [name] })} data-testid="ns-config-link">Config{hidden(name)}</Link>
    </span>
  );
}
