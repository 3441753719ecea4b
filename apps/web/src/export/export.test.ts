import type { GraphResponse } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import fixture from '../../test-fixtures/bookinfo-graph.json';
import { toElements } from '../graph/elements';
import { captionLines, exportFileName, formatWindow, scaleLine, type CaptionInfo } from './caption';
import { copyToClipboard, exactViewLink } from './copyLink';
import { CSV_HEADER, csvCell, edgesCsv, graphDot } from './data';
import { legendFor } from './legendItems';
import { DEFAULT_VIEW, decodeViewState } from '../url/viewState';

const graph = fixture as unknown as GraphResponse;

const info: CaptionInfo = {
  source: 'Demo mesh',
  namespaces: ['bookinfo'],
  graphType: 'versionedApp',
  windowEnd: Date.UTC(2026, 10, 22, 3, 0, 0) / 1000,
  duration: 600,
  find: 'reviews',
  findCount: 3,
  hide: 'unknown',
  hiddenCount: 1,
  idle: false,
  edgeLabels: 'requestRate',
  version: '0.1.0',
  area: 'full',
  exportedAt: Date.UTC(2026, 10, 22, 3, 5, 30),
};

describe('caption', () => {
  it('says which mesh, namespaces, graph, absolute UTC window, filters and version', () => {
    expect(captionLines(info)).toEqual([
      'Demo mesh · Versioned app graph',
      'Namespaces: bookinfo',
      'Time window: 2026-11-22 02:50–03:00 UTC (10 min)',
      'Filters: hidden: “unknown” (1 node) · highlighted: “reviews” (3 matches) · idle nodes not shown · edge labels: request rate',
      'Meshlens 0.1.0 · exported 2026-11-22 03:05:30 UTC',
    ]);
  });

  it('writes both dates when the window crosses midnight, seconds only when there are some', () => {
    expect(formatWindow(Date.UTC(2026, 10, 23, 0, 5, 0) / 1000, 600)).toBe('2026-11-22 23:55 – 2026-11-23 00:05 UTC');
    expect(formatWindow(Date.UTC(2026, 10, 22, 3, 0, 15) / 1000, 60)).toBe('2026-11-22 02:59:15–03:00:15 UTC');
  });

  it('names files after namespaces, graph type and UTC time', () => {
    const t = Date.UTC(2026, 10, 22, 3, 0, 0) / 1000;
    expect(exportFileName(['default', 'bookinfo'], 'versionedApp', t, 'png')).toBe('meshlens-bookinfo_default-versionedApp-20261122T0300Z.png');
    expect(exportFileName(['a', 'b', 'c', 'd', 'e'], 'app', t, 'svg')).toBe('meshlens-a_b_c_and-2-more-app-20261122T0300Z.svg');
  });
});

describe('data exports', () => {
  it('CSV has one row per edge with rate, error %, latency, flags and reporter', () => {
    const csv = edgesCsv(graph);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines).toHaveLength(graph.elements.edges.length + 1);
    const row = lines.find((l) => l.startsWith("productpage v1,reviews,"));
    expect(row).toBeDefined();
    const cells = row!.split(',');
    const col = (name: string) => cells[CSV_HEADER.indexOf(name)];
    const edge = graph.elements.edges.find((e) => e.data.source === 'vapp_bookinfo_productpage_v1' && e.data.target === "svc_bookinfo_reviews")!.data;
    expect(col('protocol')).toBe('http');
    expect(Number(col('rate'))).toBeCloseTo(edge.traffic.rates.http!, 3);
    expect(col('rate_unit')).toBe('req/s');
    expect(col('reporter')).toBe(edge.reporter);
    expect(Number(col('p95_ms'))).toBeCloseTo(edge.responseTimes?.p95 ?? edge.responseTime ?? NaN, 3);
  });

  it('quotes CSV cells safely, including spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(0.123456)).toBe('0.123');
    expect(csvCell(undefined)).toBe('');
  });

  it('DOT has a cluster per namespace, every node and every edge, with escaped labels', () => {
    const dot = graphDot(graph);
    expect(dot.startsWith('digraph meshlens {\n  rankdir=LR;')).toBe(true);
    expect(dot).toContain('label="bookinfo";');
    expect(dot).toContain('"vapp_bookinfo_productpage_v1" -> "svc_bookinfo_reviews"');
    const edgeLines = dot.split('\n').filter((l) => l.includes(' -> '));
    expect(edgeLines).toHaveLength(graph.elements.edges.length);
    const tricky: GraphResponse = { ...graph, elements: { nodes: [{ data: { id: 'x"y', nodeType: 'app', namespace: 'n', app: 'a\\b "q"' } }], edges: [] } } as never;
    expect(graphDot(tricky)).toContain('"x\\"y" [label="a\\\\b \\"q\\"", shape=box];');
    // Balanced braces: one digraph, one cluster per namespace.
    expect((dot.match(/{/g) ?? []).length).toBe((dot.match(/}/g) ?? []).length);
  });

  it('neutralises every formula lead in CSV (= + - @ tab CR), quotes what needs it, keeps numbers as numbers', () => {
    expect(["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx', 'a\nb', '<img src=x>'].map(csvCell)).toEqual([
      "'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", '"\'\rx"', '"a\nb"', '<img src=x>',
    ]);
    expect(csvCell(-1.5)).toBe('-1.5');
  });

  it('writes hostile names into DOT so every line parses: quotes, backslashes, newlines, control and bidi characters', () => {
    const hostile: GraphResponse = {
      ...graph,
      elements: {
        nodes: [
          { data: { id: 'a', nodeType: 'workload', namespace: 'n', workload: '"><svg onload=alert(1)>' } },
          { data: { id: 'b\\"\n', nodeType: 'workload', namespace: 'n', workload: '\u001b[31mred\u001b[0m\r\ninvoice\u202etxt.exe' } },
        ],
        edges: [],
      },
    } as never;
    const lines = graphDot(hostile).split('\n');
    expect(lines.filter((l) => l.startsWith('    "'))).toEqual([
      '    "a" [label="\\"><svg onload=alert(1)>", shape=ellipse];',
      '    "b\\\\\\"\\n" [label="\\\\x1b[31mred\\\\x1b[0m\\ninvoice\\\\u202etxt.exe", shape=ellipse];',
    ]);
  });
});

describe('caption of a hostile view', () => {
  it('writes out control and bidi characters and caps every line', () => {
    const lines = captionLines({ ...info, namespaces: ['hostile-lab'], find: `\u202e${'x'.repeat(10_000)}`, hide: '\u001b[2J' });
    expect(lines.every((l) => [...l].length <= 200)).toBe(true);
    expect(lines[3]).toBe(`Filters: hidden: “\\x1b[2J” (1 node) · highlighted: “\\u202e${'x'.repeat(53)}…” (3 matches) · idle nodes not shown · edge labels: request rate`);
  });
});

describe('legend of a picture', () => {
  it('lists only the shapes, health colours, edge kinds and badges present', () => {
    const { nodes, edges } = toElements(graph);
    const asLegend = (d: { classes?: unknown; data: unknown }) => ({ classes: d.classes as string[], data: d.data as Record<string, unknown> });
    const sections = legendFor(nodes.map(asLegend), edges.map(asLegend));
    const titles = sections.map((s) => s.title);
    expect(titles).toEqual(['Nodes', 'Health (node border)', 'Edges (width grows with rate)', 'Badges (under the node name)']);
    const labels = (title: string) => sections.find((s) => s.title === title)!.items.map((i) => i.label);
    expect(labels('Nodes')).toContain('App');
    expect(labels('Nodes')).toContain('Unknown source');
    expect(labels('Nodes')).not.toContain('External IP');
    expect(labels('Badges (under the node name)')).toContain('Gateway');
    // Only the productpage node alone: no edges section, no unknown node.
    const one = legendFor([asLegend(nodes.find((n) => n.data.id === 'vapp_bookinfo_productpage_v1')!)], []);
    expect(one.map((s) => s.title)).not.toContain('Edges (width grows with rate)');
    expect(one[0]!.items.map((i) => i.label)).toEqual(['App']);
  });
});

describe('copy link', () => {
  it('turns "last 10 minutes" into an absolute window with zoom, pan, selection and find/hide', () => {
    const view = { ...DEFAULT_VIEW, namespaces: null, find: 'reviews', hide: 'unknown', focus: 'vapp_bookinfo_reviews_v2', layout: 'layered' as const };
    const link = exactViewLink('http://127.0.0.1:20080/?refresh=10000#x', view, { windowEnd: 1763776800, namespaces: ['bookinfo'], zoom: 1.23456, pan: { x: 10.4, y: -20.6 } });
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:20080/');
    expect(url.hash).toBe('');
    const decoded = decodeViewState(url.search);
    expect(decoded).toEqual({ ...view, namespaces: ['bookinfo'], queryTime: 1763776800, refresh: 0, zoom: 1.235, pan: { x: 10, y: -21 } });
  });

  it('reports a refused clipboard instead of throwing', async () => {
    expect(await copyToClipboard('x')).toBe(false);
  });
});

describe('caption of a graph at scale', () => {
  it('says what the node budget collapsed and which neighbourhood is shown', () => {
    expect(scaleLine({})).toBeUndefined();
    expect(scaleLine({ grouping: { budget: 300, total: 80, visible: 80, expanded: [] } })).toBeUndefined();
    expect(scaleLine({ grouping: { budget: 300, total: 1000, visible: 69, expanded: ['team-04'] }, neighbourhood: { focus: 'vapp:a:b:v1', hops: 2 } })).toBe(
      'View: neighbourhood of vapp:a:b:v1, 2 hops · 69 of 1000 nodes drawn, groups collapsed above 300, expanded: team-04',
    );
    expect(captionLines({ ...info, scale: 'View: x' })).toContain('View: x');
  });
});
