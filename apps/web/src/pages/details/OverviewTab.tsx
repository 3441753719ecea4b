/**
 * The overview tab of a detail page: what the entity is, its health, its pods, what it is connected to (the services
 * selecting a workload; a service's ports, backends with their routing weights and its VirtualService routes; an
 * application's workloads and services), the Istio objects that apply, and the one-hop node graph.
 */
import { Link } from '@tanstack/react-router';
import type { ApplicationDetail, EntityRowBase, GraphResponse, ServiceDetail, WorkloadDetail } from '@meshlens/model';
import { formatRef } from '@meshlens/model';
import { useMemo } from 'react';
import { Facts } from '../../panel/parts';
import { objectLink } from '../../router/links';
import { formatPercent, formatRps } from '../../format/units';
import { ErrorText, HealthIcon, IstioBadges, LabelChips, RateText } from '../lists/entityParts';
import { AppliedConfigList } from './AppliedConfigList';
import type { EntityType } from './detailSearch';
import { entityLink, graphNodeOf } from './entityLinks';
import { MiniGraph } from './MiniGraph';
import { UntrustedText } from '../../components/UntrustedText';
import { PodsTable } from './PodsTable';

export type AnyDetail = WorkloadDetail | ServiceDetail | ApplicationDetail;

export function rowOf(type: EntityType, detail: AnyDetail): EntityRowBase {
  if (type === 'workload') return (detail as WorkloadDetail).workload;
  if (type === 'service') return (detail as ServiceDetail).service;
  return (detail as ApplicationDetail).application;
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="detail-section" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

type FactRows = Array<[string, React.ReactNode | undefined]>;

function healthFacts(row: EntityRowBase): FactRows {
  const h = row.health;
  return [
        ['Health', <HealthIcon status={h.status} reason={h.reason} testId="detail-health" />],
        ['Why', h.reason],
        ['Replicas', h.replicas ? `${h.replicas.available} available of ${h.replicas.desired} desired (${h.replicas.current} exist)${h.replicas.assumed ? ', assumed: the input holds no status' : ''}` : undefined],
        ['Inbound', <span><RateText traffic={row.traffic} />{row.traffic.errorPercent !== undefined && <>{' · '}<ErrorText percent={row.traffic.errorPercent} />{' errors'}</>}</span>],
        ['Outbound', h.outbound ? `${formatRps(h.outbound.rate)}, ${formatPercent(h.outbound.errorRatio * 100)} errors` : undefined],
        ['Istio config', <IstioBadges badges={row.istioConfig.badges} missingSidecar={row.missingSidecar} ambient={row.ambient} />],
        ['Labels', <LabelChips labels={row.labels} max={12} />],
  ];
}

function workloadFacts(d: WorkloadDetail): FactRows {
  const w = d.workload;
  return [
        ['Kind', `${w.kind}${w.gateway ? ` (${w.gateway} gateway)` : ''}`],
        ['App / version', w.app ? `${w.app}${w.version ? ` ${w.version}` : ''}` : undefined],
        ['Application', w.app ? <Link {...entityLink('application', w.namespace, w.app)}>{w.app}</Link> : undefined],
        ['Service account', w.serviceAccount],
        ['Pods', String(w.podCount)],
  ];
}

function ServicesOfWorkload({ d }: { d: WorkloadDetail }) {
  if (d.services.length === 0) return <p className="muted">No Service selects it: nothing in the mesh can address it by name.</p>;
  return (
    <ul className="plain-list" data-testid="workload-services">
      {d.services.map((s) => (
        <li key={`${s.namespace}/${s.name}`}>
          <Link {...entityLink('service', s.namespace, s.name)}>{s.name}</Link>
          <span className="muted small">{` ${s.ports.join(', ')}`}</span>
        </li>
      ))}
    </ul>
  );
}

function serviceFacts(d: ServiceDetail): FactRows {
  const s = d.service;
  return [
        ['Type', s.type],
        ['Hostname', <code className="break">{d.hostname}</code>],
        ['Cluster IP', d.clusterIP],
        ['Selector', s.selector ? Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(', ') : 'none (endpoints managed by hand)'],
  ];
}

function applicationFacts(d: ApplicationDetail): FactRows {
  return [
    ['Versions', d.application.versions.join(', ') || 'none labelled'],
    ['Workloads', String(d.workloads.length)],
  ];
}

function PortsTable({ d }: { d: ServiceDetail }) {
  if (d.ports.length === 0) return <p className="muted">No ports.</p>;
  return (
    <table className="data-table detail-table compact" data-testid="service-ports">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Port</th>
          <th scope="col">Target</th>
          <th scope="col">Protocol</th>
          <th scope="col" title="What Istio takes the port for (appProtocol or the name's prefix); auto: it detects the protocol itself">Istio protocol</th>
        </tr>
      </thead>
      <tbody>
        {d.ports.map((p) => (
          <tr key={`${p.port}/${p.protocol}`}>
            <td>{p.name ?? <span className="muted">–</span>}</td>
            <td>{p.port}</td>
            <td>{p.targetPort ?? <span className="muted">–</span>}</td>
            <td>{`${p.protocol}${p.appProtocol ? ` (${p.appProtocol})` : ''}`}</td>
            <td>{p.istioProtocol}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Backends({ d }: { d: ServiceDetail }) {
  if (d.backends.length === 0) return <p className="muted">The selector selects no workload: requests to it fail with 503 (no healthy upstream).</p>;
  const routed = d.backends.some((b) => b.weight !== undefined);
  return (
    <>
      <p className="muted small">{routed ? 'Weights: the share of the default route (the last rule without matches) that VirtualServices send each workload.' : 'No VirtualService routes this host: Kubernetes spreads requests over the pods.'}</p>
      <table className="data-table detail-table" data-testid="service-backends">
        <thead>
          <tr>
            <th scope="col">Workload</th>
            <th scope="col">Version</th>
            <th scope="col">Subsets</th>
            <th scope="col" className="num">Weight</th>
            <th scope="col">Health</th>
            <th scope="col">Labels</th>
          </tr>
        </thead>
        <tbody>
          {d.backends.map((b) => (
            <tr key={b.name} data-testid="backend-row" data-name={b.name} data-version={b.version ?? ''}>
              <td><Link {...entityLink('workload', d.service.namespace, b.name)}><UntrustedText text={b.name} lines={2} /></Link><span className="muted small">{` ${b.kind}`}</span></td>
              <td>{b.version ?? <span className="muted">–</span>}</td>
              <td>{b.subsets.length > 0 ? <UntrustedText text={b.subsets.join(', ')} lines={2} /> : <span className="muted">none</span>}</td>
              <td className="num">{b.weight !== undefined ? formatPercent(b.weight) : <span className="muted">–</span>}</td>
              <td><HealthIcon status={b.health.status} reason={b.health.reason} /></td>
              <td><LabelChips labels={b.labels} max={3} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Routes({ d, namespaces }: { d: ServiceDetail; namespaces: string[] | null }) {
  if (d.routes.length === 0) return <p className="muted" data-testid="service-routes-empty">No VirtualService rule names this host.</p>;
  return (
    <table className="data-table detail-table" data-testid="service-routes">
      <thead>
        <tr>
          <th scope="col">VirtualService</th>
          <th scope="col">Rule</th>
          <th scope="col">When</th>
          <th scope="col">Goes to</th>
        </tr>
      </thead>
      <tbody>
        {d.routes.map((r) => (
          <tr key={`${formatRef(r.virtualService)}#${r.path}`} data-testid="route-row">
            <td><Link {...objectLink(r.virtualService, namespaces)} data-testid="route-vs"><UntrustedText text={r.virtualService.name} lines={2} /></Link></td>
            <td><code>{r.path}</code><span className="muted small">{` ${r.protocol}`}</span></td>
            <td>{r.matched ? <UntrustedText text={r.match ?? 'matches'} lines={3} /> : <span className="muted">always (default route)</span>}</td>
            <td>
              <ul className="plain-list">
                {r.destinations.map((dst, i) => (
                  <li key={i}>
                    <strong>{formatPercent(dst.weight)}</strong>
                    {' → '}
                    <UntrustedText text={`${dst.host}${dst.subset ? ` subset ${dst.subset}` : ''}${dst.port ? `:${dst.port}` : ''}`} lines={2} />
                    {dst.workloads.length > 0 && <span className="muted small"><UntrustedText text={` (${dst.workloads.join(', ')})`} lines={2} /></span>}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AppWorkloads({ d }: { d: ApplicationDetail }) {
  return (
    <table className="data-table detail-table" data-testid="app-workloads">
      <thead>
        <tr>
          <th scope="col">Workload</th>
          <th scope="col">Version</th>
          <th scope="col">Health</th>
          <th scope="col" className="num">Pods</th>
          <th scope="col">Istio config</th>
        </tr>
      </thead>
      <tbody>
        {d.workloads.map((w) => (
          <tr key={w.name} data-testid="app-workload" data-name={w.name}>
            <td><Link {...entityLink('workload', w.namespace, w.name)}>{w.name}</Link></td>
            <td>{w.version ?? <span className="muted">–</span>}</td>
            <td><HealthIcon status={w.health.status} reason={w.health.reason} /></td>
            <td className="num">{w.podCount}</td>
            <td><IstioBadges badges={w.istioConfig.badges} missingSidecar={w.missingSidecar} ambient={w.ambient} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AppServices({ d }: { d: ApplicationDetail }) {
  if (d.services.length === 0) return <p className="muted">No Service selects its workloads.</p>;
  return (
    <ul className="plain-list">
      {d.services.map((s) => (
        <li key={s.name}>
          <Link {...entityLink('service', s.namespace, s.name)}>{s.name}</Link>
          <span className="muted small">{` ${s.ports.join(', ')}`}</span>
        </li>
      ))}
    </ul>
  );
}

interface Props {
  type: EntityType;
  namespace: string;
  name: string;
  detail: AnyDetail;
  graph: { data?: GraphResponse; isPending: boolean; error: Error | null };
  namespaces: string[] | null;
}

export function OverviewTab({ type, namespace, name, detail, graph, namespaces }: Props) {
  const row = rowOf(type, detail);
  const self = useMemo(() => {
    const ids = new Set<string>();
    const own = graphNodeOf(type, namespace, name).focus;
    for (const n of graph.data?.elements.nodes ?? []) {
      const d = n.data;
      if (d.id === own) ids.add(d.id);
      else if (type === 'workload' && d.workload === name && d.namespace === namespace && d.nodeType !== 'service') ids.add(d.id);
      else if (type === 'application' && d.app === name && d.namespace === namespace && d.nodeType === 'app') ids.add(d.id);
      else if (type === 'service' && d.destServices?.some((s) => s.namespace === namespace && s.name === name)) ids.add(d.id);
    }
    return ids;
  }, [graph.data, type, namespace, name]);
  return (
    <div className="overview-tab">
      <div className="detail-columns">
        <div className="detail-column">
          <Section title="Summary">
            <Facts
              rows={[
                ...(type === 'workload' ? workloadFacts(detail as WorkloadDetail) : type === 'service' ? serviceFacts(detail as ServiceDetail) : applicationFacts(detail as ApplicationDetail)),
                ...healthFacts(row),
              ]}
            />
          </Section>
          {type === 'workload' && (
            <Section title="Services that select it">
              <ServicesOfWorkload d={detail as WorkloadDetail} />
            </Section>
          )}
          {type === 'application' && (
            <Section title="Services">
              <AppServices d={detail as ApplicationDetail} />
            </Section>
          )}
          {type === 'service' && (
            <Section title="Ports">
              <PortsTable d={detail as ServiceDetail} />
            </Section>
          )}
        </div>
        <div className="detail-column">
          <Section title="Graph: one hop">
            {graph.data ? (
              graph.data.elements.nodes.length > 0 ? (
                <MiniGraph graph={graph.data} self={self} />
              ) : (
                <p className="muted">No traffic to or from it in the window. Pick a longer duration above.</p>
              )
            ) : graph.error ? (
              <p className="muted" role="alert">{`The node graph could not load: ${graph.error.message}`}</p>
            ) : (
              <div className="skeleton mini-graph-skeleton" aria-hidden="true" />
            )}
          </Section>
          <Section title="Istio config that applies" testId="overview-config">
            <AppliedConfigList objects={detail.istioConfig} namespaces={namespaces} />
          </Section>
        </div>
      </div>
      {type === 'service' && (
        <>
          <Section title="Workloads behind it" testId="backends-section">
            <Backends d={detail as ServiceDetail} />
          </Section>
          <Section title="Routing" testId="routes-section">
            <Routes d={detail as ServiceDetail} namespaces={namespaces} />
          </Section>
        </>
      )}
      {type === 'application' && (
        <Section title="Workloads">
          <AppWorkloads d={detail as ApplicationDetail} />
        </Section>
      )}
      <Section title={`Pods: ${detail.pods.length}`} testId="pods-section">
        <PodsTable pods={detail.pods} />
      </Section>
    </div>
  );
}
