/**
 * "Copy link": the URL of exactly this view at exactly this moment. A relative window ("last 10
 * minutes") becomes absolute (queryTime = the end of the window on screen), auto-refresh is turned
 * off (the moment is fixed), and the viewport's zoom and pan are added so the link opens on the same
 * picture. Everything else (selection, find/hide, layout…) is already in the view state.
 */
import { encodeViewState, type ViewState } from '../url/viewState';

export interface Moment {
  /** End of the window shown, unix seconds (the graph's timestamp). */
  windowEnd: number;
  /** Namespaces of the graph on screen, used when the URL names none. */
  namespaces: string[];
  zoom: number;
  pan: { x: number; y: number };
}

/** The absolute link for a view and a moment, on the page at `href`. */
export function exactViewLink(href: string, view: ViewState, moment: Moment): string {
  const exact: ViewState = {
    ...view,
    namespaces: view.namespaces ?? moment.namespaces,
    queryTime: moment.windowEnd,
    refresh: 0,
    zoom: moment.zoom,
    pan: moment.pan,
  };
  const url = new URL(href);
  url.search = encodeViewState(exact);
  url.hash = '';
  return url.toString();
}

/** Copies to the clipboard; false when the browser refuses (no permission, insecure origin, old browser). */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
