/** Chooses the page from the path: the graph at `/`, the Config list at `/config`, an object at `/config/<kind>/<ns>/<name>`. */
import { App } from '../App';
import { Header } from '../components/Header';
import { ConfigPage } from './ConfigPage';
import { ObjectPage } from './ObjectPage';
import { routeClick, routeOf, useLocation } from './router';
import './config.css';

export function Root() {
  const { pathname, search } = useLocation();
  const route = routeOf(pathname);
  if (route.page === 'graph') return <App />;
  return (
    <div className="app">
      <Header />
      <div className="config-scroll">
        {route.page === 'config' && <ConfigPage search={search} />}
        {route.page === 'object' && <ObjectPage key={`${route.kind}/${route.namespace}/${route.name}`} kind={route.kind} namespace={route.namespace} name={route.name} search={search} />}
        {route.page === 'not-found' && (
          <main className="config-main" aria-labelledby="nf-title">
            <h2 id="nf-title">No page at {route.pathname}</h2>
            <p>
              Meshlens has the <a href="/" onClick={routeClick}>graph</a> and the <a href="/config" onClick={routeClick}>Config page</a>; object pages are at
              /config/&lt;kind&gt;/&lt;namespace&gt;/&lt;name&gt;.
            </p>
          </main>
        )}
      </div>
    </div>
  );
}
