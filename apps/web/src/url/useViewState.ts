/**
 * The graph page's view state: the URL is the single source of truth, read and written through the router
 * (router/useUrlState.ts); url/viewState.ts is its codec.
 */
import { useUrlState, type UrlUpdate } from '../router/useUrlState';
import { searchFromView, validateGraphSearch, viewFromSearch, type ViewState } from './viewState';

export type ViewUpdate = Partial<ViewState>;
export type SetView = UrlUpdate<ViewState>;

const read = (search: Record<string, unknown>) => viewFromSearch(validateGraphSearch(search));

export function useViewState(): [ViewState, SetView] {
  return useUrlState(read, searchFromView);
}
