/** Placeholders shaped like what is loading (a page's code, the first graph, a panel), instead of an empty page. */

export function PageSkeleton() {
  return (
    <div className="page-skeleton" data-testid="page-loading">
      <span className="visually-hidden" role="status">Loading the page…</span>
      <div className="skeleton skeleton-bar" aria-hidden="true" />
      <div className="skeleton skeleton-block" aria-hidden="true" />
    </div>
  );
}

/** Lines of text to come, e.g. in the side panel before the first graph. */
export function TextSkeleton({ lines = 5, label }: { lines?: number; label: string }) {
  return (
    <div className="text-skeleton" data-testid="text-loading">
      <span className="visually-hidden" role="status">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton skeleton-line" style={{ width: `${90 - ((i * 17) % 40)}%` }} aria-hidden="true" />
      ))}
    </div>
  );
}
