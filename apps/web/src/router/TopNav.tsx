/**
 * The header's page links. They name no parameter: the scope (cluster, snapshot) and the namespace selection and
 * time window travel with them (router/carry.ts), in new tabs too, since the href is built the same way.
 */
import { Link } from '@tanstack/react-router';
import { DraftsMenu } from '../drafts/DraftsMenu';

const PAGES = [
  { to: '/overview', label: 'Overview', testId: 'nav-overview' },
  { to: '/graph', label: 'Graph', testId: 'nav-graph' },
  { to: '/applications', label: 'Applications', testId: 'nav-applications' },
  { to: '/workloads', label: 'Workloads', testId: 'nav-workloads' },
  { to: '/services', label: 'Services', testId: 'nav-services' },
  { to: '/config', label: 'Config', testId: 'nav-config' },
  { to: '/trace', label: 'Trace', testId: 'nav-trace' },
] as const;

export function TopNav() {
  return (
    <nav className="top-nav" aria-label="Pages">
      {PAGES.map((p) => (
        <Link key={p.to} to={p.to} activeOptions={{ includeSearch: false }} data-testid={p.testId}>
          {p.label}
        </Link>
      ))}
      <DraftsMenu />
    </nav>
  );
}
