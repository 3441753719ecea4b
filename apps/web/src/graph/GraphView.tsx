/**
 * The cytoscape canvas. It owns one cytoscape instance for the page's lifetime; a new response either
 * patches the elements in place (same nodes) or replaces them and runs the layout (new topology).
 * The canvas is reachable from the keyboard (graph/useGraphKeyboard.ts) and explains what is under the pointer
 * or the keyboard cursor in a tooltip (badges spelled out).
 */
import type { GraphResponse } from '@meshlens/model';
import cytoscape from 'cytoscape';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { canvasAspect, fitGraph, fitPadding, MAX_FIT_ZOOM, runLayout } from '../layout/runLayout';
import { warmLayoutWorker } from '../layout/layoutClient';
import { fitViewport, placedExtents, planPlacement, type Extent } from '../layout-store/placement';
import { positionStore, viewKey } from '../layout-store/positionStore';
import { forgetLayout, runStableLayout, saveDragged } from '../layout-store/stableLayout';
import { useTheme } from '../theme/themeStore';
import type { EdgeLabelMode, LayoutName } from '../url/viewState';
import { addEdgesInTasks, afterPaint, applyFindHide, applyFocus, EDGES_IN_TASKS_FROM, nextTask, patchElements, placeEdges, placeNodes, replaceElements, type GroupFind } from './cyOps';
import { GraphScaleBar } from './GraphScaleBar';
import { holdGroupPresses } from './groupPress';
import { flattenBoxes, toElements, topologyKey, withoutAppBoxes, type GraphElements } from './elements';
import { nearestSegment, type Segment } from './hitTest';
import { buildStylesheet, COMPACT_LABEL_FONT_SIZE, detailLevel, LABEL_FONT_SIZE, type DetailLevel } from './stylesheet';
import { graphPalette } from './theme';
import { tipFor, tipStyle, type Tip } from './tooltip';
import { useGraphKeyboard } from './useGraphKeyboard';

declare global {
  interface Window {
    /** The live cytoscape instance, for browser tests and debugging from the console. */
    __meshlensCy?: cytoscape.Core;
  }
}

/** Above this many elements, drop costly rendering while panning and zooming. */
const LARGE_GRAPH = 800;

export interface GraphViewProps {
  graph: GraphResponse | undefined;
  layout: LayoutName;
  edgeLabels: EdgeLabelMode;
  find: string;
  hide: string;
  focus: string | null;
  onSelect: (id: string | null) => void;
  onFindCount: (count: number) => void;
  onLayoutDone: (algorithm: string) => void;
  /** Zoom and pan from a copied link: applied once, after the first layout, instead of fitting. */
  initialViewport?: { zoom: number; pan: { x: number; y: number } } | null;
  /** Hands the cytoscape instance to the page (export, copy link). */
  onCy?: (cy: cytoscape.Core | null) => void;
  /** Opens a collapsed group (its `expand=` key): one click on the group. */
  onExpand?: (key: string) => void;
  /** Closes an open group again. */
  onCollapse?: (key: string) => void;
  /** Leaves the neighbourhood view for the whole graph. */
  onShowAll?: () => void;
}

/** The tooltip box, placed once its own width is known (so it flips to the left only when it must). */
function Tooltip({ tip, canvasWidth }: { tip: Tip; canvasWidth: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => setWidth(box.current?.offsetWidth ?? 0), [tip.title, tip.lines.join('\n')]);
  return (
    <div ref={box} className="graph-tooltip" role="tooltip" data-testid="graph-tooltip" style={tipStyle(tip, canvasWidth, width)}>
      <strong>{tip.title}</strong>
      {tip.lines.map((line) => (
        <span key={line}>{line}</span>
      ))}
    </div>
  );
}

export function GraphView(props: GraphViewProps) {
  const { graph, layout, edgeLabels, find, hide, focus, onSelect, onFindCount, onLayoutDone, onCy, onExpand, onCollapse, onShowAll } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const topologyRef = useRef<string>('');
  const layoutGeneration = useRef(0);
  // The newest elements of a graph still being placed (layout-store/placement.ts), null when none is.
  const placingRef = useRef<GraphElements | null>(null);
  const callbacks = useRef({ onSelect, onFindCount, onLayoutDone, onExpand });
  callbacks.current = { onSelect, onFindCount, onLayoutDone, onExpand };
  const [inGroups, setInGroups] = useState<GroupFind[]>([]);
  // Level of detail by zoom (stylesheet.ts); the stylesheet is rebuilt only when the zoom crosses a level's line.
  const [detail, setDetail] = useState<DetailLevel>('full');
  const largeRef = useRef(false);
  const [layoutDone, setLayoutDone] = useState(false);
  // Layouts completed so far: a browser test that presses Re-layout waits for the next one, not for a flag that
  // may still be true from the previous layout.
  const [layoutsCompleted, setLayoutsCompleted] = useState(0);
  // Bumped when elements were replaced, so find/hide/focus re-apply to the new elements.
  const [elementsVersion, setElementsVersion] = useState(0);
  // Saved positions live per view; the key comes from the graph on screen, not the URL, so a drag
  // while the next view loads is saved under the view it was made in.
  const layoutKeyRef = useRef('');
  const initialViewport = useRef(props.initialViewport ?? null);
  // The viewport the last placement fitted the picture to (not one the URL asked for): while the user has not moved
  // it, a taller bar over the canvas (find matches inside groups) refits the picture below it.
  const autoFit = useRef<{ zoom: number; pan: cytoscape.Position } | null>(null);
  const [relayouts, setRelayouts] = useState(0);
  const { theme } = useTheme();
  const palette = graphPalette(theme);
  const paletteRef = useRef(palette);
  paletteRef.current = palette;
  const [hoverTip, setHoverTip] = useState<Tip | null>(null);
  const hintId = useId();
  const keyboard = useGraphKeyboard(cyRef, focus, (id) => callbacks.current.onSelect(id));
  const keyboardRef = useRef(keyboard);
  keyboardRef.current = keyboard;
  // The pointer's tooltip wins while it rests on something; the keyboard cursor's shows otherwise.
  const tip = hoverTip ?? keyboard.cursorTip;

  useEffect(() => {
    const cy = cytoscape({
      container: containerRef.current,
      style: buildStylesheet('none', paletteRef.current),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    // A click on a collapsed group opens it without cytoscape's press (groupPress.ts); a press that moves still drags it.
    const releasePresses = containerRef.current
      ? holdGroupPresses(cy, containerRef.current, () => callbacks.current.onExpand !== undefined, (key) => callbacks.current.onExpand?.(key))
      : () => undefined;
    cy.on('tap', 'node, edge', (event) => {
      const group = event.target.isNode() ? (event.target.data('group') as { key: string } | undefined) : undefined;
      // A collapsed group opens with one click; what it holds is what the user wants to see.
      if (group && callbacks.current.onExpand) callbacks.current.onExpand(group.key);
      else callbacks.current.onSelect(event.target.id());
    });
    // A large graph keeps one stylesheet: restyling thousands of compound members costs seconds in cytoscape (every
    // changed property dirties the style of the element's box and its members), so there labels go by
    // `min-zoomed-font-size` and edges and labels hide while the viewport moves (hide*OnViewport below).
    cy.on('zoom', () => setDetail(largeRef.current ? 'full' : detailLevel(cy.zoom())));
    cy.on('tap', (event) => {
      if (event.target !== cy) return;
      // A large graph's edges take no pointer events (stylesheet.ts): the edge under the click is found here, once.
      const edge = largeRef.current ? edgeAt(cy, event.position) : null;
      callbacks.current.onSelect(edge);
    });
    // A dragged node is saved where it was dropped and pinned there for later refreshes and reloads.
    cy.on('dragfree', 'node', (event) => {
      if (layoutKeyRef.current) saveDragged(cy, layoutKeyRef.current, event.target as cytoscape.NodeCollection);
    });
    // Tooltips: what the node's badges mean, an edge's rate; gone as soon as the pointer or the picture moves.
    cy.on('mouseover', 'node, edge', (event) => setHoverTip(tipFor(event.target)));
    cy.on('mouseout', 'node, edge', () => setHoverTip(null));
    cy.on('viewport drag remove', () => {
      setHoverTip(null);
      keyboardRef.current.hideTip();
    });
    cyRef.current = cy;
    window.__meshlensCy = cy;
    onCy?.(cy);
    const resize = new ResizeObserver(() => cy.resize());
    if (containerRef.current) resize.observe(containerRef.current);
    return () => {
      releasePresses();
      resize.disconnect();
      if (window.__meshlensCy === cy) delete window.__meshlensCy;
      onCy?.(null);
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  // The stylesheet on the canvas, by what it was built from: a new graph sets the one it needs before its elements go
  // in (one style pass), and the effect below then finds nothing to change.
  const sheetKey = useRef('');
  const applySheet = (cy: cytoscape.Core, level: DetailLevel) => {
    const key = `${edgeLabels}|${theme}|${level}|${largeRef.current}`;
    if (key === sheetKey.current) return;
    sheetKey.current = key;
    cy.style(buildStylesheet(edgeLabels, paletteRef.current, level, largeRef.current));
  };
  const applySheetRef = useRef(applySheet);
  applySheetRef.current = applySheet;

  useEffect(() => {
    if (cyRef.current) applySheet(cyRef.current, detail);
  }, [edgeLabels, palette, detail]);

  // New data: patch in place when the node set is unchanged, else replace and lay out again.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    if (!graph) {
      cy.elements().remove();
      placingRef.current = null;
      topologyRef.current = '';
      layoutGeneration.current++;
      setLayoutDone(false);
      return;
    }
    const all = toElements(graph);
    const elements = all.nodes.length + all.edges.length > LARGE_GRAPH ? flattenBoxes(withoutAppBoxes(all)) : all;
    const roomForEdgeLabels = edgeLabels !== 'none';
    const key = `${layout}#${roomForEdgeLabels}#${topologyKey(graph)}`;
    const large = elements.nodes.length + elements.edges.length > LARGE_GRAPH;
    // These are creation options in cytoscape's API; its canvas renderer reads them from its own fields
    // on every frame, so setting those switches them for the graph at hand without a new instance.
    const renderer = (cy as unknown as { renderer?: () => Record<string, unknown> }).renderer?.();
    if (renderer) {
      renderer.textureOnViewport = large;
      renderer.hideEdgesOnViewport = large;
      renderer.hideLabelsOnViewport = large;
    }
    const changedSize = large !== largeRef.current;
    largeRef.current = large;
    if (key === topologyRef.current) {
      // Still being placed: the placement takes the newest data when it lands.
      if (placingRef.current) {
        placingRef.current = elements;
        return;
      }
      const awaiting = cy.edges('.awaiting-layout').nonempty();
      if (changedSize) applySheetRef.current(cy, large ? 'full' : detailLevel(cy.zoom()));
      patchElements(cy, elements);
      if (awaiting) cy.edges().addClass('awaiting-layout');
      setElementsVersion((v) => v + 1);
      return;
    }
    topologyRef.current = key;
    const generation = ++layoutGeneration.current;
    setLayoutDone(false);
    // A neighbourhood is a picture of its own: laid out for itself, not scattered where its nodes sit in the whole graph.
    const around = graph.neighbourhood ? `~around=${graph.neighbourhood.focus}~${graph.neighbourhood.hops}` : '';
    const viewLayoutKey = `${viewKey(graph.namespaces, graph.graphType, layout)}${around}`;
    layoutKeyRef.current = viewLayoutKey;
    const finished = (algorithm: string, kept: number, placed: number) => {
      // Drawn from saved positions: the layout worker starts now, ready for the first group opened.
      if (kept > 0 && placed === 0) window.setTimeout(warmLayoutWorker, 0);
      setLayoutDone(true);
      setLayoutsCompleted((c) => c + 1);
      callbacks.current.onLayoutDone(kept > 0 ? `${algorithm} (${kept} kept${placed ? `, ${placed} new placed` : ''})` : algorithm);
    };
    if (layout === 'layered') {
      // Placed before anything changes (layout-store/placement.ts): the old picture stays until the new one is ready,
      // then only what differs changes.
      placingRef.current = elements;
      const stale = () => generation !== layoutGeneration.current;
      planPlacement(elements.nodes, elements.edges, roomForEdgeLabels, canvasAspect(cy), viewLayoutKey, stale)
        .then(async (plan) => {
          if (plan === null || stale()) return;
          // Saved positions come back within the task that mounted the page and created cytoscape: placing the nodes
          // there too made the longest task of the load (the demo's: ~400 ms); in a task of its own, about half.
          await nextTask();
          if (stale()) return;
          const latest = placingRef.current ?? elements;
          placingRef.current = null;
          const apps = new Set(latest.nodes.filter((n) => n.data.isBox === 'app').map((n) => String(n.data.id)));
          const kind = (id: string): 'app' | 'namespace' => (apps.has(id) ? 'app' : 'namespace');
          const fit = (e: Extent | null) => (e ? fitViewport(e, cy.width(), cy.height(), fitPadding(cy), { min: cy.minZoom(), max: MAX_FIT_ZOOM }) : null);
          let { bodies, all } = placedExtents(plan.request, plan.positions, kind);
          const fitted = initialViewport.current === null;
          let viewport = initialViewport.current ?? fit(all);
          // Fitted below the compact level's zoom, labels are drawn larger than the layout measured them: fit the larger picture.
          if (!large && !initialViewport.current && viewport && detailLevel(viewport.zoom) !== 'full') {
            ({ bodies, all } = placedExtents(plan.request, plan.positions, kind, COMPACT_LABEL_FONT_SIZE / LABEL_FONT_SIZE));
            viewport = fit(all);
          }
          initialViewport.current = null;
          // The level of detail for the zoom the picture will have, set before the new elements go in: they are styled once.
          const level = large ? 'full' : detailLevel(viewport?.zoom ?? 1);
          setDetail(level);
          applySheetRef.current(cy, level);
          // A first picture is drawn in two frames, nodes then edges, and its edges are added and styled in tasks of
          // their own before the second (cyOps.ts addEdgesInTasks): each frame's work is a share of the one frame that
          // drew both (the longest task of the load). A picture that changes keeps its edges drawn and patches them in
          // the same task: two frames of a 10k-workload picture would cost two full redraws.
          const inTwoFrames = cy.edges().empty() && latest.edges.length > 0;
          placeNodes(cy, latest, plan.positions, bodies);
          if (viewport) cy.viewport(viewport);
          autoFit.current = fitted && viewport ? { zoom: cy.zoom(), pan: { ...cy.pan() } } : null;
          // A refresh of the same picture that comes while the edges wait is applied after them.
          let newer: GraphElements | null = null;
          if (inTwoFrames) {
            placingRef.current = latest;
            await afterPaint();
            if (stale()) return;
            if (latest.edges.length < EDGES_IN_TASKS_FROM) placeEdges(cy, latest);
            else if (!(await addEdgesInTasks(cy, latest, stale))) return;
            newer = placingRef.current === latest ? null : placingRef.current;
            placingRef.current = null;
          } else placeEdges(cy, latest);
          if (newer) patchElements(cy, newer);
          positionStore().save(viewLayoutKey, plan.toSave);
          setElementsVersion((v) => v + 1);
          finished(plan.algorithm, plan.kept, plan.placed);
        })
        .catch((error: unknown) => {
          // Never leave the user with nothing: add the elements and fall back to a grid.
          console.error('layout failed', error);
          if (stale()) return;
          const latest = placingRef.current ?? elements;
          placingRef.current = null;
          replaceElements(cy, latest);
          setElementsVersion((v) => v + 1);
          void runLayout(cy, 'grid', false, () => false).then(() => finished('grid (layered layout failed)', 0, 0));
        });
      return;
    }
    placingRef.current = null;
    if (changedSize) applySheetRef.current(cy, large ? 'full' : detailLevel(cy.zoom()));
    // Until the layout places them, new nodes sit on top of each other: their edges would have no length to draw
    // (cytoscape warns about each), so they wait hidden. One batch: one style pass for the whole graph.
    cy.batch(() => {
      replaceElements(cy, elements);
      cy.edges().addClass('awaiting-layout');
    });
    setElementsVersion((v) => v + 1);
    runStableLayout(cy, layout, roomForEdgeLabels, viewLayoutKey, () => generation !== layoutGeneration.current)
      .then((result) => {
        if (result === null) return;
        const viewport = initialViewport.current;
        initialViewport.current = null;
        if (viewport) cy.viewport({ zoom: viewport.zoom, pan: viewport.pan });
        cy.batch(() => cy.edges().removeClass('awaiting-layout'));
        finished(result.algorithm, result.kept, result.placed);
      })
      .catch((error: unknown) => {
        // Never leave the user with nodes piled at the origin: fall back to a grid.
        console.error('layout failed', error);
        if (generation !== layoutGeneration.current) return;
        void runLayout(cy, 'grid', false, () => false).then(() => {
          cy.edges().removeClass('awaiting-layout');
          finished('grid (layered layout failed)', 0, 0);
        });
      });
    // Switching between "no edge labels" and some labels changes the spacing; other label changes do not.
  }, [graph, layout, edgeLabels !== 'none', relayouts]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const result = applyFindHide(cy, find, hide);
    setInGroups(result.inGroups);
    callbacks.current.onFindCount(result.count);
  }, [find, hide, elementsVersion]);

  // Find matches inside collapsed groups add a line to the bar over the canvas: a picture still where its placement
  // fitted it is fitted again below the taller bar, so that the bar covers none of it.
  const matchesLine = find !== '' && inGroups.length > 0;
  useEffect(() => {
    const cy = cyRef.current;
    const f = autoFit.current;
    if (!matchesLine || !cy || !f) return;
    if (cy.zoom() !== f.zoom || cy.pan().x !== f.pan.x || cy.pan().y !== f.pan.y) return;
    fitGraph(cy);
    autoFit.current = { zoom: cy.zoom(), pan: { ...cy.pan() } };
  }, [matchesLine]);

  useEffect(() => {
    const cy = cyRef.current;
    if (cy) applyFocus(cy, focus);
  }, [focus, elementsVersion]);

  // New elements: the keyboard cursor stays on its element if it is still there.
  useEffect(() => keyboardRef.current.refresh(), [elementsVersion, find, hide]);

  const zoomBy = (factor: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };

  const leaves = graph ? graph.elements.nodes.filter((n) => !n.data.isBox).length : 0;
  return (
    <div className="graph-canvas-wrap">
      <div
        className="graph-canvas"
        data-testid="graph"
        data-layout-done={layoutDone ? 'true' : 'false'}
        data-layouts={layoutsCompleted}
        role="application"
        aria-roledescription="traffic graph"
        aria-label={graph ? `Traffic graph: ${leaves} nodes, ${graph.elements.edges.length} edges` : 'Traffic graph'}
        aria-describedby={hintId}
        tabIndex={0}
        {...keyboard.containerProps}
      >
        {/* Cytoscape's own container takes no attribute that changes: cytoscape watches its container's attributes and
            answers any change with a resize, a full redraw (on a 10k-workload picture, ~0.1 s each time the layout
            state or the node count above changes). */}
        <div ref={containerRef} className="graph-cy" />
      </div>
      <p id={hintId} className="graph-kbd-hint" data-testid="graph-kbd-hint">
        <kbd>←↑→↓</kbd> move · <kbd>[</kbd> <kbd>]</kbd> edges · <kbd>Enter</kbd> select · <kbd>Esc</kbd> clear · <kbd>+</kbd> <kbd>−</kbd> zoom
      </p>
      <p className="visually-hidden" aria-live="polite" data-testid="graph-announce">{keyboard.announcement}</p>
      {graph && (
        <GraphScaleBar graph={graph} inGroups={find ? inGroups : []} onExpand={onExpand} onCollapse={onCollapse} onShowAll={onShowAll} />
      )}
      {tip && <Tooltip tip={tip} canvasWidth={cyRef.current?.width() ?? 0} />}
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in" title="Zoom in">+</button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out" title="Zoom out">−</button>
        <button type="button" onClick={() => cyRef.current && fitGraph(cyRef.current)} aria-label="Fit graph to screen" title="Fit to screen">Fit</button>
        <button
          type="button"
          data-testid="relayout"
          onClick={() => {
            if (layoutKeyRef.current) forgetLayout(layoutKeyRef.current);
            topologyRef.current = '';
            setRelayouts((n) => n + 1);
          }}
          title="Forget saved and dragged positions of this view and lay it out again"
        >
          Re-layout
        </button>
      </div>
    </div>
  );
}

/** The visible edge nearest to a model position, within the 8 px cytoscape gives a mouse; null when none. */
function edgeAt(cy: cytoscape.Core, at: cytoscape.Position): string | null {
  function* segments(): Generator<Segment> {
    for (const edge of cy.edges()) {
      if (!edge.visible()) continue;
      const a = edge.source().position();
      const b = edge.target().position();
      yield { id: edge.id(), x1: a.x, y1: a.y, x2: b.x, y2: b.y };
    }
  }
  return nearestSegment(at.x, at.y, segments(), 8 / cy.zoom());
}
