/**
 * The time window of the entity pages: the graph toolbar's duration choice (time/DurationSelect, fed through a
 * view-shaped adapter), and, when the window ends in the past (a `queryTime` carried from the graph), that moment
 * with a button back to live.
 */
import { DurationSelect } from '../../time/DurationSelect';
import { formatMoment } from '../../time/clock';
import { DEFAULT_VIEW, type ViewState } from '../../url/viewState';

interface Props {
  duration: number;
  queryTime: number | null;
  onChange: (change: { duration?: number; queryTime?: number | null }) => void;
}

export function WindowControls({ duration, queryTime, onChange }: Props) {
  const view: ViewState = { ...DEFAULT_VIEW, duration, queryTime };
  return (
    <>
      <DurationSelect view={view} setView={(update) => update.duration !== undefined && onChange({ duration: update.duration })} />
      {queryTime !== null && (
        <div className="field window-end">
          <span className="field-label">Window ends</span>
          <span className="window-end-row">
            <span data-testid="window-end">{formatMoment(queryTime)}</span>
            <button type="button" className="link-button small" onClick={() => onChange({ queryTime: null })}>
              Go live
            </button>
          </span>
        </div>
      )}
    </>
  );
}
