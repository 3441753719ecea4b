/**
 * The graph page's export actions: the Export menu (PNG/SVG pictures with caption and legend, and
 * JSON/CSV/DOT data of the same view) and "Copy link" (this view at this moment). Everything is
 * generated in the browser from the graph on screen; nothing is sent anywhere.
 */
import type { GraphResponse } from '@meshlens/model';
import type cytoscape from 'cytoscape';
import { useEffect, useId, useRef, useState } from 'react';
import { useHealth } from '../api/queries';
import type { ViewState } from '../url/viewState';
import { captionLines, exportFileName, scaleLine, type CaptionInfo } from './caption';
import { copyToClipboard, exactViewLink } from './copyLink';
import { edgesCsv, graphDot } from './data';
import { downloadBlob, downloadText } from './download';
import './export.css';
import { legendFor } from './legendItems';
import { exportPng } from './png';
import { legendElements, readScene, type ExportArea } from './scene';
import { sceneToSvg, type Background } from './svg';
import { DownloadSnapshot } from '../snapshot/DownloadSnapshot';
import { useEscape } from '../components/useEscape';
import { buildStylesheet } from '../graph/stylesheet';
import { graphPalette } from '../graph/theme';
import { useTheme } from '../theme/themeStore';
import type { Theme } from '../theme/theme';

/**
 * Runs `draw` with the graph in the palette of the picture's background (a light picture of a dark screen, or the
 * reverse), then puts the screen's palette back before the browser paints. `draw` must read the canvas
 * synchronously; what it returns (a promise of the encoded file) may settle later.
 */
function inPalette<T>(cy: cytoscape.Core, picture: Background, screen: Theme, edgeLabels: ViewState['edgeLabels'], draw: () => T): T {
  if (picture === screen) return draw();
  cy.style(buildStylesheet(edgeLabels, graphPalette(picture)));
  try {
    return draw();
  } finally {
    cy.style(buildStylesheet(edgeLabels, graphPalette(screen)));
  }
}

interface Props {
  cy: cytoscape.Core | null;
  graph: GraphResponse | undefined;
  view: ViewState;
  findCount: number | null;
}

function Choice<T extends string | number>(props: { legend: string; name: string; value: T; options: Array<{ value: T; label: string }>; onChange: (v: T) => void }) {
  return (
    <fieldset className="export-choice">
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={String(o.value)} className="checkbox">
          <input type="radio" name={props.name} checked={props.value === o.value} onChange={() => props.onChange(o.value)} data-testid={`export-${props.name}-${o.value}`} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function ExportMenu({ cy, graph, view, findCount }: Props) {
  const health = useHealth();
  const { theme } = useTheme();
  const [link, setLink] = useState<{ url: string; copied: boolean } | null>(null);
  const [open, setOpen] = useState(false);
  const [area, setArea] = useState<ExportArea>('full');
  const [scale, setScale] = useState<1 | 2 | 4>(2);
  // Pictures look like the screen unless asked otherwise.
  const [background, setBackground] = useState<Background>(theme);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const linkRef = useRef<HTMLDivElement>(null);
  useEscape(open, () => {
    setOpen(false);
    toggleRef.current?.focus();
  }, panelRef);
  useEscape(link !== null, () => setLink(null), linkRef);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const linkField = useRef<HTMLInputElement>(null);
  const panelId = useId();
  const ready = cy !== null && graph !== undefined;

  useEffect(() => {
    if (link && !link.copied) linkField.current?.select();
  }, [link]);

  const caption = (): string[] => {
    const sources = health.data?.sources.map((s) => s.name).filter(Boolean) ?? [];
    const hiddenCount = cy ? cy.nodes('.hidden').not('.box').length : undefined;
    const info: CaptionInfo = {
      source: sources.length ? sources.join(', ') : 'Meshlens',
      namespaces: graph!.namespaces,
      graphType: graph!.graphType,
      windowEnd: graph!.timestamp,
      duration: graph!.duration,
      find: view.find,
      findCount: findCount ?? undefined,
      hide: view.hide,
      hiddenCount,
      idle: view.idle,
      edgeLabels: view.edgeLabels,
      version: health.data?.version ?? 'unknown version',
      area,
      exportedAt: Date.now(),
      scale: scaleLine(graph!),
    };
    return captionLines(info);
  };

  const fileName = (ext: string) => exportFileName(graph!.namespaces, graph!.graphType, graph!.timestamp, ext);

  const run = async (what: string, work: () => Promise<string> | string) => {
    setBusy(true);
    setStatus({ text: `Making ${what}…` });
    try {
      const name = await work();
      setStatus({ text: `Saved ${name}` });
    } catch (error) {
      setStatus({ text: `Could not make ${what}: ${error instanceof Error ? error.message : String(error)}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  const legend = () => {
    const elements = legendElements(cy!, area);
    return legendFor(elements.nodes, elements.edges, graphPalette(background));
  };

  const png = () =>
    run('the PNG', async () => {
      const blob = await inPalette(cy!, background, theme, view.edgeLabels, () => exportPng(cy!, { area, scale, background, caption: caption(), legend: legend() }));
      const name = fileName('png');
      downloadBlob(blob, name);
      return name;
    });

  const svg = () =>
    run('the SVG', () => {
      const text = sceneToSvg(inPalette(cy!, background, theme, view.edgeLabels, () => readScene(cy!, area)), { background, caption: caption(), legend: legend() });
      const name = fileName('svg');
      downloadText(text, name, 'image/svg+xml');
      return name;
    });

  const data = (kind: 'json' | 'csv' | 'dot') =>
    run(kind.toUpperCase(), () => {
      const name = fileName(kind === 'dot' ? 'dot' : kind);
      if (kind === 'json') downloadText(`${JSON.stringify(graph, null, 2)}\n`, name, 'application/json');
      else if (kind === 'csv') downloadText(edgesCsv(graph!), name, 'text/csv');
      else downloadText(graphDot(graph!), name, 'text/vnd.graphviz');
      return name;
    });

  const copyLink = async () => {
    if (!cy || !graph) return;
    const url = exactViewLink(window.location.href, view, { windowEnd: graph.timestamp, namespaces: graph.namespaces, zoom: cy.zoom(), pan: cy.pan() });
    const copied = await copyToClipboard(url);
    setLink({ url, copied });
  };

  return (
    <div className="graph-actions">
      <div className="graph-actions-row">
        <button type="button" data-testid="copy-link" onClick={() => void copyLink()} disabled={!ready} title="Copy a link to exactly this view at this moment (absolute time window, zoom and selection)">
          Copy link
        </button>
        <button type="button" ref={toggleRef} data-testid="export-toggle" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)} disabled={!ready}>
          Export ▾
        </button>
        <DownloadSnapshot graph={graph} />
      </div>
      {link && (
        <div className="export-link" role="status" data-testid="copy-link-result" ref={linkRef}>
          {link.copied ? <span>Link copied: exact time window, zoom and selection.</span> : <label htmlFor={`${panelId}-link`}>The browser did not allow copying; copy this link (selected):</label>}
          <input id={`${panelId}-link`} ref={linkField} readOnly value={link.url} data-testid="copy-link-url" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="export-link-close" aria-label="Close link" onClick={() => setLink(null)}>×</button>
        </div>
      )}
      {open && ready && (
        <section
          id={panelId}
          className="export-panel"
          aria-label="Export"
          data-testid="export-panel"
          ref={panelRef}
        >
          <h2>Picture</h2>
          <Choice<ExportArea> legend="Area" name="area" value={area} options={[{ value: 'full', label: 'Full graph' }, { value: 'visible', label: 'Visible part' }]} onChange={setArea} />
          <Choice<1 | 2 | 4> legend="PNG scale" name="scale" value={scale} options={[{ value: 1, label: '1x' }, { value: 2, label: '2x' }, { value: 4, label: '4x' }]} onChange={setScale} />
          <Choice<Background> legend="Background" name="bg" value={background} options={[{ value: 'light', label: 'Light' }, { value: 'dark', label: 'Dark' }]} onChange={setBackground} />
          <div className="export-buttons">
            <button type="button" onClick={() => void png()} disabled={busy} data-testid="export-png">PNG</button>
            <button type="button" onClick={() => void svg()} disabled={busy} data-testid="export-svg">SVG (vector)</button>
          </div>
          <h2>Data of this view</h2>
          <div className="export-buttons">
            <button type="button" onClick={() => void data('json')} disabled={busy} data-testid="export-json">Graph JSON</button>
            <button type="button" onClick={() => void data('csv')} disabled={busy} data-testid="export-csv">Edges CSV</button>
            <button type="button" onClick={() => void data('dot')} disabled={busy} data-testid="export-dot">Graphviz DOT</button>
          </div>
          <p className={status?.error ? 'export-status export-error' : 'export-status'} role="status" aria-live="polite" data-testid="export-status">
            {status?.text ?? 'Pictures carry a caption (source, namespaces, time window in UTC, filters, version) and a legend of what they show.'}
          </p>
        </section>
      )}
    </div>
  );
}
