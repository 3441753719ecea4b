import { describe, expect, it } from 'vitest';
import { legendFor } from './legendItems';
import { arrowLength, edgePath, escapeXml, sceneToSvg, shapeElement, type Scene, type SceneNode } from './svg';

/**
 * A strict-enough XML well-formedness check for tests in Node (no DOMParser here; the browser test
 * parses the real export with the browser's XML parser): balanced tags, quoted attributes, no raw
 * `<` or `&` in text.
 */
function assertWellFormed(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = tag.exec(body)) !== null) {
    consumed = tag.lastIndex;
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[5])) throw new Error(`raw & in text: ${m[5]}`);
      continue;
    }
    const [, close, name, , selfClose] = m;
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[3] ?? '')) throw new Error(`raw & in attributes of <${name}>`);
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClose) {
      stack.push(name!);
      names.push(name!);
    } else names.push(name!);
  }
  if (consumed !== body.length) throw new Error(`unparsable at ${consumed}: ${body.slice(consumed, consumed + 60)}`);
  if (stack.length) throw new Error(`unclosed: ${stack.join(', ')}`);
  return names;
}

const label = (lines: string[]) => ({ lines, fontSize: 11, color: '#1f2328', bold: false, background: { color: '#ffffff', opacity: 0.8 } });

function node(id: string, x: number, y: number, extra: Partial<SceneNode> = {}): SceneNode {
  return {
    id, x, y, width: 34, height: 34, shape: 'round-rectangle', fill: '#ffffff', fillOpacity: 1, stroke: '#2e7d32', strokeWidth: 2.5,
    strokeStyle: 'solid', opacity: 1, isBox: false, label: label([id]), labelMargin: 4, selected: false, findMatch: false, ...extra,
  };
}

const scene: Scene = {
  bounds: { x1: -20, y1: -60, x2: 420, y2: 120 },
  boxes: [node('bookinfo', 200, 30, { isBox: true, width: 440, height: 150, fill: '#f9fafb', fillOpacity: 0.6, stroke: '#9aa3ae', strokeWidth: 1, label: { ...label(['bookinfo']), bold: true, background: null } })],
  nodes: [
    node('productpage', 0, 0, { selected: true, label: label(['productpage', 'v1', 'VS · TS']) }),
    node('reviews <v2> & "co"', 300, 0, { shape: 'ellipse', strokeStyle: 'dashed' }),
    node('ratings', 300, 80, { shape: 'triangle', strokeStyle: 'double' }),
  ],
  edges: [
    { id: 'e1', points: [{ x: 17, y: 0 }, { x: 283, y: 0 }], color: '#4b7f52', width: 3, opacity: 1, arrow: 'triangle', arrowScale: 0.9, label: label(['12 rps', '3.3% err']), labelAt: { x: 150, y: 0 }, selected: false },
    { id: 'e2', points: [{ x: 300, y: 17 }, { x: 330, y: 40 }, { x: 300, y: 63 }], color: '#c62828', width: 2, opacity: 1, arrow: 'triangle-tee', arrowScale: 0.9, label: label([]), labelAt: { x: 315, y: 40 }, selected: true },
  ],
};

describe('SVG export', () => {
  const caption = ['Demo mesh · Versioned app graph', 'Namespaces: bookinfo', 'Time window: 2026-11-22 02:50–03:00 UTC (10 min)'];
  const legend = legendFor([{ classes: ['node-app', 'health-Healthy'], data: { hasVS: { hostnames: [], objects: [] } } }], [{ classes: ['proto-http'], data: {} }]);
  const svg = sceneToSvg(scene, { background: 'light', caption, legend });

  it('is well-formed XML with the caption, node labels (escaped), edge labels and legend as text', () => {
    const elements = assertWellFormed(svg);
    expect(elements[0]).toBe('svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    for (const line of caption) expect(svg).toContain(`>${line}</text>`);
    expect(svg).toContain('>productpage</tspan>');
    expect(svg).toContain('>VS · TS</tspan>');
    expect(svg).toContain('>reviews &lt;v2&gt; &amp; &quot;co&quot;</tspan>');
    expect(svg).toContain('>12 rps</tspan><tspan');
    expect(svg).toContain('>3.3% err</tspan>');
    expect(svg).toContain('>bookinfo</tspan>');
    expect(svg).toContain('>Virtual service</text>');
    expect(svg).toContain('>App</text>');
    expect(svg).toContain('>Healthy</text>');
  });

  it('draws each node as its shape, boxes under edges under nodes, arrowheads on edges', () => {
    const graphPart = svg.slice(svg.indexOf('<g class="graph"'), svg.indexOf('<g class="legend"'));
    const order = ['data-id="bookinfo"', 'data-id="e1"', 'data-id="e2"', 'data-id="productpage"', 'data-id="ratings"'].map((s) => graphPart.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const group = (id: string) => graphPart.slice(graphPart.indexOf(`data-id="${id}"`), graphPart.indexOf('</g>', graphPart.indexOf(`data-id="${id}"`)));
    expect(group('productpage')).toContain('<rect');
    expect(group('reviews &lt;v2&gt; &amp; &quot;co&quot;')).toMatch(/<ellipse [^>]*stroke-dasharray="6 4"/);
    expect(group('ratings')).toContain('<polygon points="300,63 317,97 283,97"');
    // e1: straight line ending under an arrowhead whose tip is at the target endpoint.
    expect(group('e1')).toMatch(/<path d="M17,0 L[\d.]+,0"/);
    expect(group('e1')).toMatch(/<polygon points="283,0 /);
    // e2: bezier through its control point, with the tee of a mirrored edge.
    expect(group('e2')).toContain('Q330,40 ');
    expect(group('e2')).toContain('<line ');
  });

  it('sizes the document to the graph plus caption and legend bands, dark background on request', () => {
    const m = /<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/.exec(svg)!;
    expect(Number(m[1])).toBeGreaterThanOrEqual(440 + 32);
    expect(Number(m[2])).toBeGreaterThan(180 + 32 + 60);
    const dark = sceneToSvg(scene, { background: 'dark', caption, legend });
    expect(dark).toContain('fill="#1c2430"');
    expect(dark).toContain('fill="#f3f4f6"');
    assertWellFormed(dark);
  });

  it('drops characters XML forbids and escapes the rest', () => {
    expect(escapeXml('a\u0001b<&>"\'')).toBe('a\\x01b&lt;&amp;&gt;&quot;&apos;');
    expect(escapeXml('invoice\u202etxt.exe \ufffe')).toBe('invoice\\u202etxt.exe ');
    expect(() => assertWellFormed(sceneToSvg({ ...scene, nodes: [node('bad\u0007name', 0, 0)] }, { background: 'light', caption, legend: [] }))).not.toThrow();
  });

  it('computes paths and arrow sizes like cytoscape', () => {
    expect(edgePath([{ x: 0, y: 0 }, { x: 10, y: 0 }])).toBe('M0,0 L10,0');
    expect(edgePath([{ x: 0, y: 0 }, { x: 5, y: 5 }, { x: 15, y: 5 }, { x: 20, y: 0 }])).toBe('M0,0 Q5,5 10,5 Q15,5 20,0');
    expect(arrowLength(1.5, 1)).toBeCloseTo(8.7, 1);
    expect(arrowLength(8, 1)).toBeGreaterThan(arrowLength(2, 1));
    expect(shapeElement('diamond', 0, 0, 10, 10, { fill: '#fff' })).toBe('<polygon points="0,-5 5,0 0,5 -5,0" fill="#fff"/>');
  });
});
