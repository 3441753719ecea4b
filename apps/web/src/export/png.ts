/**
 * PNG export: cytoscape renders the graph (`cy.png`, the non-blocking blob-promise form) and a canvas
 * composes it with the caption band above and the legend below, both drawn from the same SVG code
 * as the vector export and rasterised at the chosen scale, so their text is as sharp as the graph's.
 */
import type cytoscape from 'cytoscape';
import type { LegendSection } from './legendItems';
import type { ExportArea } from './scene';
import { captionBand, legendBand, svgDocument, textWidth, THEMES, type Background } from './svg';

export interface PngOptions {
  area: ExportArea;
  scale: 1 | 2 | 4;
  background: Background;
  caption: string[];
  legend: LegendSection[];
}

/** Browsers refuse canvases much beyond this on a side; cytoscape shrinks the graph to fit. */
const MAX_SIDE = 16000;
const MARGIN = 16;

async function svgImage(svg: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The composed picture as a PNG blob. */
export async function exportPng(cy: cytoscape.Core, options: PngOptions): Promise<Blob> {
  const { scale, background } = options;
  const theme = THEMES[background];
  const graphBlob = await cy.png({ output: 'blob-promise', full: options.area === 'full', scale, bg: theme.bg, maxWidth: MAX_SIDE, maxHeight: MAX_SIDE });
  const graph = await createImageBitmap(graphBlob);
  // Work in user units (px at 1x) for the bands, then draw everything at `scale`.
  const graphWidth = graph.width / scale;
  const graphHeight = graph.height / scale;
  const captionWidth = Math.max(...options.caption.map((l, i) => textWidth(l, i === 0 ? 15 : 12.5))) + 28;
  const width = Math.ceil(Math.max(graphWidth + 2 * MARGIN, 640, captionWidth));
  const caption = captionBand(options.caption, width, background);
  const legend = legendBand(options.legend, width, background);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round((caption.height + MARGIN + graphHeight + MARGIN + legend.height) * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw on a canvas, so it cannot make a PNG; try the SVG export.');
  context.fillStyle = theme.bg;
  context.fillRect(0, 0, canvas.width, canvas.height);
  const captionImage = await svgImage(svgDocument(caption.body, width, caption.height, null, scale));
  context.drawImage(captionImage, 0, 0, canvas.width, Math.round(caption.height * scale));
  const graphTop = Math.round((caption.height + MARGIN) * scale);
  context.drawImage(graph, Math.round((canvas.width - graph.width) / 2), graphTop);
  graph.close();
  if (legend.height > 0) {
    const legendImage = await svgImage(svgDocument(legend.body, width, legend.height, null, scale));
    context.drawImage(legendImage, 0, canvas.height - Math.round(legend.height * scale), canvas.width, Math.round(legend.height * scale));
  }
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the PNG (picture too large?); try a smaller scale.'))), 'image/png');
  });
}
