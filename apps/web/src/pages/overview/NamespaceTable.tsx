/** The Overview as a compact table, for many namespaces: the same facts as the cards, one row each, virtualised. */
import { Link } from '@tanstack/react-router';
import type { NamespaceOverview } from '@meshlens/model';
import { SeverityCounts } from '../../config/severity';
import { configListLink, graphLink } from '../../router/links';
import { entityListLink } from '../details/entityLinks';
import { ErrorText, HealthIcon, HEALTH_RULES, RateText } from '../lists/entityParts';
import { VirtualTable, type Column } from '../lists/VirtualTable';
import { HealthBar } from './HealthBar';
import { InjectionText, MtlsText } from './namespaceFacts';
import type { OverviewSort } from './overviewSearch';
import { Sparkline } from './Sparkline';

const hidden = (text: string) => <span className="visually-hidden">{` of ${text}`}</span>;

const COLUMNS: Array<Column<NamespaceOverview, OverviewSort>> = [
  { id: 'health', header: 'Health', width: '100px', sort: 'worst', title: `The worst status of its applications, workloads and services. ${HEALTH_RULES}`, cell: (ns) => <HealthIcon status={ns.worstStatus} testId="ns-status" /> },
  {
    id: 'name',
    header: 'Namespace',
    width: 'minmax(130px, 1.3fr)',
    sort: 'name',
    cell: (ns) => (
      <span className="ns-name-cell">
        <Link {...entityListLink('applications', [ns.name])} className="entity-name" title={`${ns.name}: its applications`}>{ns.name}</Link>
        {ns.isControlPlane && <span className="ns-tag small">control plane</span>}
      </span>
    ),
  },
  { id: 'apps', header: 'Apps', width: '104px', cell: (ns) => <HealthBar label="Apps" counts={ns.health.applications} compact /> },
  { id: 'workloads', header: 'Workloads', width: '104px', cell: (ns) => <HealthBar label="Workloads" counts={ns.health.workloads} compact /> },
  { id: 'services', header: 'Services', width: '104px', cell: (ns) => <HealthBar label="Services" counts={ns.health.services} compact /> },
  { id: 'rate', header: 'Requests', width: '78px', sort: 'rate', className: 'num', title: 'Inbound requests per second over the window', cell: (ns) => <RateText traffic={ns.traffic} /> },
  { id: 'errors', header: 'Errors', width: '66px', sort: 'errors', className: 'num', title: 'Share of inbound requests that failed', cell: (ns) => <ErrorText percent={ns.traffic.errorPercent} /> },
  { id: 'trend', header: 'Trend', width: '104px', title: 'Inbound requests (line) and errors (bars) over the window', cell: (ns) => <Sparkline data={ns.sparkline} width={96} /> },
  {
    id: 'mesh',
    header: 'mTLS · injection',
    width: 'minmax(130px, 1fr)',
    cell: (ns) => (
      <span className="two-lines">
        <MtlsText mtls={ns.mtls} />
        <InjectionText injection={ns.injection} />
      </span>
    ),
  },
  { id: 'findings', header: 'Findings', width: '104px', cell: (ns) => <SeverityCounts summary={ns.findings} /> },
  {
    id: 'links',
    header: 'Open',
    width: 'minmax(190px, 1.2fr)',
    cell: (ns) => (
      <span className="ns-links two-lines">
        <span>
          <Link {...graphLink([ns.name])}>Graph{hidden(ns.name)}</Link>
          <Link {...configListLink({ namespaces: [ns.name] })}>Config{hidden(ns.name)}</Link>
        </span>
        <span>
          <Link {...entityListLink('applications', [ns.name])}>Apps{hidden(ns.name)}</Link>
          <Link {...entityListLink('workloads', [ns.name])}>Workloads{hidden(ns.name)}</Link>
          <Link {...entityListLink('services', [ns.name])}>Services{hidden(ns.name)}</Link>
        </span>
      </span>
    ),
  },
];

const nsRowProps = (ns: NamespaceOverview) => ({ 'data-testid': 'ns-row', 'data-namespace': ns.name, 'data-status': ns.worstStatus });
const nsRowKey = (ns: NamespaceOverview) => ns.name;

export function NamespaceTable({ namespaces, sort, onSort }: { namespaces: NamespaceOverview[]; sort: OverviewSort; onSort: (sort: OverviewSort) => void }) {
  return (
    <VirtualTable
      rows={namespaces}
      columns={COLUMNS}
      rowKey={nsRowKey}
      label={`Namespaces, ${namespaces.length} rows`}
      sort={sort}
      order={sort === 'rate' || sort === 'errors' ? 'desc' : 'asc'}
      onSort={onSort}
      rowHeight={46}
      testId="ns-table"
      className="ns-table-scroll"
      rowProps={nsRowProps}
    />
  );
}
