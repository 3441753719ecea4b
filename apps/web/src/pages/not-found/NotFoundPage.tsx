/** Any path that is not a page: says so, and links to the pages there are. */
import { Link, useLocation } from '@tanstack/react-router';
import { configListLink, graphLink } from '../../router/links';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <div className="page-scroll">
      <main className="page-main" aria-labelledby="nf-title" data-testid="not-found">
        <h2 id="nf-title">No page at {pathname}</h2>
        <p>
          Meshlens has the <Link to="/overview">Overview</Link>, the <Link {...graphLink(null)}>graph</Link>, the lists of{' '}
          <Link to="/applications">applications</Link>, <Link to="/workloads">workloads</Link> and <Link to="/services">services</Link>, and the{' '}
          <Link {...configListLink()}>Config page</Link>. Detail pages are at /namespaces/&lt;namespace&gt;/workloads/&lt;name&gt; (or
          services, applications); Istio objects at /config/&lt;kind&gt;/&lt;namespace&gt;/&lt;name&gt;.
        </p>
      </main>
    </div>
  );
}
