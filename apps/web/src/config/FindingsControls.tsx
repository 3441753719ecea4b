/** The graph toolbar's config-health part: the selected namespaces' errors/warnings (a link to the Config page) and "only nodes with findings". */
import type { SetView } from '../url/useViewState';
import type { ViewState } from '../url/viewState';
import { useFindings } from './api';
import { Link } from '@tanstack/react-router';
import { configListLink } from '../router/links';
import { summaryText, SeverityCounts } from './severity';

interface Props {
  view: ViewState;
  setView: SetView;
  namespaces: string[];
}

export function FindingsControls({ view, setView, namespaces }: Props) {
  // Same query as the graph's markers (useMarkedGraph): React Query shares it.
  const findings = useFindings(namespaces, { involving: true, refreshMs: view.refresh, enabled: namespaces.length > 0 });
  const summary = findings.data?.summary;
  return (
    <div className="field findings-field">
      <span className="field-label" id="config-health-label">Config health</span>
      <div className="findings-row">
        {summary ? (
          <Link
            {...configListLink({ namespaces })}
            className="config-badge"
            data-testid="config-badge"
            aria-describedby="config-health-label"
            title={`Configuration of ${namespaces.join(', ')}: ${summaryText(summary)}. Open the Config page.`}
          >
            <SeverityCounts summary={summary} />
          </Link>
        ) : (
          <span className="muted">{findings.isFetching ? 'checking…' : findings.error ? 'unavailable' : '—'}</span>
        )}
        <label className="checkbox">
          <input type="checkbox" data-testid="findings-only" checked={view.findingsOnly} onChange={(e) => setView({ findingsOnly: e.target.checked })} />
          Only nodes with findings
        </label>
      </div>
    </div>
  );
}
