/**
 * A page's state kept in its URL, read and written through the router. Discrete changes push a history entry
 * (Back undoes them); typing and filling in defaults replace the current one, so Back is not flooded with one
 * entry per keystroke.
 *
 * The router commits a navigation a moment later (asynchronously), so the state written is echoed at once until
 * the router's search catches up: a controlled text field keeps its caret and every keystroke, and two updates in
 * one tick compose instead of racing. An outside change (Back, Forward, a link) drops the echo.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useMatch, useNavigate, useSearch } from '@tanstack/react-router';
import { stringifySearch, type RawSearch } from './search';

export type UrlUpdate<S> = (update: Partial<S>, mode?: 'push' | 'replace') => void;

/**
 * `read` turns the route's search (validated, plus any other keys the URL has) into the page's state; `write` turns a
 * state into the search to navigate to, with every key of the page present (`undefined` for what the URL leaves
 * out), so a key the page clears is not carried over from the page being left (router/carry.ts).
 */
export function useUrlState<S extends object>(read: (search: RawSearch) => S, write: (state: S) => RawSearch): [S, UrlUpdate<S>] {
  // The search of this page's match: while a navigation to another page is pending it still is this page's.
  const search = useSearch({ strict: false }) as RawSearch;
  const match = useMatch({ strict: false });
  const navigate = useNavigate();
  const routed = useMemo(() => read(search), [search]); // eslint-disable-line react-hooks/exhaustive-deps
  const routedKey = stringifySearch(write(routed));
  const [echo, setEcho] = useState<S | null>(null);
  const inflight = useRef<string[]>([]);
  const latest = useRef<S>(routed);
  latest.current = echo ?? routed;
  const path = useRef(match.pathname);
  path.current = match.pathname;

  useLayoutEffect(() => {
    const i = inflight.current.indexOf(routedKey);
    inflight.current = i >= 0 ? inflight.current.slice(i + 1) : [];
    if (inflight.current.length === 0) setEcho(null);
  }, [routedKey]);

  const update = useCallback<UrlUpdate<S>>(
    (change, mode = 'push') => {
      const next = { ...latest.current, ...change };
      const nextSearch = write(next);
      latest.current = next;
      inflight.current.push(stringifySearch(nextSearch));
      setEcho(next);
      // This page's own path, not '.': a page that is being left must not write into the next page's URL.
      void navigate({ to: path.current, search: nextSearch, replace: mode === 'replace' } as never);
    },
    [navigate], // eslint-disable-line react-hooks/exhaustive-deps
  );

  return [echo ?? routed, update];
}
