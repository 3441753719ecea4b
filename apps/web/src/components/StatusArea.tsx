/** Loading progress, errors and the server's warnings, above the graph. The graph itself is never blanked for them. */
import { ApiRequestError, ServerUnreachableError } from '../api/client';

interface Props {
  fetching: boolean;
  error: Error | null;
  hasGraph: boolean;
  warnings: string[];
  lastUpdated: number;
}

function errorText(error: Error): string {
  if (error instanceof ServerUnreachableError || error instanceof ApiRequestError) return error.message;
  return `Could not load the graph: ${error.message}`;
}

export function StatusArea({ fetching, error, hasGraph, warnings, lastUpdated }: Props) {
  return (
    <div className="status-area">
      <div className="progress-slot" role="status" aria-live="polite">
        {fetching ? (
          <>
            <progress className="progress" aria-label={hasGraph ? 'Refreshing graph' : 'Loading graph'} />
            <span className="visually-hidden">{hasGraph ? 'Refreshing graph' : 'Loading graph'}</span>
          </>
        ) : null}
      </div>
      {error && (
        <div className="banner banner-error" role="alert">
          <strong>{hasGraph ? 'Refresh failed. ' : 'The graph could not be loaded. '}</strong>
          {errorText(error)}
          {hasGraph && lastUpdated > 0 ? ` Showing the graph from ${new Date(lastUpdated).toLocaleTimeString()}.` : ''}
        </div>
      )}
      {warnings.length > 0 && (
        <div className="banner banner-warning" role="status">
          <strong>{warnings.length === 1 ? 'Warning: ' : `${warnings.length} warnings: `}</strong>
          {warnings.length === 1 ? (
            warnings[0]
          ) : (
            <ul>
              {warnings.map((w, i) => (
                <li key={`${i}-${w}`}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
