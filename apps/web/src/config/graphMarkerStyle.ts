/**
 * The config-health marker drawn at a node's top-right corner (a background image outside the shape, so
 * it coexists with health borders and type fills), and its words in the node's badge line (`CFG`), so the
 * glyph's colour is never the only signal.
 */
import type cytoscape from 'cytoscape';
import type { Severity } from '@meshlens/model';

function svg(body: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">${body}</svg>`)}`;
}

export const MARKER_IMAGE: Record<Severity, string> = {
  error: svg('<circle cx="8" cy="8" r="7.5" fill="#c62828" stroke="#fff"/><rect x="7" y="3.5" width="2" height="6" fill="#fff"/><rect x="7" y="11" width="2" height="2" fill="#fff"/>'),
  warning: svg('<path d="M8 0.8 15.4 14.6H0.6Z" fill="#f2b705" stroke="#5c3d00"/><rect x="7.1" y="5" width="1.8" height="5" fill="#1f2328"/><rect x="7.1" y="11" width="1.8" height="1.8" fill="#1f2328"/>'),
  info: svg('<circle cx="8" cy="8" r="7.5" fill="#1f6fb2" stroke="#fff"/><rect x="7" y="7" width="2" height="5.5" fill="#fff"/><rect x="7" y="3.5" width="2" height="2" fill="#fff"/>'),
};

/** Selectors for `node.config-error|warning|info` (classes set by elements.ts from config/graphFindings.ts). */
export function configMarkerStyles(): cytoscape.StylesheetJson {
  return (['info', 'warning', 'error'] as const).map((severity) => ({
    selector: `node.config-${severity}`,
    style: {
      'background-image': MARKER_IMAGE[severity],
      'background-width': 14,
      'background-height': 14,
      'background-position-x': '100%',
      'background-position-y': '0%',
      'background-offset-x': 9,
      'background-offset-y': -9,
      'background-clip': 'none',
      'background-image-containment': 'over',
      'background-image-opacity': 1,
      'bounds-expansion': 12,
    },
  })) as cytoscape.StylesheetJson;
}
