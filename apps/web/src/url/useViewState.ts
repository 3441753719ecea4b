/**
 * The view state hook: the URL is the single source of truth. Discrete changes push a history entry
 * (Back undoes them); typing in find/hide and filling in defaults replace the current entry, so
 * Back is not flooded with one entry per keystroke.
 */
import { useCallback, useEffect, useState } from 'react';
import { decodeViewState, encodeViewState, type ViewState } from './viewState';
import { carryScope } from '../cluster/clusterParam';

export type ViewUpdate = Partial<ViewState>;
export type SetView = (update: ViewUpdate, mode?: 'push' | 'replace') => void;

export function useViewState(): [ViewState, SetView] {
  const [view, setViewState] = useState<ViewState>(() => decodeViewState(window.location.search));

  useEffect(() => {
    const onPop = () => setViewState(decodeViewState(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const setView = useCallback<SetView>((update, mode = 'push') => {
    // Read the URL rather than React state so two updates in one tick compose instead of racing.
    const next = { ...decodeViewState(window.location.search), ...update };
    const query = encodeViewState(next);
    // `cluster` is not part of ViewState (cluster/clusterParam.ts): carry it over.
    const url = carryScope(`${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      if (mode === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    }
    setViewState(decodeViewState(query));
  }, []);

  return [view, setView];
}
