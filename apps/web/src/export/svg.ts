/**
 * SVG export written from cytoscape's model rather than its canvas: nodes as their shapes, edges as
 * paths with arrowheads, labels and boxes as text and rectangles, plus the caption band and legend.
 * Our own code because the only ready-made exporter (cytoscape-svg) is GPL. Pure: a Scene in, a
 * string out; scene.ts reads the Scene from a live cytoscape instance.
 */
import { FONT_FAMILY } from '../graph/stylesheet';
import { FIND_COLOR, SELECT_COLOR } from '../graph/theme';
import type { LegendItem, LegendSection, ShapeName } from './legendItems';
import { visibleText } from '../components/untrustedText';

export interface Point {
  x: number;
  y: number;
}

export interface Bounds {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface SceneLabel {
  lines: string[];
  fontSize: number;
  color: string;
  bold: boolean;
  /** Background behind the text (a readable label over edges and boxes), or null. */
  background: { color: string; opacity: number } | null;
}

export interface SceneNode {
  id: string;
  /** Centre of the shape, model units. */
  x: number;
  y: number;
  width: number;
  height: number;
  shape: ShapeName | string;
  fill: string;
  fillOpacity: number;
  stroke: string;
  strokeWidth: number;
  strokeStyle: 'solid' | 'dashed' | 'dotted' | 'double';
  opacity: number;
  isBox: boolean;
  label: SceneLabel;
  /** Gap between shape and label (cytoscape's text-margin-y). */
  labelMargin: number;
  selected: boolean;
  findMatch: boolean;
}

export interface SceneEdge {
  id: string;
  /** Source endpoint, then control points, then target endpoint; more than 2 points = bezier. */
  points: Point[];
  color: string;
  width: number;
  opacity: number;
  arrow: 'triangle' | 'triangle-tee' | 'none' | string;
  arrowScale: number;
  label: SceneLabel;
  labelAt: Point;
  selected: boolean;
}

export interface Scene {
  /** The model area in the picture. */
  bounds: Bounds;
  /** Boxes, outermost first (drawn below everything). */
  boxes: SceneNode[];
  nodes: SceneNode[];
  edges: SceneEdge[];
}

export type Background = 'light' | 'dark';

export const THEMES: Record<Background, { bg: string; text: string; muted: string; rule: string; itemFill: string }> = {
  light: { bg: '#ffffff', text: '#1f2328', muted: '#4b5563', rule: '#d6d9de', itemFill: '#ffffff' },
  dark: { bg: '#1c2430', text: '#f3f4f6', muted: '#c9d1db', rule: '#3b4656', itemFill: '#222a35' },
};

/** Escapes text for SVG content and attribute values (cluster names are untrusted input). */
export function escapeXml(text: string): string {
  // Control, bidi and invisible characters written out (\x1b, \u202e): a label cannot reorder or hide text.
  return visibleText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Characters XML 1.0 forbids even escaped: a label holding one must not break the whole file.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

const n = (v: number) => String(Math.round(v * 100) / 100);

/** Width of a text line, estimated (SVG viewers measure with their own fonts anyway). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.58;
}

function attrs(map: Record<string, string | number | undefined>): string {
  return Object.entries(map)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}="${escapeXml(typeof v === 'number' ? n(v) : String(v))}"`)
    .join(' ');
}

function polygon(points: Array<[number, number]>, cx: number, cy: number, w: number, h: number): string {
  return points.map(([px, py]) => `${n(cx + px * w / 2)},${n(cy + py * h / 2)}`).join(' ');
}

const OCTAGON: Array<[number, number]> = [[-0.414, -1], [0.414, -1], [1, -0.414], [1, 0.414], [0.414, 1], [-0.414, 1], [-1, 0.414], [-1, -0.414]];
const TAG: Array<[number, number]> = [[-1, -1], [0.45, -1], [1, 0], [0.45, 1], [-1, 1]];

/** One node shape as an SVG element, centred on (cx, cy) in a w×h box. */
export function shapeElement(shape: string, cx: number, cy: number, w: number, h: number, style: Record<string, string | number | undefined>): string {
  const a = attrs(style);
  switch (shape) {
    case 'ellipse':
      return `<ellipse ${attrs({ cx, cy, rx: w / 2, ry: h / 2 })} ${a}/>`;
    case 'triangle':
      return `<polygon points="${polygon([[0, -1], [1, 1], [-1, 1]], cx, cy, w, h)}" ${a}/>`;
    case 'diamond':
      return `<polygon points="${polygon([[0, -1], [1, 0], [0, 1], [-1, 0]], cx, cy, w, h)}" ${a}/>`;
    case 'octagon':
      return `<polygon points="${polygon(OCTAGON, cx, cy, w, h)}" ${a}/>`;
    case 'round-tag':
    case 'tag':
      return `<polygon points="${polygon(TAG, cx, cy, w, h)}" ${a}/>`;
    case 'rectangle':
      return `<rect ${attrs({ x: cx - w / 2, y: cy - h / 2, width: w, height: h })} ${a}/>`;
    default: {
      // round-rectangle and anything else: cytoscape's corner radius is about a quarter of the short side.
      const r = Math.min(w, h) / 4;
      return `<rect ${attrs({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, rx: r, ry: r })} ${a}/>`;
    }
  }
}

const DASH: Record<string, string | undefined> = { dashed: '6 4', dotted: '1.5 3', solid: undefined, double: undefined };

/** Multi-line text with an optional background, first baseline at `top + fontSize`. */
function textBlock(label: SceneLabel, cx: number, top: number, anchor: 'middle' | 'start' = 'middle'): string {
  const lines = label.lines.filter((l) => l.length > 0);
  if (lines.length === 0) return '';
  const lh = label.fontSize * 1.25;
  const parts: string[] = [];
  if (label.background && label.background.opacity > 0) {
    const w = Math.max(...lines.map((l) => textWidth(l, label.fontSize))) + 4;
    const x = anchor === 'middle' ? cx - w / 2 : cx - 2;
    parts.push(`<rect ${attrs({ x, y: top - 1, width: w, height: lines.length * lh + 2, rx: 2, fill: label.background.color, 'fill-opacity': label.background.opacity })}/>`);
  }
  const tspans = lines.map((line, i) => `<tspan ${attrs({ x: cx, y: top + label.fontSize + i * lh })}>${escapeXml(line)}</tspan>`).join('');
  parts.push(`<text ${attrs({ 'font-size': label.fontSize, fill: label.color, 'text-anchor': anchor, 'font-weight': label.bold ? 'bold' : undefined })}>${tspans}</text>`);
  return parts.join('');
}

function nodeElement(node: SceneNode): string {
  const parts: string[] = [];
  const overlay = node.selected ? { color: SELECT_COLOR, opacity: 0.2, pad: 8 } : node.findMatch ? { color: FIND_COLOR, opacity: 0.18, pad: 6 } : null;
  if (overlay) {
    parts.push(shapeElement('round-rectangle', node.x, node.y, node.width + 2 * overlay.pad, node.height + 2 * overlay.pad, { fill: overlay.color, 'fill-opacity': overlay.opacity }));
  }
  parts.push(
    shapeElement(node.shape, node.x, node.y, node.width, node.height, {
      fill: node.fill,
      'fill-opacity': node.fillOpacity < 1 ? node.fillOpacity : undefined,
      stroke: node.strokeWidth > 0 ? node.stroke : undefined,
      'stroke-width': node.strokeWidth > 0 ? node.strokeWidth : undefined,
      'stroke-dasharray': DASH[node.strokeStyle],
    }),
  );
  if (node.strokeStyle === 'double' && node.strokeWidth > 0) {
    // Cytoscape's double border: two thin lines; an inner outline gives the same look.
    const inset = node.strokeWidth * 1.2;
    parts.push(shapeElement(node.shape, node.x, node.y, node.width - inset, node.height - inset, { fill: 'none', stroke: node.stroke, 'stroke-width': Math.max(1, node.strokeWidth / 3) }));
  }
  parts.push(textBlock(node.label, node.x, node.y + node.height / 2 + node.strokeWidth / 2 + node.labelMargin));
  return `<g ${attrs({ 'data-id': node.id, opacity: node.opacity < 1 ? node.opacity : undefined })}>${parts.join('')}</g>`;
}

function boxElement(box: SceneNode): string {
  const x = box.x - box.width / 2;
  const y = box.y - box.height / 2;
  const rect = `<rect ${attrs({ x, y, width: box.width, height: box.height, rx: 6, ry: 6, fill: box.fill, 'fill-opacity': box.fillOpacity, stroke: box.stroke, 'stroke-width': box.strokeWidth, 'stroke-dasharray': DASH[box.strokeStyle] })}/>`;
  const lines = box.label.lines.length;
  const labelTop = y - box.labelMargin - lines * box.label.fontSize * 1.25 - 2;
  return `<g ${attrs({ 'data-id': box.id, class: 'box' })}>${rect}${textBlock(box.label, box.x, labelTop)}</g>`;
}

/** Cytoscape's arrow size for an edge width (its renderer's getArrowWidth × the triangle's 0.3 extent). */
export function arrowLength(width: number, scale: number): number {
  return 0.3 * Math.max(Math.pow(width * 13.37, 0.9), 29) * scale;
}

/** A path through the points: straight for 2, else quadratic segments through the midpoints of control points (cytoscape's bezier). */
export function edgePath(points: Point[]): string {
  if (points.length < 2) return '';
  const [first, ...rest] = points;
  if (rest.length === 1) return `M${n(first!.x)},${n(first!.y)} L${n(rest[0]!.x)},${n(rest[0]!.y)}`;
  const controls = points.slice(1, -1);
  const end = points[points.length - 1]!;
  let d = `M${n(first!.x)},${n(first!.y)}`;
  for (let i = 0; i < controls.length; i++) {
    const c = controls[i]!;
    const next = i + 1 < controls.length ? { x: (c.x + controls[i + 1]!.x) / 2, y: (c.y + controls[i + 1]!.y) / 2 } : end;
    d += ` Q${n(c.x)},${n(c.y)} ${n(next.x)},${n(next.y)}`;
  }
  return d;
}

function edgeElement(edge: SceneEdge): string {
  if (edge.points.length < 2) return '';
  const parts: string[] = [];
  const tip = edge.points[edge.points.length - 1]!;
  const before = edge.points[edge.points.length - 2]!;
  const len = Math.hypot(tip.x - before.x, tip.y - before.y) || 1;
  const ux = (tip.x - before.x) / len;
  const uy = (tip.y - before.y) / len;
  const arrowLen = edge.arrow === 'none' ? 0 : arrowLength(edge.width, edge.arrowScale);
  // The line stops under the arrow's base so a wide line does not poke out past its tip.
  const points = arrowLen > 0 ? [...edge.points.slice(0, -1), { x: tip.x - ux * arrowLen * 0.8, y: tip.y - uy * arrowLen * 0.8 }] : edge.points;
  if (edge.selected) parts.push(`<path ${attrs({ d: edgePath(points), fill: 'none', stroke: SELECT_COLOR, 'stroke-opacity': 0.25, 'stroke-width': edge.width + 8, 'stroke-linecap': 'round' })}/>`);
  parts.push(`<path ${attrs({ d: edgePath(points), fill: 'none', stroke: edge.color, 'stroke-width': edge.width })}/>`);
  if (arrowLen > 0) {
    const half = arrowLen / 2;
    const bx = tip.x - ux * arrowLen;
    const by = tip.y - uy * arrowLen;
    const pts = [[tip.x, tip.y], [bx - uy * half, by + ux * half], [bx + uy * half, by - ux * half]].map(([x, y]) => `${n(x!)},${n(y!)}`).join(' ');
    parts.push(`<polygon ${attrs({ points: pts, fill: edge.color })}/>`);
    if (edge.arrow === 'triangle-tee') {
      const tx = bx - ux * 3;
      const ty = by - uy * 3;
      parts.push(`<line ${attrs({ x1: tx - uy * half, y1: ty + ux * half, x2: tx + uy * half, y2: ty - ux * half, stroke: edge.color, 'stroke-width': 2 })}/>`);
    }
  }
  const lines = edge.label.lines.filter(Boolean);
  if (lines.length) parts.push(textBlock(edge.label, edge.labelAt.x, edge.labelAt.y - (lines.length * edge.label.fontSize * 1.25) / 2));
  return `<g ${attrs({ 'data-id': edge.id, opacity: edge.opacity < 1 ? edge.opacity : undefined })}>${parts.join('')}</g>`;
}

const CAPTION = { pad: 14, title: 15, body: 12.5, lineHeight: 1.5 };

/** The caption band's content (no <svg> wrapper) and its height, for a picture `width` wide. */
export function captionBand(lines: string[], width: number, background: Background): { body: string; height: number } {
  const t = THEMES[background];
  let y = CAPTION.pad;
  const texts = lines.map((line, i) => {
    const size = i === 0 ? CAPTION.title : CAPTION.body;
    y += size * CAPTION.lineHeight;
    return `<text ${attrs({ x: CAPTION.pad, y: y - size * 0.4, 'font-size': size, fill: i === 0 ? t.text : t.muted, 'font-weight': i === 0 ? 'bold' : undefined })}>${escapeXml(line)}</text>`;
  });
  const height = y + CAPTION.pad * 0.6;
  const rule = `<line ${attrs({ x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, stroke: t.rule })}/>`;
  return { body: `<g class="caption">${texts.join('')}${rule}</g>`, height };
}

const LEGEND = { pad: 14, heading: 12, item: 12, icon: 22, gap: 18, row: 26 };

function legendIcon(item: LegendItem, x: number, cy: number, background: Background): string {
  const s = LEGEND.icon;
  const t = THEMES[background];
  if (item.line) {
    return `<line ${attrs({ x1: x, y1: cy, x2: x + s - 7, y2: cy, stroke: item.line, 'stroke-width': 3 })}/><polygon points="${n(x + s - 8)},${n(cy - 5)} ${n(x + s)},${n(cy)} ${n(x + s - 8)},${n(cy + 5)}" fill="${item.line}"/>`;
  }
  if (item.code) {
    const w = Math.max(s, textWidth(item.code, 10.5) + 6);
    return `<rect ${attrs({ x, y: cy - 8, width: w, height: 16, rx: 3, fill: t.itemFill, stroke: t.rule })}/><text ${attrs({ x: x + w / 2, y: cy + 4, 'font-size': 10.5, 'font-weight': 'bold', 'text-anchor': 'middle', fill: t.text })}>${escapeXml(item.code)}</text>`;
  }
  return shapeElement(item.shape ?? 'ellipse', x + s / 2, cy, s - 6, s - 8, {
    fill: item.fill ?? t.itemFill,
    stroke: item.stroke ?? '#6b7280',
    'stroke-width': item.stroke ? 3 : 2,
    'stroke-dasharray': item.dash ? DASH[item.dash] : undefined,
  });
}

function iconWidth(item: LegendItem): number {
  return item.code ? Math.max(LEGEND.icon, textWidth(item.code, 10.5) + 6) : LEGEND.icon;
}

/** The legend band's content and height: one heading per section, items flowing in rows. */
export function legendBand(sections: LegendSection[], width: number, background: Background): { body: string; height: number } {
  const t = THEMES[background];
  if (sections.length === 0) return { body: '', height: 0 };
  const parts: string[] = [];
  let y = LEGEND.pad;
  for (const section of sections) {
    y += LEGEND.heading * 1.4;
    parts.push(`<text ${attrs({ x: LEGEND.pad, y: y - 3, 'font-size': LEGEND.heading, 'font-weight': 'bold', fill: t.muted })}>${escapeXml(section.title)}</text>`);
    let x = LEGEND.pad;
    y += LEGEND.row / 2 + 2;
    for (const item of section.items) {
      const w = iconWidth(item) + 6 + textWidth(item.label, LEGEND.item);
      if (x > LEGEND.pad && x + w > width - LEGEND.pad) {
        x = LEGEND.pad;
        y += LEGEND.row;
      }
      parts.push(legendIcon(item, x, y, background));
      parts.push(`<text ${attrs({ x: x + iconWidth(item) + 6, y: y + LEGEND.item * 0.35, 'font-size': LEGEND.item, fill: t.text })}>${escapeXml(item.label)}</text>`);
      x += w + LEGEND.gap;
    }
    y += LEGEND.row / 2 + 4;
  }
  const height = y + LEGEND.pad / 2;
  const rule = `<line ${attrs({ x1: 0, y1: 0.5, x2: width, y2: 0.5, stroke: t.rule })}/>`;
  return { body: `<g class="legend">${rule}${parts.join('')}</g>`, height };
}

/** An SVG document of `width`×`height` user units drawn at `scale` (for rasterising bands at 2x/4x). */
export function svgDocument(body: string, width: number, height: number, background: Background | null, scale = 1, title?: string): string {
  const head = `<svg xmlns="http://www.w3.org/2000/svg" ${attrs({ width: width * scale, height: height * scale, viewBox: `0 0 ${n(width)} ${n(height)}`, 'font-family': FONT_FAMILY })}>`;
  const bg = background ? `<rect ${attrs({ x: 0, y: 0, width, height, fill: THEMES[background].bg })}/>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${title ? `<title>${escapeXml(title)}</title>` : ''}${bg}${body}</svg>\n`;
}

export interface SvgExportOptions {
  background: Background;
  caption: string[];
  legend: LegendSection[];
  /** Minimum width so the caption fits beside a small graph. */
  minWidth?: number;
}

/** The whole picture: caption band, the graph (clipped to the scene bounds) and the legend. */
export function sceneToSvg(scene: Scene, options: SvgExportOptions): string {
  const margin = 16;
  const gw = scene.bounds.x2 - scene.bounds.x1;
  const gh = scene.bounds.y2 - scene.bounds.y1;
  const captionWidth = Math.max(...options.caption.map((l, i) => textWidth(l, i === 0 ? CAPTION.title : CAPTION.body))) + 2 * CAPTION.pad;
  const width = Math.ceil(Math.max(gw + 2 * margin, options.minWidth ?? 640, captionWidth));
  const caption = captionBand(options.caption, width, options.background);
  const legend = legendBand(options.legend, width, options.background);
  const graphTop = caption.height + margin;
  const height = Math.ceil(graphTop + gh + margin + legend.height);
  const dx = (width - gw) / 2 - scene.bounds.x1;
  const dy = graphTop - scene.bounds.y1;
  const clip = `<clipPath id="ml-graph-clip"><rect ${attrs({ x: scene.bounds.x1, y: scene.bounds.y1, width: gw, height: gh })}/></clipPath>`;
  const graph = [
    ...scene.boxes.map(boxElement),
    ...scene.edges.map(edgeElement),
    ...scene.nodes.map(nodeElement),
  ].join('\n');
  const body = [
    `<defs>${clip}</defs>`,
    caption.body,
    `<g class="graph" transform="translate(${n(dx)},${n(dy)})" clip-path="url(#ml-graph-clip)">\n${graph}\n</g>`,
    `<g transform="translate(0,${n(graphTop + gh + margin)})">${legend.body}</g>`,
  ].join('\n');
  return svgDocument(body, width, height, options.background, 1, options.caption[0]);
}
